"""Pingdom: a GET whose `message` parameter is the incident JSON (spec 2.6)."""

import json
from urllib.parse import urlencode

import pytest

from tests.webhooks.support import adapt, messages, only_event, params, unstruct
from webhooks.adapters.pingdom import SCHEMAS

PATH = "/com.pingdom/v1"
INCIDENT = {"check": "2104477", "checkname": "api", "host": "api.example", "incidentid": 118, "description": "down"}


@pytest.mark.parametrize("action", sorted(SCHEMAS))
def test_every_action_maps_to_its_schema_and_is_removed_from_the_data(action):
    raw = only_event(adapt(PATH, urlencode({"aid": "uptime", "p": "app", "message": json.dumps({**INCIDENT,
                                                                                                "action": action})})))
    assert unstruct(raw) == (SCHEMAS[action], INCIDENT)
    assert params(raw) == {"tv": "com.pingdom-v1", "e": "ue", "p": "app", "aid": "uptime"}


def test_a_python_unicode_wrapped_value_is_unwrapped_instead_of_refused():
    wrapped = "(u'" + json.dumps({**INCIDENT, "action": "assign"}) + "',)"
    assert unstruct(only_event(adapt(PATH, urlencode({"message": wrapped}))))[1] == INCIDENT


def test_errors_in_order():
    assert messages(adapt(PATH, "")) == [{"field": "querystring", "value": None,
                                          "expectation": "empty querystring: no events to process"}]
    assert messages(adapt(PATH, "aid=uptime&check")) == [{"field": "querystring", "value": "aid=uptime&check=null",
                                                         "expectation": "no `message` parameter provided"}]
    [not_json] = messages(adapt(PATH, "message=%7Bnope"))
    assert not_json["field"] == "message" and not_json["error"].startswith("invalid json:")
    assert messages(adapt(PATH, urlencode({"message": json.dumps(INCIDENT)})))[0]["expectation"] == (
        "cannot determine event type: type parameter not provided")
    assert messages(adapt(PATH, urlencode({"message": json.dumps({"action": "pause"})})))[0] == {
        "actual": "pause", "expectedMapping": SCHEMAS,
        "expectation": "no schema associated with the provided type parameter"}
