"""The contract every registered webhook adapter keeps, checked over the whole registry (STYLE 14).

Adding an adapter means adding its sample request here; the class then checks it like all the others.
"""

from __future__ import annotations

import importlib
import json
from urllib.parse import quote_plus

import pytest

from enrichment.adapters.base import AdapterResult
from enrichment.conversions import PLATFORMS
from enrichment.processing import process_payload
from enrichment.raw import load_payload
from iglu import api as iglu
from tests.webhooks.support import webhook_payload
from webhooks.adapters.base import UNSTRUCT_SCHEMA, WebhookAdapter
from webhooks.registry import WEBHOOK_ADAPTERS

FORM, JSON = "application/x-www-form-urlencoded", "application/json"
# (vendor, version) -> a valid request: (query, body, content type)
SAMPLES = {
    ("com.snowplowanalytics.iglu", "v1"): (
        "schema=iglu%3Acom.snowplowanalytics.snowplow%2Flink_click%2Fjsonschema%2F1-0-1"
        "&targetUrl=https%3A%2F%2Fa.example%2F", None, None),
    ("com.callrail", "v1"): ("id=1&datetime=2024-02-14+17%3A05%3A09&answered=true", None, None),
    ("com.mailchimp", "v1"): ("", "type=subscribe&fired_at=2024-03-01+09%3A41%3A07&data%5Bemail%5D=a%40b.example",
                              FORM),
    ("com.mandrill", "v1"): ("", "mandrill_events=" + quote_plus(json.dumps([{"event": "send", "ts": 1709283601}])),
                             FORM),
    ("com.pagerduty", "v1"): ("", json.dumps({"messages": [{"type": "incident.trigger", "id": "m"}]}), JSON),
    ("com.pingdom", "v1"): ("message=" + quote_plus(json.dumps({"action": "assign", "incidentid": 1})), None, None),
    ("com.sendgrid", "v3"): ("", json.dumps([{"event": "open", "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw=="}]), JSON),
    ("com.urbanairship.connect", "v1"): ("", json.dumps({
        "id": "0b1c2d3e-4f50-4617-8899-aabbccddeeff", "type": "CLOSE", "occurred": "2024-03-05T09:14:22.120Z",
        "processed": "2024-03-05T09:14:23.007Z"}), None),
    ("com.mailgun", "v1"): ("", json.dumps({"signature": {"timestamp": "1529006854", "token": "t" * 50,
                                                          "signature": "s"}, "event-data": {"event": "delivered"}}),
                            JSON),
    ("com.statusgator", "v1"): ("", "service_name=GitHub&current_status=up", FORM),
    ("com.unbounce", "v1"): ("", "page_id=p&page_name=n&variant=a&page_url=https%3A%2F%2Fu.example%2F"
                                 "&data.json=%7B%7D", FORM),
    ("com.olark", "v1"): ("", "data=" + quote_plus(json.dumps({"kind": "Conversation", "items": []})), FORM),
    ("com.marketo", "v1"): ("", json.dumps({"name": "webhook"}), JSON),
    ("com.getvero", "v1"): ("", json.dumps({"type": "unsubscribed", "unsubscribed_at": 1435016238}), JSON),
    ("com.hubspot", "v1"): ("", json.dumps([{"subscriptionType": "deal.deletion", "occurredAt": 1539145399845}]),
                            JSON),
    ("com.google.analytics", "v1"): ("", "t=pageview&v=1&tid=UA-1-1&cid=1&dp=%2F", "text/plain"),
}
GARBAGE = [
    ("", None, None),
    ("", "", JSON),
    ("a=1&b", "\x00\xff not anything", "application/octet-stream"),
    ("", "[" * 5000, JSON),
    ("", "{}", JSON),
    ("", "[]", JSON),
    ("", "null", JSON),
    ("", '"text"', JSON),
    ("", "%%%&&&==", FORM),
    ("p=&aid=&eid=not-a-uuid", "mandrill_events=%5B1%5D&data=1&type=", FORM),
    ("message=%7B%7D", "[1, 2, 3]", "application/json; charset=utf-8"),
]
ADAPTERS = sorted(WEBHOOK_ADAPTERS.items())
IDS = [f"{vendor}/{version}" for (vendor, version), _ in ADAPTERS]


def run(key: tuple[str, str], query: str, body: str | None, content_type: str | None) -> AdapterResult:
    loaded = load_payload(webhook_payload(f"/{key[0]}/{key[1]}", query, body, content_type))
    return WEBHOOK_ADAPTERS[key].to_raw_events(loaded)


@pytest.mark.parametrize(("key", "adapter"), ADAPTERS, ids=IDS)
class TestEveryWebhookAdapter:
    def test_it_is_registered_under_its_own_vendor_and_version(self, key, adapter):
        assert (adapter.vendor, adapter.version) == key
        assert isinstance(adapter, WebhookAdapter) and adapter.tracker_version

    def test_it_lives_in_its_own_module_that_says_why_it_behaves_as_it_does(self, key, adapter):
        module = importlib.import_module(type(adapter).__module__)
        assert module.__name__.startswith("webhooks.adapters.") and len(module.__doc__ or "") > 40
        assert type(adapter).__name__.endswith("Adapter")

    def test_every_schema_it_maps_to_is_a_built_in_schema(self, key, adapter):
        for schema in adapter.schemas.values():
            assert iglu.resolve_schema(schema)["self"]["name"] == schema.split("/")[1]

    def test_it_has_a_sample_that_enriches_into_valid_events(self, key, adapter):
        query, body, content_type = SAMPLES[key]
        outcome = process_payload(webhook_payload(f"/{key[0]}/{key[1]}", query, body, content_type))
        assert outcome.bad == [], [row.failure for row in outcome.bad]
        assert outcome.good
        for good in outcome.good:
            event = good.event
            assert event["event"] == "unstruct" and event["v_tracker"] == adapter.tracker_version
            assert event["platform"] in PLATFORMS
            assert event["unstruct_event"]["schema"] == UNSTRUCT_SCHEMA

    def test_its_raw_events_are_self_describing_unstruct_events(self, key, adapter):
        for raw in run(key, *SAMPLES[key]).events:
            assert raw.parameters["e"] == "ue" and raw.parameters["tv"] == adapter.tracker_version
            envelope = json.loads(raw.parameters["ue_pr"])
            assert envelope["schema"] == UNSTRUCT_SCHEMA and set(envelope["data"]) == {"schema", "data"}

    def test_it_never_raises_and_every_failure_is_a_valid_adapter_failures_bad_row(self, key, adapter):
        for case in GARBAGE:
            result = run(key, *case)
            assert isinstance(result, AdapterResult)
            for row in result.failures:
                bad_row = row.as_json()
                assert iglu.validate_instance(bad_row) == [], (case, row.failure)
                assert row.failure["vendor"] == key[0] and row.failure["messages"]

    def test_an_unexpected_error_inside_it_becomes_one_bad_row(self, key, adapter, monkeypatch):
        def explode(request):
            raise KeyError("bug")

        monkeypatch.setattr(adapter, "adapt", explode)
        result = run(key, *SAMPLES[key])
        assert result.events == []
        assert result.failures[0].failure["messages"] == [
            {"field": "payload", "value": None, "expectation": "unexpected adapter error: KeyError"}]


def test_every_registered_adapter_has_a_sample():
    assert set(SAMPLES) == set(WEBHOOK_ADAPTERS)
