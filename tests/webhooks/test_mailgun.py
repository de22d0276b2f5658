"""Mailgun: one JSON webhook per call, signature block merged into the event data."""

import json

import pytest

from tests.webhooks.support import adapt, messages, only_event, params, process, unstruct
from webhooks.adapters.mailgun import SCHEMAS

PATH = "/com.mailgun/v1"
SIGNATURE = {"timestamp": "1529006854", "token": "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
             "signature": "d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"}


def webhook(event: str, **extra) -> str:
    return json.dumps({"signature": SIGNATURE, "event-data": {
        "event": event, "timestamp": 1529006854.329574, "id": "DACSsAdVSeGpLid7TN03WA",
        "recipient": "alice@example.com", "delivery-status": {"attempt-no": 1, "message": "OK"}, **extra}})


@pytest.mark.parametrize("event", ["bounced", "clicked", "complained", "delivered", "dropped", "opened",
                                   "unsubscribed"])
def test_every_event_maps_to_its_schema_and_validates(event):
    outcome = process(PATH, "aid=mail", webhook(event), "application/json")
    assert outcome.bad == []
    [good] = outcome.good
    assert good.event["unstruct_event"]["data"]["schema"] == SCHEMAS[event]
    assert (good.event["app_id"], good.event["v_tracker"]) == ("mail", "com.mailgun-v1")


def test_the_data_is_the_signature_merged_with_camel_cased_event_data():
    raw = only_event(adapt(PATH, "", webhook("opened", **{"body-plain": "hi", "attachment-count": "2"}),
                           "application/json"))
    assert unstruct(raw)[1] == {"timestamp": "2018-06-14T20:07:34.000Z", "id": "DACSsAdVSeGpLid7TN03WA",
                                "recipient": "alice@example.com", "deliveryStatus": {"attemptNo": 1, "message": "OK"},
                                "attachmentCount": 2, "token": SIGNATURE["token"],
                                "signature": SIGNATURE["signature"]}
    assert params(raw) == {"tv": "com.mailgun-v1", "e": "ue", "p": "srv"}


def test_a_permanent_failure_is_a_dropped_message_and_a_temporary_one_is_reported():
    assert unstruct(only_event(adapt(PATH, "", webhook("failed", severity="permanent"), "application/json")))[0] == (
        SCHEMAS["dropped"])
    assert messages(adapt(PATH, "", webhook("failed", severity="temporary"), "application/json"))[0]["actual"] == (
        "temporary_failure")


def test_request_errors():
    assert messages(adapt(PATH, "", "", "application/json"))[0]["expectation"] == "empty body: no events to process"
    assert messages(adapt(PATH, "", "a=1", "application/x-www-form-urlencoded"))[0]["expectation"] == (
        "expected application/json")
    assert messages(adapt(PATH, "", "{nope", "application/json"))[0]["expectation"].startswith("could not parse body")
    assert messages(adapt(PATH, "", json.dumps({"event-data": {}}), "application/json"))[0]["expectation"] == (
        "no `event` parameter provided: cannot determine event type")
    missing = json.dumps({"signature": {"token": "t"}, "event-data": {"event": "opened"}})
    assert [m["expectation"] for m in messages(adapt(PATH, "", missing, "application/json"))] == [
        "missing 'timestamp'", "missing 'signature'"]
    assert messages(adapt(PATH, "", webhook("accepted"), "application/json"))[0]["expectation"] == (
        "no schema associated with the provided type parameter")
