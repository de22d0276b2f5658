"""Schema keys, SchemaVer ordering and criteria, with values from spec section 4.1-4.2."""

import pytest

from iglu.api import InvalidSchemaKey, SchemaCriterion, SchemaKey, SchemaVer, parse_schema_key


def test_a_snowplow_uri_parses_into_its_four_parts():
    key = parse_schema_key("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1")
    assert key == SchemaKey("com.snowplowanalytics.snowplow", "link_click", "jsonschema", "1-0-1")
    assert key.uri == "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"


def test_vendor_may_contain_dots_hyphens_and_underscores_but_name_may_not_contain_dots():
    assert parse_schema_key("iglu:com.acme-co_x/my-event_1/jsonschema/2-1-0").vendor == "com.acme-co_x"
    with pytest.raises(InvalidSchemaKey):
        parse_schema_key("iglu:com.acme/my.event/jsonschema/1-0-0")


@pytest.mark.parametrize(
    "uri",
    [
        "iglu:com.acme/event/jsonschema/0-0-1",  # model starts at 1
        "iglu:com.acme/event/jsonschema/1-01-0",  # no leading zeros
        "iglu:com.acme/event/jsonschema/1-0",
        "iglu:com.acme/event/1-0-0",
        "com.acme/event/jsonschema/1-0-0",
        "iglu:com.acme/event/jsonschema/1-0-0 ",
        "",
    ],
)
def test_keys_outside_the_sdk_regex_are_rejected_with_a_message(uri):
    with pytest.raises(InvalidSchemaKey) as error:
        parse_schema_key(uri)
    assert str(error.value)


def test_the_message_for_a_missing_prefix_says_what_is_expected():
    with pytest.raises(InvalidSchemaKey, match="must start with 'iglu:'"):
        parse_schema_key("http://acme.com/event/jsonschema/1-0-0")


def test_schemaver_orders_numerically_not_lexically():
    versions = ["1-0-10", "1-0-9", "2-0-0", "1-1-0", "1-0-0"]
    assert [str(v) for v in sorted(SchemaVer.parse(v) for v in versions)] == [
        "1-0-0",
        "1-0-9",
        "1-0-10",
        "1-1-0",
        "2-0-0",
    ]


def test_a_criterion_with_stars_matches_every_revision_and_addition_of_its_model():
    criterion = SchemaCriterion.parse("iglu:com.acme/event/jsonschema/1-*-*")
    assert criterion.matches(parse_schema_key("iglu:com.acme/event/jsonschema/1-3-7"))
    assert criterion.matches("iglu:com.acme/event/jsonschema/1-0-0")
    assert not criterion.matches("iglu:com.acme/event/jsonschema/2-0-0")
    assert not criterion.matches("iglu:com.acme/other/jsonschema/1-0-0")


def test_a_criterion_with_a_fixed_revision_matches_only_that_revision():
    criterion = SchemaCriterion.parse("iglu:com.acme/event/jsonschema/1-0-*")
    assert criterion.matches("iglu:com.acme/event/jsonschema/1-0-5")
    assert not criterion.matches("iglu:com.acme/event/jsonschema/1-1-0")
    assert criterion.uri == "iglu:com.acme/event/jsonschema/1-0-*"


@pytest.mark.parametrize("text", ["iglu:com.acme/event/jsonschema/*-0-0", "iglu:com.acme/event/jsonschema/1-*-0", "x"])
def test_criteria_with_a_star_model_or_a_fixed_addition_after_a_star_are_rejected(text):
    with pytest.raises(InvalidSchemaKey):
        SchemaCriterion.parse(text)
