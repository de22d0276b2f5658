"""The team's example webhook requests (copied into fixture_cases/ as test data) through our adapters.

Where we deliberately differ from Snowplow (see each adapter's docstring), DEVIATIONS says what we do instead
and the test checks that; every other case must match the expected events or failure messages exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enrichment.badrows import iso_from_millis
from tests.webhooks.support import adapt, params, process, unstruct

# Copied from the team's shared example requests as test data (their personal details are invented).
FIXTURES = Path(__file__).resolve().parent / "fixture_cases"
CASES = sorted(FIXTURES.glob("*.json"))
# fixture id -> events we emit although Snowplow emits none (good events of a partly bad batch / UA JSON type)
DEVIATIONS = {
    "mandrill_05_error_batch_with_sync_event": 1,
    "sendgrid_05_error_unsupported_event_type": 1,
    "urbanairship_04_error_content_type_present": 1,
}


def run_case(case: dict):
    body = case["body"] if case["method"] == "POST" else None
    return adapt(case["path"], case["query_string"], body, case["content_type"] if body is not None else None)


def check_message(actual: dict, expected: dict) -> None:
    expected = {k: v for k, v in expected.items() if k != "type"}
    for key, value in expected.items():
        if key.endswith("_prefix"):
            assert actual[key.removesuffix("_prefix")].startswith(value)
        elif key == "field" and value == "mandril_events":
            assert actual[key] == "mandrill_events"  # the spelling enrich gets wrong
        else:
            assert actual[key] == value, key


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_a_shared_fixture_case_gives_the_expected_events_or_failure(path):
    case = json.loads(path.read_text())
    expected = case["expected"]
    result = run_case(case)
    if expected["outcome"] == "events":
        assert result.failures == []
        actual = [(unstruct(raw), params(raw)) for raw in result.events]
        wanted = [((e["schema"], e["data"]), e["raw_params"]) for e in expected["events"]]
        if not expected.get("event_order_significant", True):
            actual, wanted = sorted(actual, key=json.dumps), sorted(wanted, key=json.dumps)
        assert actual == wanted
        return
    assert len(result.events) == DEVIATIONS.get(case["id"], 0)
    if case["id"] == "urbanairship_04_error_content_type_present":
        assert result.failures == []
        return
    [row] = result.failures
    assert row.type == "adapter_failures"
    wanted = expected["bad_row"]["failure"]
    assert (row.failure["vendor"], row.failure["version"]) == (wanted["vendor"], wanted["version"])
    assert len(row.failure["messages"]) == len(wanted["messages"])
    for actual_message, expected_message in zip(row.failure["messages"], wanted["messages"], strict=True):
        check_message(actual_message, expected_message)


def resolvable(schema: str) -> bool:
    from iglu import api as iglu

    try:
        iglu.resolve_schema(schema)
    except iglu.SchemaNotFound:
        return False
    return True


def publish_user_schema(uri: str) -> None:
    """Register a permissive schema for a user's own event, as the user would before sending it."""
    from iglu import api as iglu
    from iglu.publishing import schema_publish

    key = iglu.parse_schema_key(uri)
    schema_publish({"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
                    "self": {"vendor": key.vendor, "name": key.name, "format": key.format, "version": key.version},
                    "type": "object"})
    iglu.clear_caches()


ATOMIC_CASES = [p for p in CASES if json.loads(p.read_text())["expected"]["outcome"] == "events"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ATOMIC_CASES, ids=lambda p: p.stem)
def test_a_shared_fixture_case_enriches_to_the_expected_atomic_fields(path):
    case = json.loads(path.read_text())
    expected = case["expected"]["events"]
    for event in expected:
        if not resolvable(event["schema"]):
            publish_user_schema(event["schema"])  # an Iglu-webhook case names the user's own schema
    body = case["body"] if case["method"] == "POST" else None
    outcome = process(case["path"], case["query_string"], body, case["content_type"] if body is not None else None)
    assert outcome.bad == []
    events = [good.event for good in outcome.good]
    if not case["expected"].get("event_order_significant", True):
        events.sort(key=lambda e: e["unstruct_event"]["data"]["data"].get("sg_event_id", ""))
        expected = sorted(expected, key=lambda e: e["data"].get("sg_event_id", ""))
    assert len(events) == len(expected)
    for event, wanted in zip(events, expected, strict=True):
        for name, value in wanted["atomic"].items():
            actual = event[name]
            if name.endswith("tstamp"):
                actual = iso_from_millis(actual).replace(".000Z", "Z") if value.endswith("Z") else actual
                value = value.replace(".000Z", "Z")
            assert actual == value, name
        assert event["unstruct_event"]["data"] == {"schema": wanted["schema"], "data": wanted["data"]}
