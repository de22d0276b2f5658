"""Publishing into the database registry: meta-schema check, publication rules, nothing half-saved."""

import pytest

from iglu.api import resolve_schema, validate_instance
from iglu.errors import InvalidSchema, PublicationRefused
from iglu.models import Schema
from iglu.publishing import CREATED, UNCHANGED, UPDATED, schema_publish

pytestmark = pytest.mark.django_db

META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"


def acme(version="1-0-0", **properties):
    return {
        "$schema": META,
        "self": {"vendor": "com.acme", "name": "button_press", "format": "jsonschema", "version": version},
        "type": "object",
        "properties": properties or {"label": {"type": "string", "maxLength": 10}},
        "required": ["label"],
        "additionalProperties": False,
    }


def test_a_new_schema_is_created_and_resolves_at_once():
    assert schema_publish(acme()).outcome == CREATED
    assert resolve_schema("iglu:com.acme/button_press/jsonschema/1-0-0")["required"] == ["label"]
    data = {"schema": "iglu:com.acme/button_press/jsonschema/1-0-0", "data": {"label": "this is too long"}}
    assert [r["keyword"] for r in validate_instance(data)] == ["maxLength"]


def test_publishing_the_same_schema_twice_is_unchanged():
    schema_publish(acme())
    assert schema_publish(acme()).outcome == UNCHANGED
    assert Schema.objects.count() == 1


def test_changing_a_published_version_is_refused_unless_patches_are_allowed(settings):
    schema_publish(acme())
    changed = acme(label={"type": "string"})
    with pytest.raises(PublicationRefused, match="already published"):
        schema_publish(changed)
    settings.IGLU_PATCHES_ALLOWED = True
    assert schema_publish(changed).outcome == UPDATED
    assert Schema.objects.get().schema["properties"]["label"] == {"type": "string"}


def test_a_version_that_skips_one_is_refused_and_nothing_is_saved():
    schema_publish(acme())
    with pytest.raises(PublicationRefused):
        schema_publish(acme("1-0-2"))
    assert list(Schema.objects.values_list("version", flat=True)) == ["1-0-0"]


def test_a_schema_without_a_self_block_is_refused_naming_the_problem():
    schema = acme()
    del schema["self"]
    with pytest.raises(InvalidSchema) as caught:
        schema_publish(schema)
    assert any("self" in issue["message"] for issue in caught.value.issues)
    assert not Schema.objects.exists()


def test_a_bad_self_block_version_is_refused():
    schema = acme()
    schema["self"]["version"] = "1-0"
    with pytest.raises(InvalidSchema) as caught:
        schema_publish(schema)
    assert caught.value.issues[0]["path"] == "$.self.version"


def test_a_schema_that_is_not_valid_json_schema_is_refused():
    schema = acme()
    schema["type"] = "strnig"
    with pytest.raises(InvalidSchema):
        schema_publish(schema)
    schema = acme(label={"type": "string", "pattern": "(unclosed"})
    with pytest.raises(InvalidSchema, match="regular expression"):
        schema_publish(schema)


def test_a_private_family_cannot_gain_a_public_version():
    schema_publish(acme(), is_public=False)
    with pytest.raises(PublicationRefused, match="private"):
        schema_publish(acme("1-0-1"), is_public=True)


def test_superseded_by_makes_old_data_validate_against_the_newer_version(settings):
    schema_publish(acme())
    schema_publish(acme("1-0-1", label={"type": "string", "maxLength": 100}))
    settings.IGLU_PATCHES_ALLOWED = True
    schema_publish({**acme(), "$supersededBy": "1-0-1"})
    data = {"schema": "iglu:com.acme/button_press/jsonschema/1-0-0", "data": {"label": "longer than ten"}}
    assert validate_instance(data) == []


def test_superseded_by_must_name_a_later_version():
    with pytest.raises(PublicationRefused, match="later"):
        schema_publish({**acme(), "$supersededBy": "1-0-0"})
