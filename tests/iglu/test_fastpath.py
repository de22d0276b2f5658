"""The generated fast-path predicates give jsonschema Draft-04's verdict, on tables and on generated instances.

The invariant that matters is "accepted by the fast path => valid for jsonschema"; the predicates are in fact
exact for JSON values, so the tests compare verdicts both ways. The verdict of reference is a Draft4Validator
with the format checks Snowplow applies (iglu.validation.FORMAT_CHECKER), i.e. the full-report path.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from iglu.fastpath import compile_predicate, predicate_source
from iglu.repositories import BUILTIN_SCHEMAS_DIR
from iglu.validation import FORMAT_CHECKER, SchemaValidator

BUILTIN = sorted(
    (path for path in BUILTIN_SCHEMAS_DIR.rglob("*") if path.is_file() and path.parent.name == "jsonschema"),
    key=str,
)


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _reference(schema):
    return Draft4Validator(schema, format_checker=FORMAT_CHECKER)


def _builtin(relative):
    return _load(BUILTIN_SCHEMAS_DIR / relative)


WEB_PAGE = "com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
LINK_CLICK = "com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"


def test_most_builtin_schemas_get_a_predicate_and_the_hot_ones_all_do():
    compiled = [path for path in BUILTIN if compile_predicate(_load(path)) is not None]
    assert len(compiled) >= 0.9 * len(BUILTIN)
    for relative in (WEB_PAGE, LINK_CLICK, "com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
                     "com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
                     "com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                     "com.snowplowanalytics.snowplow/mobile_context/jsonschema/1-0-3",
                     "com.snowplowanalytics.snowplow/client_session/jsonschema/1-0-2"):
        assert compile_predicate(_builtin(relative)) is not None, relative


@pytest.mark.parametrize("keyword", ["$ref", "not", "oneOf", "multipleOf", "uniqueItems", "patternProperties",
                                     "dependencies"])
def test_schemas_using_keywords_it_does_not_translate_get_no_predicate(keyword):
    values = {"$ref": "#/definitions/x", "not": {"type": "string"}, "oneOf": [{"type": "string"}],
              "multipleOf": 0.01, "uniqueItems": True, "patternProperties": {"^a": {}},
              "dependencies": {"a": ["b"]}}
    schema = {"type": "object", "properties": {"p": {keyword: values[keyword]}}}
    assert compile_predicate(schema) is None
    assert predicate_source(schema) is None


UUID = "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1"
# (schema, instance, valid under Draft-04): each row is a Draft-04 rule the generated code must keep.
TABLE = [
    ({"type": "integer"}, 1, True),
    ({"type": "integer"}, True, False),  # a boolean is never an integer
    ({"type": "integer"}, 1.0, False),  # Draft-04: 1.0 is a number, not an integer (Draft-06 changed this)
    ({"type": "number"}, 1, True),
    ({"type": "number"}, 1.5, True),
    ({"type": "number"}, False, False),
    ({"type": ["integer", "null"]}, None, True),
    ({"type": ["integer", "null"]}, "1", False),
    ({"type": "boolean"}, 0, False),
    ({"type": "null"}, 0, False),
    ({"type": "string", "maxLength": 3}, "abc", True),
    ({"type": "string", "maxLength": 3}, "abcd", False),
    ({"type": "string", "maxLength": 3}, "été", True),  # code points, not bytes
    ({"type": "string", "minLength": 1}, "", False),
    ({"maxLength": 3}, 12345, True),  # string keywords ignore other types
    ({"minimum": 0}, "-1", True),
    ({"minimum": 0}, -1, False),
    ({"minimum": 0, "exclusiveMinimum": True}, 0, False),
    ({"minimum": 0, "exclusiveMinimum": True}, 0.001, True),
    ({"maximum": 10}, 10, True),
    ({"maximum": 10, "exclusiveMaximum": True}, 10, False),
    ({"maximum": 10}, True, True),  # a boolean is not a number, so maximum does not apply
    ({"type": "string", "pattern": "^a"}, "ab", True),
    ({"type": "string", "pattern": "b"}, "ab", True),  # pattern is a search, not a full match
    ({"type": "string", "pattern": "^b"}, "ab", False),
    ({"type": "string", "format": "uuid"}, UUID, True),
    ({"type": "string", "format": "uuid"}, "not-a-uuid", False),
    ({"type": "string", "format": "date-time"}, "2024-01-31T12:00:00.123Z", True),
    ({"type": "string", "format": "date-time"}, "2024-02-30T12:00:00Z", False),
    ({"type": "string", "format": "date-time"}, "2024-01-31 12:00:00", False),
    ({"type": "string", "format": "uri"}, "https://example.com/a?b=c", True),
    ({"type": "string", "format": "uri"}, "no scheme here", False),
    ({"type": "string", "format": "ipv4"}, "256.1.1.1", False),
    ({"type": "string", "format": "unknown-format"}, "anything", True),  # unknown formats are ignored
    ({"format": "uuid"}, 5, True),
    ({"enum": ["a", "b", None]}, None, True),
    ({"enum": ["a", "b", None]}, "c", False),
    ({"enum": [1, 2]}, True, False),  # enum compares as jsonschema does: true is not 1
    ({"enum": [1, 2]}, 1.0, True),
    ({"enum": [True]}, 1, False),
    ({"enum": [{"a": 1}]}, {"a": 1}, True),
    ({"type": "object", "required": ["a", "b"]}, {"a": 1}, False),
    ({"type": "object", "required": ["a", "b"]}, {"a": 1, "b": None}, True),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"b": 1}, False),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x"}, True),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
     {"a": "x", "b": 2}, True),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
     {"a": "x", "b": "2"}, False),
    ({"type": "object", "minProperties": 1}, {}, False),
    ({"properties": {"a": {"type": "string"}}}, [1], True),  # object keywords ignore other types
    ({"type": "array", "items": {"type": "string"}, "maxItems": 2}, ["a", "b"], True),
    ({"type": "array", "items": {"type": "string"}, "maxItems": 2}, ["a", "b", "c"], False),
    ({"type": "array", "items": {"type": "string"}}, ["a", 1], False),
    ({"type": "array", "items": [{"type": "string"}], "additionalItems": False}, ["a"], True),
    ({"type": "array", "items": [{"type": "string"}], "additionalItems": False}, ["a", "b"], False),
    ({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}}, ["a", 2], True),
    ({"type": "array", "items": [{"type": "string"}]}, [], True),
    ({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 3}]}, 2, False),
    ({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 3}]}, 3, True),
    ({"allOf": [{"type": "string"}, {"maxLength": 1}]}, "ab", False),
    ({"allOf": [{"type": "string"}, {"maxLength": 1}]}, "a", True),
    ({}, {"any": ["thing"]}, True),
    ({"type": "object", "properties": {"when": {"type": ["string", "null"], "format": "date-time"}}},
     {"when": None}, True),
    ({"type": "object", "properties": {"when": {"type": ["string", "null"], "format": "date-time"}}},
     {"when": "yesterday"}, False),
]


@pytest.mark.parametrize(("schema", "instance", "valid"), TABLE)
def test_the_predicate_keeps_draft_04_semantics(schema, instance, valid):
    assert _reference(schema).is_valid(instance) is valid  # the table itself is right
    predicate = compile_predicate(schema)
    assert predicate is not None
    assert predicate(instance) is valid
    validator = SchemaValidator(schema)
    assert validator.is_valid(instance) is valid
    assert (validator.errors(instance) == []) is valid


def test_values_json_does_not_produce_are_left_to_the_full_validator():
    predicate = compile_predicate({"type": "object"})
    assert predicate(()) is False and predicate(frozenset()) is False
    assert compile_predicate({})(object()) is False


@pytest.mark.parametrize(
    ("relative", "instance", "valid"),
    [
        (WEB_PAGE, {"id": UUID}, True),
        (WEB_PAGE, {"id": UUID.upper()}, True),
        (WEB_PAGE, {"id": "not-a-uuid"}, False),
        (WEB_PAGE, {"id": UUID, "extra": 1}, False),
        (WEB_PAGE, {}, False),
        (WEB_PAGE, [UUID], False),
        (LINK_CLICK, {"targetUrl": "https://example.com"}, True),
        (LINK_CLICK, {"targetUrl": ""}, False),
        (LINK_CLICK, {"targetUrl": "x", "elementClasses": ["a", "b"]}, True),
        (LINK_CLICK, {"targetUrl": "x", "elementClasses": ["a", 1]}, False),
        (LINK_CLICK, {"targetUrl": "x", "elementId": None}, False),
        (LINK_CLICK, {"elementId": "cta"}, False),
    ],
)
def test_builtin_web_page_and_link_click(relative, instance, valid):
    schema = _builtin(relative)
    assert _reference(schema).is_valid(instance) is valid
    assert compile_predicate(schema)(instance) is valid


def test_invalid_instances_still_get_every_error_with_its_path():
    reports = SchemaValidator(_builtin(LINK_CLICK)).errors({"elementId": 5, "elementClasses": ["btn", 3], "x": 1})
    assert {(r["path"], r["keyword"]) for r in reports} == {
        ("$", "required"), ("$", "additionalProperties"), ("$.elementId", "type"), ("$.elementClasses[1]", "type"),
    }


# --- generated instances: a strategy near each schema, mixing valid and invalid values ---------------------

FORMAT_EXAMPLES = {
    "uuid": [UUID, UUID.upper(), "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f", "not-a-uuid", ""],
    "date-time": ["2024-01-31T12:00:00.123Z", "2024-01-31T12:00:00+01:00", "2024-02-30T12:00:00Z",
                  "2024-01-31", "2024-01-31T25:00:00Z"],
    "date": ["2024-01-31", "2024-02-30", "31/01/2024"],
    "time": ["12:00:00Z", "12:00", "24:00:00Z"],
    "uri": ["https://example.com/a?b=c", "mailto:a@b.c", "/relative/path", "https://exa mple.com", ""],
    "email": ["a@b.c", "no-at-sign", "a@"],
    "ipv4": ["10.0.0.1", "256.0.0.1", "::1"],
    "ipv6": ["::1", "2001:db8::1", "10.0.0.1"],
    "hostname": ["example.com", "-bad-.com", "a" * 64],
    "regex": ["^a+$", "(unclosed"],
}
WILD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([1.0, 0.5, -2.5, 2**53, math.pi]),
    st.text(max_size=4), st.just([]), st.just({}), st.just(["a", 1]), st.just({"k": "v"}),
)


def _strategy(schema, depth=0):
    if not isinstance(schema, dict) or depth > 6:
        return WILD
    options = []
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    for sub in schema.get("anyOf", []):
        options.append(_strategy(sub, depth + 1))
    if schema.get("allOf"):
        options.append(_strategy(schema["allOf"][0], depth + 1))
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not kinds and "properties" in schema:
        kinds = ["object"]
    for kind in kinds:
        options.append(_kind_strategy(schema, kind, depth))
    options.append(WILD)
    return st.one_of(options)


def _kind_strategy(schema, kind, depth):
    if kind == "string":
        if schema.get("format") in FORMAT_EXAMPLES:
            return st.sampled_from(FORMAT_EXAMPLES[schema["format"]])
        if "pattern" in schema:
            return st.one_of(st.from_regex(schema["pattern"]), st.text(max_size=5))
        low, high = schema.get("minLength", 0), schema.get("maxLength", 12)
        return st.text(min_size=max(low - 1, 0), max_size=min(high + 1, low + 20))
    if kind in ("integer", "number"):
        low, high = schema.get("minimum", -(10**6)), schema.get("maximum", 10**6)
        ints = st.integers(int(max(low, -(2**62))) - 1, int(min(high, 2**62)) + 1)
        if kind == "integer":
            return st.one_of(ints, st.just(1.0))
        return st.one_of(ints, st.floats(low - 1, high + 1, allow_nan=False))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        items = schema.get("items", {})
        item = _strategy(items, depth + 1) if isinstance(items, dict) else WILD
        return st.lists(item, max_size=min(schema.get("maxItems", 3) + 1, 4))
    if kind == "object":
        properties = schema.get("properties", {})
        required = [name for name in schema.get("required", []) if name in properties]
        optional = {name: _strategy(sub, depth + 1) for name, sub in properties.items() if name not in required}
        fixed = st.fixed_dictionaries(
            {name: _strategy(properties[name], depth + 1) for name in required}, optional=optional
        )
        extra = st.dictionaries(st.sampled_from(["zz_extra", *(list(properties)[:2] or ["k"])]), WILD, max_size=1)
        return st.one_of(fixed, st.tuples(fixed, extra).map(lambda pair: {**pair[0], **pair[1]}))
    return WILD


COMPILED = [path for path in BUILTIN if compile_predicate(_load(path)) is not None]


@pytest.mark.parametrize("path", COMPILED, ids=lambda path: "/".join(path.parts[-4:]))
def test_generated_instances_get_the_same_verdict_as_jsonschema(path):
    schema = _load(path)
    predicate = compile_predicate(schema)
    reference = _reference(schema)

    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(_strategy(schema))
    def check(instance):
        assert predicate(instance) is reference.is_valid(instance), instance

    check()


def _verdicts_seen(schema):
    predicate, reference, seen = compile_predicate(schema), _reference(schema), set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(_strategy(schema))
    def check(instance):
        verdict = reference.is_valid(instance)
        seen.add(verdict)
        assert predicate(instance) is verdict

    check()
    return seen


MOBILE = "com.snowplowanalytics.snowplow/mobile_context/jsonschema/1-0-3"


@pytest.mark.parametrize("relative", [WEB_PAGE, LINK_CLICK, MOBILE])
def test_generated_instances_cover_both_verdicts_for_the_hot_schemas(relative):
    assert _verdicts_seen(_builtin(relative)) == {True, False}
