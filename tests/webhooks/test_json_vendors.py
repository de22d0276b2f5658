"""Marketo, Vero and HubSpot: JSON webhooks."""

import json

import pytest

from tests.webhooks.support import adapt, messages, only_event, process, unstruct
from webhooks.adapters.hubspot import SCHEMAS as HUBSPOT
from webhooks.adapters.vero import SCHEMAS as VERO

MARKETO = {"name": "webhook for A", "step": 6, "campaign": {"id": 160, "name": "avengers assemble"},
           "lead": {"acquisition_date": "2010-11-11 11:11:11", "black_listed": False, "first_name": "the hulk",
                    "updated_at": "2018-06-16 11:23:58", "email_address": "hulk@example.com"},
           "company": {"name": "iron man", "notes": "the something dog leapt over the lazy fox"},
           "datetime": "2018-03-07 14:28:16"}


def test_a_marketo_call_converts_its_date_tokens_to_iso_and_validates():
    outcome = process("/com.marketo/v1", "aid=crm", json.dumps(MARKETO), "application/json")
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]["data"]
    assert data["lead"]["acquisition_date"] == "2010-11-11T11:11:11.000Z"
    assert data["datetime"] == "2018-03-07T14:28:16.000Z" and data["lead"]["first_name"] == "the hulk"


def test_marketo_errors():
    assert messages(adapt("/com.marketo/v1", "", "[1]", "application/json"))[0]["expectation"] == "not a json object"
    assert messages(adapt("/com.marketo/v1", "", "{x", "application/json"))[0]["error"].startswith("invalid json")


def vero(event_type: str) -> dict:
    at = "created_at" if event_type == "user_created" else f"{event_type}_at"
    return {"type": event_type, at: 1435016238, "user": {"id": 123, "email": "steve@example.com"},
            "campaign": {"id": 987, "type": "onetime", "name": "Welcome", "_tags": "welcome"},
            "event": {"name": "Signed up", "triggered_at": 1424012238, "data": {"plan": "pro"}}}


@pytest.mark.parametrize("event_type", sorted(VERO))
def test_every_vero_type_maps_to_its_schema(event_type):
    raw = only_event(adapt("/com.getvero/v1", "", json.dumps(vero(event_type)), "application/json"))
    schema, data = unstruct(raw)
    assert schema == VERO[event_type] and "type" not in data


def test_vero_converts_type_at_and_triggered_at_and_renames_tags():
    # ids as strings: the Iglu Central-compatible schemas do not accept Vero's numeric ids (see the report)
    event = {**vero("sent"), "user": {"id": "123", "email": "s@example.com"}}
    event["campaign"]["id"] = "987"
    outcome = process("/com.getvero/v1", "", json.dumps(event))
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]["data"]
    assert data["sent_at"] == "2015-06-22T23:37:18.000Z"
    assert data["event"]["triggered_at"] == "2015-02-15T14:57:18.000Z"
    assert data["campaign"]["tags"] == "welcome"


def test_vero_errors():
    assert messages(adapt("/com.getvero/v1", "", "{}", "application/json"))[0]["expectation"] == (
        "could not extract 'type': missing or not a string")
    assert messages(adapt("/com.getvero/v1", "", '{"type": "nope"}', "application/json"))[0]["actual"] == "nope"


def hubspot(subscription: str, **extra) -> dict:
    return {"eventId": 1, "subscriptionId": 25, "portalId": 4737818, "occurredAt": 1539145399845,
            "subscriptionType": subscription, "attemptNumber": 0, "objectId": 123, "changeSource": "CRM", **extra}


@pytest.mark.parametrize("subscription", sorted(HUBSPOT))
def test_every_hubspot_subscription_type_maps_to_its_schema_and_validates(subscription):
    extra = {"propertyName": "email", "propertyValue": "a@example.com"} if "propertyChange" in subscription else {
        "changeFlag": "NEW"}
    outcome = process("/com.hubspot/v1", "", json.dumps([hubspot(subscription, **extra)]), "application/json")
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]
    assert data["schema"] == HUBSPOT[subscription]
    assert data["data"]["occurredAt"] == "2018-10-10T04:23:19.845Z" and "subscriptionType" not in data["data"]


def test_a_hubspot_batch_keeps_its_good_events():
    result = adapt("/com.hubspot/v1", "", json.dumps([hubspot("contact.creation"), hubspot("contact.merge")]),
                   "application/json")
    assert len(result.events) == 1
    assert result.failures[0].failure["messages"][0]["expectation"] == (
        "no schema associated with the provided type parameter at index 1")


def test_hubspot_errors():
    assert messages(adapt("/com.hubspot/v1", "", "", "application/json"))[0]["expectation"] == (
        "empty body: no events to process")
    assert messages(adapt("/com.hubspot/v1", "", "{}", "application/json"))[0]["expectation"] == "not a json array"
    assert messages(adapt("/com.hubspot/v1", "", "[]", "text/plain"))[0]["expectation"] == "expected application/json"
