"""The schema registry admin in headless Chromium: search, edit with inline errors, validate an instance.

The logged-in `page` fixture is the enrichment admin test's, made available by tests/iglu/conftest.py.
"""

from __future__ import annotations

import json

import pytest

from iglu.models import Schema
from iglu.publishing import schema_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"


def _schema(vendor, name, version="1-0-0", **properties):
    return {
        "$schema": META,
        "self": {"vendor": vendor, "name": name, "format": "jsonschema", "version": version},
        "type": "object",
        "properties": {"plan": {"type": "string", "maxLength": 10}, **properties},
        "required": ["plan"],
        "additionalProperties": False,
    }


def test_search_edit_with_inline_errors_and_validate_an_instance(page, live_server):
    schema_publish(_schema("com.acme", "signup"), is_public=True)
    schema_publish(_schema("com.acme", "signup", "1-0-1", coupon={"type": "string"}), is_public=True)
    schema_publish(_schema("com.example", "checkout"))

    # List and search by vendor/name.
    page.goto(f"{live_server.url}/admin/iglu/schema/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 3
    page.fill("#searchbar", "signup")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/admin/iglu/schema/?q=signup")
    texts = page.locator("#result_list tbody").inner_text()
    assert "iglu:com.acme/signup/jsonschema/1-0-0" in texts and "iglu:com.acme/signup/jsonschema/1-0-1" in texts
    assert "checkout" not in texts

    # Edit: a schema that is not valid JSON Schema is refused with the path and the reason on the field.
    page.click("text=iglu:com.acme/signup/jsonschema/1-0-1")
    history = page.locator(".field-version_history").inner_text()
    assert "1-0-0" in history and "1-0-1" in history
    document = json.loads(page.input_value("#id_schema_json"))
    document["properties"]["coupon"]["maxLength"] = "ten"
    page.fill("#id_schema_json", json.dumps(document, indent=2))
    page.click("input[name=_save]")
    errors = page.locator(".field-schema_json .errorlist").inner_text()
    assert "maxLength" in errors and "coupon" in errors
    page.fill("#id_schema_json", "{not json")
    page.click("input[name=_save]")
    assert "Invalid JSON" in page.locator(".field-schema_json .errorlist").inner_text()
    stored = Schema.objects.get(vendor="com.acme", name="signup", version="1-0-1").schema
    assert "maxLength" not in stored["properties"]["coupon"]

    # Validate an instance: every error with its path, then a valid one.
    page.goto(f"{live_server.url}/admin/iglu/schema/validate/")
    instance = {"schema": "iglu:com.acme/signup/jsonschema/1-0-0", "data": {"plan": "a-very-long-plan", "x": 1}}
    page.fill("#id_instance", json.dumps(instance))
    page.click("input[type=submit]")
    table = page.locator("#iglu-reports").inner_text()
    assert "$.plan: may only be 10 characters long" in table
    assert "$.x: is not defined in the schema" in table
    assert "2 problems" in page.locator("#iglu-report-count").inner_text()
    instance["data"] = {"plan": "pro"}
    page.fill("#id_instance", json.dumps(instance))
    page.click("input[type=submit]")
    assert "The instance is valid." in page.locator(".messagelist").inner_text()
    page.fill("#id_instance", json.dumps({"schema": "iglu:com.acme/missing/jsonschema/1-0-0", "data": {}}))
    page.click("input[type=submit]")
    assert "not found" in page.locator("form .errorlist").inner_text().lower()


def test_importing_iglu_resolver_json_from_the_upload_form(page, live_server, tmp_path):
    from iglu.models import ResolverConfig

    bad = tmp_path / "broken.json"
    bad.write_text('{"cacheSize": 5}')
    page.goto(f"{live_server.url}/admin/iglu/resolverconfig/add/")
    page.set_input_files("#id_upload", str(bad))
    page.click("input[name=_save]")
    assert "repositories" in page.locator(".field-upload .errorlist").inner_text()
    assert not ResolverConfig.objects.exists()

    good = tmp_path / "iglu_resolver.json"
    good.write_text(json.dumps({
        "schema": "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3",
        "data": {"cacheSize": 500, "cacheTtl": 600, "repositories": [
            {"name": "Iglu Central", "priority": 0, "vendorPrefixes": ["com.snowplowanalytics"],
             "connection": {"http": {"uri": "http://iglucentral.com"}}},
        ]},
    }))
    page.set_input_files("#id_upload", str(good))
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/iglu/resolverconfig/")
    assert "Iglu Central" in page.locator("#result_list").inner_text()
    assert ResolverConfig.objects.get().file_name == "iglu_resolver.json"
