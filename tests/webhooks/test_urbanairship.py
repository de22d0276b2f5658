"""Urban Airship Connect: one Connect event per request; id, occurred and processed drive the atomic fields."""

import json

import pytest

from tests.webhooks.support import adapt, messages, only_event, params, process, unstruct
from webhooks.adapters.urbanairship import SCHEMAS

PATH = "/com.urbanairship.connect/v1"
EVENT = {"id": "0b1c2d3e-4f50-4617-8899-aabbccddeeff", "offset": "1", "occurred": "2024-03-05T09:14:22.120Z",
         "processed": "2024-03-05T09:14:23.007Z", "device": {"named_user_id": "m-1"}}


def post(event, query: str = "", content_type: str | None = None):
    return adapt(PATH, query, event if isinstance(event, str) else json.dumps(event), content_type)


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_every_type_maps_to_its_schema_with_the_whole_json_as_data(event_type):
    raw = only_event(post({**EVENT, "type": event_type}, "aid=app"))
    assert unstruct(raw) == (SCHEMAS[event_type], {**EVENT, "type": event_type})
    assert params(raw) == {"tv": "com.urbanairship.connect-v1", "e": "ue", "p": "srv", "aid": "app",
                           "eid": EVENT["id"], "ttm": "1709630062120"}


def test_rich_read_and_rich_head_both_have_a_schema():
    assert SCHEMAS["RICH_READ"].endswith("/RICH_READ/jsonschema/1-0-0")
    assert SCHEMAS["RICH_HEAD"].endswith("/RICH_HEAD/jsonschema/1-0-0")


def test_processed_becomes_the_collector_timestamp_and_occurred_the_true_timestamp():
    outcome = process(PATH, "", json.dumps({**EVENT, "type": "CLOSE", "body": {}}))
    assert outcome.bad == []
    event = outcome.good[0].event
    assert (event["event_id"], event["true_tstamp"], event["collector_tstamp"]) == (
        EVENT["id"], 1709630062120, 1709630063007)


def test_a_json_content_type_is_accepted_and_others_are_refused():
    assert only_event(post({**EVENT, "type": "OPEN"}, content_type="application/json; charset=utf-8"))
    assert messages(post({**EVENT, "type": "OPEN"}, content_type="text/plain")) == [{
        "field": "contentType", "value": "text/plain", "expectation": "expected no content type or application/json"}]


def test_missing_fields_and_the_type_are_reported_together():
    assert messages(post({"type": "NOPE"})) == [
        {"field": "occurred", "value": None, "expectation": "could not extract 'occurred': missing or not a string"},
        {"field": "id", "value": None, "expectation": "could not extract 'id': missing or not a string"},
        {"field": "processed", "value": None, "expectation": "could not extract 'processed': missing or not a string"},
        {"actual": "NOPE", "expectedMapping": SCHEMAS,
         "expectation": "no schema associated with the provided type parameter"}]


def test_a_date_that_is_not_iso_is_a_failure_not_a_crash():
    assert messages(post({**EVENT, "occurred": "yesterday", "type": "OPEN"})) == [{
        "field": "occurred", "value": "yesterday",
        "expectation": "could not parse 'occurred' as an ISO 8601 date-time"}]


def test_an_empty_body_and_bad_json_are_refused():
    assert messages(adapt(PATH, ""))[0]["expectation"] == "empty body: no events to process"
    assert messages(post("{nope"))[0]["error"].startswith("invalid json:")
