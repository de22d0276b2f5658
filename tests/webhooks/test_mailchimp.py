"""MailChimp: form POSTs with bracketed keys, one event per call (spec 2.3)."""

from urllib.parse import urlencode

import pytest

from tests.webhooks.support import adapt, messages, only_event, params, unstruct
from webhooks.adapters.mailchimp import SCHEMAS

PATH = "/com.mailchimp/v1"
FORM = "application/x-www-form-urlencoded"


def post(fields: dict, query: str = "", content_type: str | None = FORM):
    return adapt(PATH, query, urlencode(fields), content_type)


@pytest.mark.parametrize("event_type", sorted(SCHEMAS))
def test_every_type_maps_to_its_schema_and_stays_in_the_data(event_type):
    schema, data = unstruct(only_event(post({"type": event_type, "fired_at": "2024-03-01 09:41:07",
                                             "data[list_id]": "a6b"})))
    assert schema == SCHEMAS[event_type]
    assert data == {"type": event_type, "fired_at": "2024-03-01T09:41:07.000Z", "data": {"list_id": "a6b"}}


def test_bracketed_keys_nest_and_numeric_segments_make_objects():
    _, data = unstruct(only_event(post({"type": "subscribe", "data[merges][FNAME]": "Ann",
                                        "data[merges][GROUPINGS][0][id]": "7", "data[merges][GROUPINGS][0][name]": "g",
                                        "data[email]": ""})))
    assert data["data"] == {"merges": {"FNAME": "Ann", "GROUPINGS": {"0": {"id": "7", "name": "g"}}}, "email": ""}


def test_query_parameters_join_the_data_except_the_tracker_ones_and_the_body_wins():
    raw = only_event(post({"type": "profile", "list": "body"}, "aid=news&list=query&extra=q&nuid=n&cv=c"))
    assert unstruct(raw)[1] == {"type": "profile", "list": "body", "extra": "q"}
    assert params(raw) == {"tv": "com.mailchimp-v1", "e": "ue", "p": "srv", "aid": "news", "nuid": "n", "cv": "c"}


def test_a_fired_at_that_does_not_parse_is_left_as_it_is():
    assert unstruct(only_event(post({"type": "cleaned", "fired_at": "soon"})))[1]["fired_at"] == "soon"


def test_a_charset_on_the_content_type_is_accepted():
    assert only_event(post({"type": "upemail"}, content_type=f"{FORM}; charset=utf-8"))


def test_the_bodiless_url_check_is_an_empty_body_failure():
    assert messages(adapt(PATH, "")) == [{"field": "body", "value": None,
                                          "expectation": "empty body: no events to process"}]


def test_content_type_errors():
    assert messages(post({"type": "subscribe"}, content_type=None)) == [{
        "field": "contentType", "value": None,
        "expectation": "no content type: expected application/x-www-form-urlencoded"}]
    assert messages(post({"type": "subscribe"}, content_type="application/json")) == [{
        "field": "contentType", "value": "application/json",
        "expectation": "expected application/x-www-form-urlencoded"}]


def test_type_errors():
    assert messages(post({"fired_at": "x"})) == [{
        "field": "body", "value": "fired_at=x",
        "expectation": "no `type` parameter provided: cannot determine event type"}]
    assert messages(post({"type": ""})) == [{
        "actual": "", "expectedMapping": SCHEMAS, "expectation": "cannot determine event type: type parameter empty"}]
    assert messages(post({"type": "bogus"})) == [{
        "actual": "bogus", "expectedMapping": SCHEMAS,
        "expectation": "no schema associated with the provided type parameter"}]
