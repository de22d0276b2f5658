"""Importing Snowplow's iglu_resolver.json in the admin: validated, stored, and used by the resolver at once."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iglu.errors import SchemaNotFound
from iglu.models import ResolverConfig
from iglu.repositories import EmbeddedRepository, HttpRepository
from iglu.resolver_config import ResolverConfigError, get_resolver, resolver_config_import
from tests.iglu.test_resolver import SNOWPLOW_RESOLVER_FILE

pytestmark = pytest.mark.django_db(transaction=True)

SNOWPLOW_FILE = SNOWPLOW_RESOLVER_FILE


def _upload(admin_client, content: bytes, name: str = "iglu_resolver.json"):
    return admin_client.post(
        "/admin/iglu/resolverconfig/add/", {"upload": SimpleUploadedFile(name, content, "application/json")}
    )


def test_uploading_snowplows_file_stores_it_and_the_resolver_uses_it(admin_client):
    response = _upload(admin_client, json.dumps(SNOWPLOW_FILE).encode())
    assert response.status_code == 302
    row = ResolverConfig.objects.get()
    assert row.file_name == "iglu_resolver.json"
    assert row.uploaded_by.username == "admin"
    assert row.repository_names == ["Iglu Central", "Iglu Central - GCP Mirror"]

    resolver = get_resolver()
    assert resolver.cache_size == 500
    http = [repo for repo in resolver.repositories if isinstance(repo, HttpRepository)]
    assert [(repo.name, repo.uri, repo.priority) for repo in http] == [
        ("Iglu Central", "http://iglucentral.com", 0),
        ("Iglu Central - GCP Mirror", "http://mirror01.iglucentral.com", 1),
    ]
    # The built-in schemas are always asked first (like the client's bootstrap repository); then spec 4.3's
    # order: repositories whose vendorPrefixes match, then local before HTTP, then the lower priority number.
    ordered = [repo.name for repo in resolver.ordered_repositories("com.snowplowanalytics.snowplow")]
    assert ordered == ["Built-in schemas", "Iglu Central", "Iglu Central - GCP Mirror", "Database registry"]
    ordered = [repo.name for repo in resolver.ordered_repositories("com.acme")]
    assert ordered == ["Built-in schemas", "Database registry", "Iglu Central", "Iglu Central - GCP Mirror"]


def test_the_list_shows_the_newest_upload_as_the_one_in_use(admin_client):
    first = resolver_config_import(json.dumps(SNOWPLOW_FILE), file_name="old.json")
    second = dict(SNOWPLOW_FILE, data={**SNOWPLOW_FILE["data"], "cacheSize": 42})
    newest = resolver_config_import(json.dumps(second), file_name="new.json")
    assert get_resolver().cache_size == 42
    page = admin_client.get("/admin/iglu/resolverconfig/").content.decode()
    assert "new.json" in page and "old.json" in page and "Iglu Central - GCP Mirror" in page
    assert ResolverConfig.objects.first().pk == newest.pk != first.pk


def test_a_pasted_configuration_without_the_envelope_is_accepted(admin_client, tmp_path):
    (tmp_path / "schemas" / "com.acme" / "thing" / "jsonschema").mkdir(parents=True)
    data = {
        "cacheSize": 10,
        "cacheTtl": 60,
        "repositories": [
            {"name": "Local", "priority": 5, "vendorPrefixes": ["com.acme"],
             "connection": {"embedded": {"path": str(tmp_path)}}},
        ],
    }
    response = admin_client.post("/admin/iglu/resolverconfig/add/", {"text": json.dumps(data)})
    assert response.status_code == 302
    resolver = get_resolver()
    assert resolver.cache_ttl == 60
    assert any(isinstance(repo, EmbeddedRepository) and repo.name == "Local" for repo in resolver.repositories)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"schema": "iglu:com.acme/other/jsonschema/1-0-0", "data": {}}).encode(), "resolver-config"),
        (json.dumps({"cacheSize": 5}).encode(), "repositories"),
        (
            json.dumps({"cacheSize": 5, "repositories": [SNOWPLOW_FILE["data"]["repositories"][0]] * 2}).encode(),
            "used twice",
        ),
        (json.dumps({"cacheSize": "big", "repositories": []}).encode(), "cacheSize"),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_nothing_is_stored(admin_client, content, expected):
    response = _upload(admin_client, content)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["upload"])
    assert expected in errors
    assert not ResolverConfig.objects.exists()


def test_an_empty_form_asks_for_a_file(admin_client):
    response = admin_client.post("/admin/iglu/resolverconfig/add/", {})
    assert response.status_code == 200
    assert "Choose an iglu_resolver.json file" in response.content.decode()


def test_the_domain_function_refuses_bad_input_without_storing():
    with pytest.raises(ResolverConfigError, match="not valid JSON"):
        resolver_config_import("[")
    with pytest.raises(ResolverConfigError):
        resolver_config_import(json.dumps([1, 2]))
    assert not ResolverConfig.objects.exists()


def test_an_imported_embedded_repository_serves_schemas(tmp_path):
    folder = tmp_path / "schemas" / "com.acme" / "thing" / "jsonschema"
    folder.mkdir(parents=True)
    schema = {
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": "1-0-0"},
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "additionalProperties": False,
    }
    (folder / "1-0-0").write_text(json.dumps(schema))
    from iglu.api import validate_instance

    instance = {"schema": "iglu:com.acme/thing/jsonschema/1-0-0", "data": {"n": 1}}
    with pytest.raises(SchemaNotFound):
        validate_instance(instance)
    data = {"cacheSize": 10, "repositories": [
        {"name": "Acme", "priority": 0, "vendorPrefixes": ["com.acme"],
         "connection": {"embedded": {"path": str(tmp_path)}}},
    ]}
    resolver_config_import(json.dumps(data), file_name="acme.json")
    assert validate_instance(instance) == []
    assert validate_instance({**instance, "data": {"n": "1"}})[0]["path"] == "$.n"
