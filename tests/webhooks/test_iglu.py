"""The Iglu webhook adapter: GET query strings, JSON, self-describing JSON and form bodies (spec 2.1)."""

import json

from tests.webhooks.support import adapt, messages, only_event, params, unstruct

PATH = "/com.snowplowanalytics.iglu/v1"
SCHEMA = "iglu:com.acme/signup/jsonschema/1-0-0"
ALL_TYPES = "expected one of application/json, application/json; charset=utf-8, application/x-www-form-urlencoded"


def test_a_get_turns_every_query_parameter_but_the_tracker_ones_into_string_data():
    raw = only_event(adapt(PATH, f"schema={SCHEMA}&aid=web&p=mob&nuid=n-1&cv=c&plan=pro&seats=3&empty=&flag"))
    assert unstruct(raw) == (SCHEMA, {"plan": "pro", "seats": "3", "empty": None, "flag": None})
    assert params(raw) == {"tv": "com.snowplowanalytics.iglu-v1", "e": "ue", "p": "mob", "aid": "web",
                           "nuid": "n-1", "cv": "c"}


def test_eid_ttm_and_url_stay_in_get_data_as_well_as_becoming_tracker_parameters():
    raw = only_event(adapt(PATH, f"schema={SCHEMA}&eid=6f9c1c1e-8d7b-4a55-9b4e-2f1f0c7a3b21&ttm=1700000000000"
                                 "&url=https%3A%2F%2Fshop.example%2F"))
    _, data = unstruct(raw)
    assert data == {"eid": "6f9c1c1e-8d7b-4a55-9b4e-2f1f0c7a3b21", "ttm": "1700000000000",
                    "url": "https://shop.example/"}
    assert params(raw)["eid"] == data["eid"] and params(raw)["url"] == data["url"]


def test_the_default_platform_is_app_as_in_enrich():
    assert params(only_event(adapt(PATH, f"schema={SCHEMA}&a=1")))["p"] == "app"


def test_a_self_describing_json_body_is_one_event_with_its_own_schema():
    body = json.dumps({"schema": SCHEMA, "data": {"plan": "pro", "seats": 3}})
    raw = only_event(adapt(PATH, "aid=web", body, "application/json"))
    assert unstruct(raw) == (SCHEMA, {"plan": "pro", "seats": 3})
    assert params(raw)["p"] == "app" and params(raw)["aid"] == "web"


def test_a_json_content_type_without_the_space_before_charset_is_accepted():
    body = json.dumps({"schema": SCHEMA, "data": {"plan": "pro"}})
    assert unstruct(only_event(adapt(PATH, "", body, "application/json;charset=utf-8")))[1] == {"plan": "pro"}


def test_a_json_array_with_a_schema_parameter_is_one_event_per_element_without_query_data():
    body = json.dumps([{"plan": "pro"}, {"plan": "free", "seats": 1}])
    result = adapt(PATH, f"schema={SCHEMA}&extra=1", body, "application/json; charset=utf-8")
    assert [unstruct(raw) for raw in result.events] == [(SCHEMA, {"plan": "pro"}), (SCHEMA, {"plan": "free",
                                                                                          "seats": 1})]


def test_a_json_object_with_a_schema_parameter_is_one_event():
    assert unstruct(only_event(adapt(PATH, f"schema={SCHEMA}", '{"plan": "pro"}', "application/json"))) == (
        SCHEMA, {"plan": "pro"})


def test_a_form_body_is_a_flat_string_map_with_platform_srv():
    raw = only_event(adapt(PATH, f"schema={SCHEMA}", "plan=pro&seats=3&empty=&flag",
                           "application/x-www-form-urlencoded"))
    assert unstruct(raw) == (SCHEMA, {"plan": "pro", "seats": "3", "empty": "", "flag": None})
    assert params(raw)["p"] == "srv"


def test_an_empty_post_body_counts_as_no_body_so_the_query_string_is_the_event():
    raw = only_event(adapt(PATH, f"schema={SCHEMA}&plan=pro", "", "application/json"))
    assert unstruct(raw) == (SCHEMA, {"plan": "pro"})


def test_neither_schema_nor_body_gives_two_failures():
    assert messages(adapt(PATH, "aid=web&a=1")) == [
        {"field": "schema", "value": None, "expectation": "empty `schema` field"},
        {"field": "body", "value": None, "expectation": "empty body"}]


def test_a_body_without_content_type_is_refused():
    assert messages(adapt(PATH, f"schema={SCHEMA}", '{"a": 1}', None)) == [
        {"field": "contentType", "value": None, "expectation": ALL_TYPES}]


def test_an_unsupported_content_type_is_refused():
    assert messages(adapt(PATH, f"schema={SCHEMA}", "a", "text/plain")) == [
        {"field": "contentType", "value": "text/plain", "expectation": ALL_TYPES}]


def test_a_self_describing_body_needs_a_json_content_type():
    assert messages(adapt(PATH, "", "a=1", "application/x-www-form-urlencoded")) == [
        {"field": "contentType", "value": "application/x-www-form-urlencoded",
         "expectation": "expected one of application/json, application/json; charset=utf-8"}]


def test_an_invalid_schema_uri_and_an_invalid_schemaver_are_told_apart():
    assert messages(adapt(PATH, "schema=com.acme/signup"))[0] == {
        "field": "schema", "value": "com.acme/signup", "expectation": "INVALID_IGLUURI"}
    assert messages(adapt(PATH, "schema=iglu:com.acme/signup/jsonschema/1-0"))[0] == {
        "field": "schema", "value": "iglu:com.acme/signup/jsonschema/1-0", "expectation": "INVALID_SCHEMAVER"}


def test_a_body_that_is_not_json_is_a_not_json_failure():
    [message] = messages(adapt(PATH, "", "{not json", "application/json"))
    assert message["field"] == "body" and message["value"] == "{not json"
    assert message["error"].startswith("invalid json:")


def test_a_json_body_that_is_not_self_describing_is_a_not_iglu_failure():
    assert messages(adapt(PATH, "", '{"data": {}}', "application/json")) == [
        {"json": {"data": {}}, "error": "INVALID_DATA_PAYLOAD"}]
    assert messages(adapt(PATH, "", '{"schema": "nope", "data": {}}', "application/json")) == [
        {"json": {"schema": "nope", "data": {}}, "error": "INVALID_IGLUURI"}]


def test_an_empty_array_and_an_empty_object_are_refused():
    assert messages(adapt(PATH, f"schema={SCHEMA}", "[]", "application/json")) == [
        {"field": "body", "value": "[]", "expectation": "empty array of events"}]
    assert messages(adapt(PATH, f"schema={SCHEMA}", "{}", "application/json")) == [
        {"field": "body", "value": "{}", "expectation": "has no key-value pairs"}]
