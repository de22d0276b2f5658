"""Mandrill: `mandrill_events` holds a JSON array, one event per element (spec 2.4)."""

import json
from urllib.parse import parse_qs, quote_plus

import pytest

from enrichment.raw import load_payload
from tests.webhooks.support import adapt, messages, only_event, params, unstruct
from webhooks.adapters.mandrill import SCHEMAS

PATH = "/com.mandrill/v1"
FORM = "application/x-www-form-urlencoded"
MSG = {"ts": 1709283600, "subject": "Order", "email": "a@example.com", "opens": [{"ts": 1709287211}],
       "clicks": [{"ts": "1709287260", "url": "https://shop.example/"}], "smtp_events": [{"ts": 1709283601.5}]}


def post(events, query: str = "", content_type: str | None = FORM):
    return adapt(PATH, query, "mandrill_events=" + quote_plus(json.dumps(events)), content_type)


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_every_event_type_maps_to_its_schema_without_the_event_key(event_type):
    raw = only_event(post([{"event": event_type, "_id": "x1", "ts": 1709283601, "msg": MSG}], "aid=shop"))
    schema, data = unstruct(raw)
    assert schema == SCHEMAS[event_type]
    assert data["_id"] == "x1" and "event" not in data
    assert params(raw) == {"tv": "com.mandrill-v1", "e": "ue", "p": "srv", "aid": "shop"}


def test_every_ts_at_any_depth_becomes_iso_but_fractions_stay():
    _, data = unstruct(only_event(post([{"event": "open", "ts": 1709283601, "msg": MSG}])))
    assert data["ts"] == "2024-03-01T09:00:01.000Z"
    assert data["msg"]["ts"] == "2024-03-01T09:00:00.000Z"
    assert data["msg"]["opens"] == [{"ts": "2024-03-01T10:00:11.000Z"}]
    assert data["msg"]["clicks"][0]["ts"] == "2024-03-01T10:01:00.000Z"
    assert data["msg"]["smtp_events"] == [{"ts": 1709283601.5}]


def test_a_batch_with_a_sync_event_keeps_its_good_events_and_reports_the_bad_one_alone():
    good = {"event": "send", "ts": 1709283601, "msg": MSG}
    sync = {"type": "whitelist", "action": "add", "entry": {"email": "a@example.com"}}
    result = post([good, sync])
    assert [unstruct(raw)[0] for raw in result.events] == [SCHEMAS["send"]]
    [row] = result.failures
    assert row.failure["messages"] == [{
        "actual": None, "expectedMapping": SCHEMAS,
        "expectation": "cannot determine event type: type parameter not provided at index 1"}]
    assert json.loads(parse_qs(row.payload["body"])["mandrill_events"][0]) == [sync]
    assert json.loads(parse_qs(load_payload(row.original).body)["mandrill_events"][0]) == [sync]


def test_a_batch_where_every_element_fails_is_one_bad_row_with_the_whole_request():
    result = post([{"event": ""}, {"event": "inbound"}])
    assert result.events == []
    [row] = result.failures
    assert [m["expectation"] for m in row.failure["messages"]] == [
        "cannot determine event type: type parameter empty at index 0",
        "no schema associated with the provided type parameter at index 1"]
    assert row.original == load_payload(row.original).raw and row.payload["body"].startswith("mandrill_events=")


def test_extra_form_fields_are_ignored():
    result = adapt(PATH, "", "mandrill_events=" + quote_plus(json.dumps([{"event": "send"}])) + "&other=1", FORM)
    assert only_event(result)


def test_request_errors():
    assert messages(adapt(PATH, "")) == [{"field": "body", "value": None,
                                          "expectation": "empty body: no events to process"}]
    assert messages(post([], content_type=None))[0]["expectation"] == (
        "no content type: expected application/x-www-form-urlencoded")
    assert messages(post([], content_type="application/json"))[0] == {
        "field": "contentType", "value": "application/json",
        "expectation": "expected application/x-www-form-urlencoded"}
    assert messages(adapt(PATH, "", "events=1", FORM)) == [{"field": "body", "value": "events=1",
                                                            "expectation": "no `mandrill_events` parameter provided"}]
    assert messages(adapt(PATH, "", "mandrill_events=", FORM)) == [{
        "field": "body", "value": "mandrill_events=", "expectation": "`mandrill_events` field is empty"}]
    [not_json] = messages(adapt(PATH, "", "mandrill_events=%5Bnope", FORM))
    assert not_json["field"] == "mandrill_events" and not_json["error"].startswith("invalid json:")
    assert messages(adapt(PATH, "", "mandrill_events=%7B%7D", FORM)) == [{
        "field": "mandrill_events", "value": "{}", "expectation": "not a json array"}]
    assert messages(post([])) == [{"field": "", "value": None, "expectation": "empty list of events"}]
