"""The schema admin: create with inline errors, version history, the validate-an-instance form."""

import json

import pytest

from iglu.models import Schema
from iglu.publishing import schema_publish

pytestmark = pytest.mark.django_db

META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"


def schema(version="1-0-0"):
    return {
        "$schema": META,
        "self": {"vendor": "com.acme", "name": "signup", "format": "jsonschema", "version": version},
        "type": "object",
        "properties": {"plan": {"type": "string"}},
        "required": ["plan"],
    }


def test_an_admin_creates_a_schema_from_json_text(admin_client):
    response = admin_client.post("/admin/iglu/schema/add/", {"schema_json": json.dumps(schema()), "is_public": "on"})
    assert response.status_code == 302
    row = Schema.objects.get()
    assert row.uri == "iglu:com.acme/signup/jsonschema/1-0-0"
    assert row.is_public
    assert row.created_by.username == "admin"


def test_invalid_json_and_meta_schema_errors_are_shown_on_the_field(admin_client):
    response = admin_client.post("/admin/iglu/schema/add/", {"schema_json": "{not json"})
    assert response.status_code == 200
    assert "Invalid JSON" in response.content.decode()
    no_self = {k: v for k, v in schema().items() if k != "self"}
    response = admin_client.post("/admin/iglu/schema/add/", {"schema_json": json.dumps(no_self)})
    assert "self" in response.context["adminform"].form.errors["schema_json"][0]
    assert not Schema.objects.exists()


def test_a_version_that_breaks_the_rules_is_refused_inline(admin_client):
    response = admin_client.post("/admin/iglu/schema/add/", {"schema_json": json.dumps(schema("1-0-1"))})
    assert response.status_code == 200
    assert "1-0-0" in response.context["adminform"].form.errors["schema_json"][0]


def test_the_change_page_lists_every_version_of_the_family(admin_client):
    schema_publish(schema())
    latest = schema_publish(schema("1-0-1")).schema
    page = admin_client.get(f"/admin/iglu/schema/{latest.pk}/change/").content.decode()
    assert ">1-0-0</a>" in page and ">1-0-1</a>" in page


def test_the_list_is_searchable_by_vendor_and_name(admin_client):
    schema_publish(schema())
    assert "iglu:com.acme/signup" in admin_client.get("/admin/iglu/schema/?q=signup").content.decode()
    assert "iglu:com.acme/signup" not in admin_client.get("/admin/iglu/schema/?q=nothing").content.decode()


def test_the_validate_form_shows_each_data_report(admin_client):
    instance = {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", "data": {"x": 1}}
    page = admin_client.post("/admin/iglu/schema/validate/", {"instance": json.dumps(instance)}).content.decode()
    assert "$.targetUrl: is missing but it is required" in page
    assert "is not defined in the schema" in page
