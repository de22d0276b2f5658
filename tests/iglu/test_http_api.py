"""The Iglu Server HTTP API under /api/ (spec 4.4), and our resolver reading from it over HTTP."""

import json

import pytest

from iglu.keys import parse_schema_key
from iglu.publishing import schema_publish
from iglu.repositories import HttpRepository
from iglu.resolver import Resolver

pytestmark = pytest.mark.django_db

SUPER = "4ad6b2d6-0000-4000-8000-000000000001"


def schema(version="1-0-0", vendor="com.acme", name="signup"):
    return {
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": vendor, "name": name, "format": "jsonschema", "version": version},
        "type": "object",
        "properties": {"plan": {"type": "string"}},
        "additionalProperties": False,
    }


@pytest.fixture
def super_key(settings):
    settings.IGLU_SUPER_API_KEY = SUPER
    return SUPER


def test_health_answers_ok(client):
    response = client.get("/api/meta/health")
    assert response.status_code == 200
    assert response.content == b"OK"


def test_a_public_schema_is_readable_without_a_key_in_each_representation(client):
    schema_publish(schema(), is_public=True)
    assert client.get("/api/schemas/com.acme/signup/jsonschema/1-0-0").json() == schema()
    assert client.get("/api/schemas/com.acme/signup/jsonschema/1-0-0?repr=uri").json() == (
        "iglu:com.acme/signup/jsonschema/1-0-0"
    )
    meta = client.get("/api/schemas/com.acme/signup/jsonschema/1-0-0?repr=meta").json()
    assert meta["metadata"]["isPublic"] is True


def test_a_private_schema_is_not_found_without_a_read_key(client, super_key):
    schema_publish(schema(), is_public=False)
    assert client.get("/api/schemas/com.acme/signup/jsonschema/1-0-0").status_code == 404
    keys = client.post("/api/auth/keygen", {"vendorPrefix": "com.acme"}, "application/json", HTTP_APIKEY=super_key)
    assert keys.status_code == 201
    read = keys.json()["read"]
    response = client.get("/api/schemas/com.acme/signup/jsonschema/1-0-0", HTTP_APIKEY=read)
    assert response.status_code == 200


def test_lists_return_uris_for_all_vendor_name_and_model(client):
    schema_publish(schema(), is_public=True)
    schema_publish(schema("1-0-1"), is_public=True)
    schema_publish(schema(name="other"), is_public=True)
    assert client.get("/api/schemas").json() == [
        "iglu:com.acme/other/jsonschema/1-0-0",
        "iglu:com.acme/signup/jsonschema/1-0-0",
        "iglu:com.acme/signup/jsonschema/1-0-1",
    ]
    assert client.get("/api/schemas/com.acme/signup").json() == [
        "iglu:com.acme/signup/jsonschema/1-0-0",
        "iglu:com.acme/signup/jsonschema/1-0-1",
    ]
    assert client.get("/api/schemas/com.acme/signup/jsonschema/1").json()[-1] == "iglu:com.acme/signup/jsonschema/1-0-1"


def test_put_needs_a_write_key_for_the_vendor(client, super_key):
    url = "/api/schemas/com.acme/signup/jsonschema/1-0-0?isPublic=true"
    body = json.dumps(schema())
    assert client.put(url, body, "application/json").status_code == 403
    keys = client.post("/api/auth/keygen", {"vendorPrefix": "com.acme"}, "application/json", HTTP_APIKEY=super_key)
    assert client.put(url, body, "application/json", HTTP_APIKEY=keys.json()["read"]).status_code == 403
    response = client.put(url, body, "application/json", HTTP_APIKEY=keys.json()["write"])
    assert response.status_code == 201
    assert response.json()["location"] == "iglu:com.acme/signup/jsonschema/1-0-0"


def test_put_of_a_schema_breaking_the_publication_rules_is_a_conflict(client, super_key):
    url = "/api/schemas/com.acme/signup/jsonschema/1-0-2"
    response = client.put(url, json.dumps(schema("1-0-2")), "application/json", HTTP_APIKEY=super_key)
    assert response.status_code == 409


def test_post_of_an_invalid_schema_reports_the_problems(client, super_key):
    bad = schema()
    bad["type"] = 5
    response = client.post("/api/schemas", json.dumps(bad), "application/json", HTTP_APIKEY=super_key)
    assert response.status_code == 400
    assert response.json()["report"]


def test_delete_is_forbidden_on_a_production_registry(client, super_key):
    schema_publish(schema())
    response = client.delete("/api/schemas/com.acme/signup/jsonschema/1-0-0", HTTP_APIKEY=super_key)
    assert response.status_code == 405
    assert response.json()["message"] == "DELETE is forbidden on production registry"


def test_an_unknown_api_key_is_unauthorized(client):
    assert client.get("/api/schemas", HTTP_APIKEY="not-a-key").status_code == 401


def test_instance_validation_returns_the_data_reports(client):
    body = {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", "data": {}}
    response = client.post("/api/validation/validate/instance", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert response.json()["report"][0]["keyword"] == "required"


def test_schema_validation_accepts_a_good_schema_and_lints_a_bad_one(client):
    url = "/api/validation/validate/schema/jsonschema"
    assert client.post(url, json.dumps(schema()), "application/json").status_code == 200
    assert client.post(url, json.dumps({"type": "object"}), "application/json").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_our_resolver_resolves_from_this_server_over_http(live_server):
    schema_publish(schema(), is_public=True)
    repo = HttpRepository(name="this server", uri=f"{live_server.url}/api")
    resolved = Resolver([repo]).resolve(parse_schema_key("iglu:com.acme/signup/jsonschema/1-0-0"))
    assert resolved.schema == schema()
