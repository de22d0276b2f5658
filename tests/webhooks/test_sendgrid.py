"""SendGrid: the event webhook's JSON array, one event per element (spec 2.7)."""

import json

import pytest

from tests.webhooks.support import adapt, messages, params, unstruct
from webhooks.adapters.sendgrid import SCHEMAS

PATH = "/com.sendgrid/v3"


def element(event_type: str, event_id: str, **extra) -> dict:
    return {"email": "a@example.com", "timestamp": 1710403200, "event": event_type, "sg_event_id": event_id,
            "category": ["receipts"], **extra}


def post(events, query: str = "", content_type: str | None = "application/json"):
    return adapt(PATH, query, events if isinstance(events, str) else json.dumps(events), content_type)


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_every_event_type_maps_to_its_3_0_0_schema_without_the_event_key(event_type):
    result = post([element(event_type, "Y0hKdlkyVnpjMlZrTFRFdw==")], "aid=receipts")
    [raw] = result.events
    assert unstruct(raw) == (SCHEMAS[event_type], {"email": "a@example.com", "timestamp": "2024-03-14T08:00:00.000Z",
                                                   "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw==",
                                                   "category": ["receipts"]})
    assert params(raw) == {"tv": "com.sendgrid-v3", "e": "ue", "p": "srv", "aid": "receipts"}


def test_repeated_sg_event_ids_are_one_event_and_the_order_follows_the_array():
    events = [element("processed", "a" * 22), element("delivered", "b" * 22), element("processed", "a" * 22, x=1)]
    result = post(events)
    assert [unstruct(raw)[1]["sg_event_id"] for raw in result.events] == ["a" * 22, "b" * 22]
    assert "x" not in unstruct(result.events[0])[1]


def test_elements_without_an_sg_event_id_are_all_kept():
    events = [element("open", None), element("click", None)]
    assert [unstruct(raw)[0] for raw in post(events).events] == [SCHEMAS["open"], SCHEMAS["click"]]


def test_a_charset_is_fine_because_the_content_type_only_has_to_contain_application_json():
    assert len(post([element("open", "c" * 22)], content_type="application/json; charset=utf-8").events) == 1


def test_an_unsupported_event_fails_alone_and_its_bad_row_holds_only_it():
    bad = {"event": "account_status_change", "sg_event_id": "d" * 22}
    result = post([element("processed", "e" * 22), bad])
    assert len(result.events) == 1
    [row] = result.failures
    assert row.failure["messages"][0]["expectation"] == (
        "no schema associated with the provided type parameter at index 1")
    assert json.loads(row.payload["body"]) == [bad]


def test_request_errors():
    assert messages(adapt(PATH, ""))[0]["expectation"] == "empty body: no events to process"
    assert messages(post([], content_type=None)) == [{"field": "contentType", "value": None,
                                                      "expectation": "no content type: expected application/json"}]
    assert messages(post([], content_type="text/plain")) == [{"field": "contentType", "value": "text/plain",
                                                              "expectation": "expected application/json"}]
    assert messages(post("[nope"))[0]["error"].startswith("invalid json:")
    assert messages(post({"event": "open"})) == [{"field": "body", "value": '{"event": "open"}',
                                                  "expectation": "body is not a json array"}]
    assert messages(post([])) == [{"field": "", "value": None, "expectation": "empty list of events"}]


def test_sendgrid_is_registered_under_v3_only():
    from enrichment.processing import process_payload
    from tests.webhooks.support import webhook_payload

    [row] = process_payload(webhook_payload("/com.sendgrid/v1", "", "[]", "application/json")).bad
    assert row.failure["messages"] == [{"field": "vendor/version", "value": "com.sendgrid/v1",
                                        "expectation": "vendor/version combination is not supported"}]
