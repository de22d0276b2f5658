"""PagerDuty: the v1 webhook's `messages`, one incident event each (spec 2.5)."""

import json

import pytest

from tests.webhooks.support import adapt, messages, only_event, params, unstruct
from webhooks.adapters.pagerduty import EVENT_TYPES, INCIDENT, SCHEMAS

PATH = "/com.pagerduty/v1"


def post(body, query: str = "", content_type: str | None = "application/json"):
    return adapt(PATH, query, body if isinstance(body, str) else json.dumps(body), content_type)


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_every_incident_type_maps_to_the_incident_schema_without_its_prefix(name):
    raw = only_event(post({"messages": [{"type": f"incident.{name}", "id": "m1",
                                         "created_on": "2024-04-02T10:15:00 00:00"}]}, "aid=ops"))
    assert unstruct(raw) == (INCIDENT, {"type": name, "id": "m1", "created_on": "2024-04-02T10:15:00+00:00"})
    assert params(raw) == {"tv": "com.pagerduty-v1", "e": "ue", "p": "srv", "aid": "ops"}


def test_null_strings_and_timestamps_are_repaired_in_objects_but_not_in_arrays():
    message = {"type": "incident.resolve", "data": {"incident": {
        "incident_key": "null", "last_status_change_on": "2024-04-02T10:41:03 00:00",
        "assigned_to": [{"at": "2024-04-02T10:15:00 00:00", "object": {"type": "incident.user", "id": "null"}}]}}}
    incident = unstruct(only_event(post({"messages": [message]})))[1]["data"]["incident"]
    assert incident["incident_key"] is None
    assert incident["last_status_change_on"] == "2024-04-02T10:41:03+00:00"
    assert incident["assigned_to"] == message["data"]["incident"]["assigned_to"]


def test_a_batch_keeps_its_good_messages():
    result = post({"messages": [{"type": "incident.trigger"}, {"type": "trigger"}]})
    assert len(result.events) == 1
    [row] = result.failures
    assert row.failure["messages"] == [{
        "actual": "trigger", "expectedMapping": SCHEMAS,
        "expectation": "no schema associated with the provided type parameter at index 1"}]
    assert json.loads(row.payload["body"]) == {"messages": [{"type": "trigger"}]}


def test_request_errors():
    assert messages(adapt(PATH, ""))[0]["expectation"] == "empty body: no events to process"
    assert messages(post({}, content_type=None))[0]["expectation"] == "no content type: expected application/json"
    assert messages(post({}, content_type="text/plain"))[0] == {
        "field": "contentType", "value": "text/plain", "expectation": "expected application/json"}
    assert messages(post("{nope"))[0]["error"].startswith("invalid json:")
    v3 = json.dumps({"event": {"event_type": "incident.triggered"}})
    assert messages(post(v3)) == [{"field": "messages", "value": v3, "expectation": "field `messages` is not an array"}]
    assert messages(post({"messages": []})) == [{"field": "", "value": None, "expectation": "empty list of events"}]


def test_a_charset_on_the_content_type_is_accepted():
    assert only_event(post({"messages": [{"type": "incident.assign"}]}, content_type="application/json; charset=utf-8"))
