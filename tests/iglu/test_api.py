"""The public interface other apps call: resolve, validate, bad-row messages (spec sections 4 and 5)."""

import pytest

from iglu.api import (
    InvalidSchemaKey,
    NotSelfDescribing,
    RegistryUnavailable,
    SchemaNotFound,
    iglu_error_message,
    resolve_schema,
    validate_instance,
)

pytestmark = pytest.mark.django_db

LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"


def test_a_built_in_schema_resolves_with_its_self_block():
    schema = resolve_schema(LINK_CLICK)
    assert schema["self"] == {
        "vendor": "com.snowplowanalytics.snowplow",
        "name": "link_click",
        "format": "jsonschema",
        "version": "1-0-1",
    }


def test_a_valid_link_click_has_no_reports():
    assert validate_instance({"schema": LINK_CLICK, "data": {"targetUrl": "https://example.com/"}}) == []


def test_a_missing_required_property_is_reported_at_the_parent_path():
    reports = validate_instance({"schema": LINK_CLICK, "data": {"elementId": "a"}})
    assert reports == [
        {
            "message": "$.targetUrl: is missing but it is required",
            "path": "$",
            "keyword": "required",
            "targets": ["targetUrl"],
        }
    ]


def test_a_wrong_type_reports_found_and_expected_types():
    reports = validate_instance({"schema": LINK_CLICK, "data": {"targetUrl": "x", "elementId": 5}})
    assert reports == [
        {
            "message": "$.elementId: integer found, string expected",
            "path": "$.elementId",
            "keyword": "type",
            "targets": ["integer", "string"],
        }
    ]


def test_every_error_of_an_invalid_instance_is_reported():
    reports = validate_instance({"schema": LINK_CLICK, "data": {"targetUrl": "", "elementClasses": [1], "x": 1}})
    assert {(r["keyword"], r["path"]) for r in reports} == {
        ("minLength", "$.targetUrl"),
        ("type", "$.elementClasses[0]"),
        ("additionalProperties", "$"),
    }
    extra = next(r for r in reports if r["keyword"] == "additionalProperties")
    assert extra["targets"] == ["x"]


def test_web_page_id_must_be_a_uuid():
    assert validate_instance({"schema": WEB_PAGE, "data": {"id": "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1"}}) == []
    reports = validate_instance({"schema": WEB_PAGE, "data": {"id": "not-a-uuid"}})
    assert [r["keyword"] for r in reports] == ["pattern"]


def test_format_checks_snowplow_applies_are_enforced():
    uri = "iglu:com.snowplowanalytics.snowplow/consent_granted/jsonschema/1-0-0"
    assert validate_instance({"schema": uri, "data": {"expiry": "2030-01-31T12:00:00.000Z"}}) == []
    reports = validate_instance({"schema": uri, "data": {"expiry": "31/01/2030"}})
    assert [(r["keyword"], r["path"]) for r in reports] == [("format", "$.expiry")]


def test_an_unknown_schema_raises_schema_not_found_with_the_lookup_history():
    uri = "iglu:com.acme/unknown_event/jsonschema/1-0-0"
    with pytest.raises(SchemaNotFound) as caught:
        validate_instance({"schema": uri, "data": {}})
    history = caught.value.lookup_history
    assert [h.repository for h in history] == ["Built-in schemas", "Database registry"]
    assert all(h.not_found for h in history)


def test_a_value_that_is_not_self_describing_is_refused():
    with pytest.raises(NotSelfDescribing):
        validate_instance({"schema": LINK_CLICK})
    with pytest.raises(NotSelfDescribing):
        validate_instance({"schema": LINK_CLICK, "data": {}, "extra": 1})
    with pytest.raises(NotSelfDescribing):
        validate_instance(["schema", "data"])


def test_a_bad_schema_string_raises_invalid_schema_key():
    with pytest.raises(InvalidSchemaKey):
        validate_instance({"schema": "iglu:com.acme/event/jsonschema/1-0", "data": {}})
    with pytest.raises(InvalidSchemaKey):
        validate_instance({"schema": ["not", "a", "string"], "data": {}})


def test_a_second_validation_of_the_same_schema_gives_the_same_reports():
    sdj = {"schema": LINK_CLICK, "data": {"elementId": "a"}}
    assert validate_instance(sdj) == validate_instance(sdj)
    assert validate_instance({"schema": LINK_CLICK, "data": {"targetUrl": "x"}}) == []


def test_a_validation_error_message_has_the_bad_row_shape():
    reports = [{"message": "$.a: is missing but it is required", "path": "$", "keyword": "required", "targets": ["a"]}]
    assert iglu_error_message(LINK_CLICK, reports) == {
        "schemaKey": LINK_CLICK,
        "error": {"error": "ValidationError", "dataReports": reports},
    }


def test_a_resolution_error_message_lists_each_repository_lookup():
    uri = "iglu:com.acme/unknown_event/jsonschema/1-0-0"
    with pytest.raises(SchemaNotFound) as caught:
        resolve_schema(uri)
    message = iglu_error_message(uri, caught.value)
    assert message["schemaKey"] == uri
    assert message["error"]["error"] == "ResolutionError"
    first = message["error"]["lookupHistory"][0]
    assert first["repository"] == "Built-in schemas"
    assert first["errors"] == [{"error": "NotFound"}]
    assert first["attempts"] == 1
    assert first["lastAttempt"].endswith("Z")


def test_registry_unavailable_is_a_different_error_from_not_found():
    assert not issubclass(RegistryUnavailable, SchemaNotFound)
    assert not issubclass(SchemaNotFound, RegistryUnavailable)
