"""StatusGator, Unbounce and Olark: form POSTs, camelCased keys."""

import json
from urllib.parse import urlencode

from tests.webhooks.support import adapt, messages, only_event, process, unstruct

FORM = "application/x-www-form-urlencoded"
STATUSGATOR = {"service_name": "GitHub", "favicon_url": "https://favicons.example/github.png",
               "status_page_url": "https://www.githubstatus.com", "home_page_url": "https://github.com",
               "current_status": "warn", "last_status": "up", "occurred_at": "2024-03-05T09:14:22+00:00"}


def test_a_statusgator_change_is_one_status_change_event_with_camel_cased_keys():
    outcome = process("/com.statusgator/v1", "aid=ops", urlencode(STATUSGATOR), FORM)
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]
    assert data["schema"] == "iglu:com.statusgator/status_change/jsonschema/1-0-0"
    assert data["data"]["serviceName"] == "GitHub" and data["data"]["currentStatus"] == "warn"


def test_statusgator_request_errors():
    assert messages(adapt("/com.statusgator/v1", "", "", FORM))[0]["expectation"] == "empty body: no events to process"
    assert messages(adapt("/com.statusgator/v1", "", "a=1", None))[0]["expectation"] == (
        "no content type: expected application/x-www-form-urlencoded")


UNBOUNCE = {"page_id": "7648177d-7323-4330-b4f9-9951a52138b6", "page_name": "Spring offer", "variant": "a",
            "page_url": "https://offers.example.com/spring", "data.json": json.dumps(
                {"first_name": ["Ann"], "email": ["ann@example.com"], "ip_address": "203.0.113.7"}),
            "data.xml": "<x/>"}


def test_an_unbounce_submission_nests_data_json_and_drops_data_xml():
    outcome = process("/com.unbounce/v1", "", urlencode(UNBOUNCE), FORM)
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]["data"]
    assert data == {"pageId": UNBOUNCE["page_id"], "pageName": "Spring offer", "variant": "a",
                    "pageUrl": "https://offers.example.com/spring",
                    "data.json": {"firstName": ["Ann"], "email": ["ann@example.com"], "ipAddress": "203.0.113.7"}}


def test_unbounce_errors_name_every_missing_field_and_a_bad_data_json():
    result = adapt("/com.unbounce/v1", "", urlencode({"page_id": "x"}), FORM)
    assert [m["expectation"] for m in messages(result)] == [
        "missing 'page_name' field in body", "missing 'variant' field in body", "missing 'page_url' field in body",
        "missing 'data.json' field in body"]
    assert messages(adapt("/com.unbounce/v1", "", urlencode({**UNBOUNCE, "data.json": ""}), FORM))[0][
        "expectation"] == "empty 'data.json' field in body"
    assert messages(adapt("/com.unbounce/v1", "", urlencode({**UNBOUNCE, "data.json": "{x"}), FORM))[0][
        "field"] == "data.json"


OFFLINE = {"kind": "Conversation", "id": "EV695BI2930A6XMO32886MPT899443414", "items": [
    {"kind": "OfflineMessage", "timestamp": "1307116657.1", "body": "Hi there"}],
    "visitor": {"kind": "Visitor", "id": "9QRF9YWM5XW3ZSU7P9CGWRU89944341", "fullName": "Ann",
                "emailAddress": "ann@example.com", "ip": "203.0.113.7", "country_code": "NL"}}


def test_an_olark_offline_message_gets_iso_item_times_and_camel_cased_keys():
    outcome = process("/com.olark/v1", "", urlencode({"data": json.dumps(OFFLINE)}), FORM)
    assert outcome.bad == []
    data = outcome.good[0].event["unstruct_event"]["data"]
    assert data["schema"] == "iglu:com.olark/offline_message/jsonschema/1-0-0"
    assert data["data"]["items"][0]["timestamp"] == "2011-06-03T15:57:37.100Z"
    assert data["data"]["visitor"]["countryCode"] == "NL"


def test_an_olark_payload_with_operators_is_a_transcript():
    chat = {**OFFLINE, "operators": {"1": {"username": "op", "kind": "Operator", "id": "1"}}, "items": []}
    schema, _ = unstruct(only_event(adapt("/com.olark/v1", "", urlencode({"data": json.dumps(chat)}), FORM)))
    assert schema == "iglu:com.olark/transcript/jsonschema/1-0-0"


def test_olark_errors():
    assert messages(adapt("/com.olark/v1", "", "other=1", FORM))[0]["expectation"] == "missing 'data' field"
    bad_time = {**OFFLINE, "items": [{"timestamp": "noon"}]}
    assert messages(adapt("/com.olark/v1", "", urlencode({"data": json.dumps(bad_time)}), FORM))[0] == {
        "field": "timestamp", "value": "noon", "expectation": "unexpected timestamp format"}
    assert messages(adapt("/com.olark/v1", "", "data=%7Bx", FORM))[0]["field"] == "data"
