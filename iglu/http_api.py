"""The Iglu Server HTTP API under /api/ (spec 4.4), so Snowplow tools and pipelines can use this registry.

Thin views: parse the request, call one domain function, shape the JSON. The `apikey` header selects a
Permission; anonymous callers read public schemas only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from iglu import api as iglu
from iglu.apikeys import InvalidApiKey, Permission, apikey_delete, apikeys_generate, get_permission
from iglu.errors import IgluError, InvalidSchema, PublicationRefused
from iglu.keys import SchemaKey
from iglu.metaschema import check_self_describing_schema
from iglu.publishing import CREATED, patches_allowed, schema_publish
from iglu.selectors import get_schema, list_schemas, readable, schema_repr

REPRESENTATIONS = {"uri", "canonical", "meta"}


def _message(text: str, http_status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"message": text, **extra}, status=http_status)


def with_permission(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the `apikey` header once; an unknown key is a 401 before the view runs."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            permission = get_permission(request.headers.get("apikey"))
        except InvalidApiKey as error:
            return _message(str(error), 401)
        return view(request, permission, *args, **kwargs)

    return csrf_exempt(wrapper)


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError as error:
        raise InvalidSchema(f"The request body is not valid JSON: {error}") from error


def _is_public(request: HttpRequest) -> bool:
    return request.GET.get("isPublic", "false").lower() == "true"


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


def health_db(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any database failure is an unhealthy answer, never a 500
        return HttpResponse(f"Database unavailable: {error}", status=503, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")


@with_permission
def server_info(request: HttpRequest, permission: Permission) -> HttpResponse:
    return JsonResponse(
        {
            "version": "snowplow-django-iglu",
            "authInfo": {"vendor": "", "schema": None, "key": []} if not permission.super_key else {"super": True},
            "database": "postgres",
            "schemaCount": list_schemas(permission).count(),
            "debug": False,
            "patchesAllowed": patches_allowed(),
        }
    )


@with_permission
def schemas_collection(request: HttpRequest, permission: Permission, **filters: Any) -> HttpResponse:
    """GET lists schemas (all, by vendor, by name, by model); POST publishes a self-describing schema."""
    if request.method == "POST" and not filters:
        return _publish(request, permission, None)
    if request.method != "GET":
        return _message("Method not allowed", 405)
    representation = request.GET.get("repr", "uri")
    if representation not in REPRESENTATIONS:
        return _message(f"repr must be one of {', '.join(sorted(REPRESENTATIONS))}", 400)
    rows = readable(list_schemas(permission, **filters), permission)
    return JsonResponse([schema_repr(row, representation) for row in rows], safe=False)


@with_permission
def schema_resource(request: HttpRequest, permission: Permission, vendor: str, name: str, fmt: str, version: str):
    """GET one schema, PUT a version, DELETE only on a registry that allows patches."""
    try:
        key = iglu.parse_schema_key(f"iglu:{vendor}/{name}/{fmt}/{version}")
    except IgluError as error:
        return _message(str(error), 400)
    if request.method == "PUT":
        return _publish(request, permission, key)
    if request.method == "DELETE":
        return _delete(permission, key)
    row = get_schema(vendor, name, fmt, version)
    if row is None or not permission.can_read(vendor, row.is_public):
        return _message("The schema is not found", 404)
    representation = request.GET.get("repr", "canonical")
    if representation not in REPRESENTATIONS:
        return _message(f"repr must be one of {', '.join(sorted(REPRESENTATIONS))}", 400)
    return JsonResponse(schema_repr(row, representation), safe=False)


def _publish(request: HttpRequest, permission: Permission, key: SchemaKey | None) -> HttpResponse:
    try:
        schema = _json_body(request)
        if key is not None and isinstance(schema, dict) and "self" not in schema:
            schema = {"self": _self_block(key), **schema}
        vendor = key.vendor if key is not None else check_self_describing_schema(schema).vendor
        if not permission.can_write(vendor):
            return _message("Not enough permissions", 403)
        publication = schema_publish(schema, is_public=_is_public(request), expected_key=key)
    except InvalidSchema as error:
        return _message("The schema is not valid", 400, report=error.issues)
    except PublicationRefused as error:
        return _message(str(error), 409)
    created = publication.outcome == CREATED
    return _message(
        "Schema created" if created else "Schema updated" if publication.outcome == "updated" else "Schema unchanged",
        201 if created else 200,
        updated=not created,
        location=publication.schema.uri,
        status=201 if created else 200,
    )


def _self_block(key: SchemaKey) -> dict[str, str]:
    return {"vendor": key.vendor, "name": key.name, "format": key.format, "version": key.version}


def _delete(permission: Permission, key: SchemaKey) -> HttpResponse:
    if not (permission.super_key and patches_allowed()):
        return _message("DELETE is forbidden on production registry", 405)
    row = get_schema(key.vendor, key.name, key.format, key.version)
    if row is None:
        return _message("The schema is not found", 404)
    row.delete()
    iglu.clear_caches()
    return _message("Schema deleted", 200)


@csrf_exempt
def validate_schema(request: HttpRequest, fmt: str = "jsonschema") -> HttpResponse:
    """Lint a schema: the meta-schema and Draft-04 checks a publication would run."""
    if request.method != "POST":
        return _message("Method not allowed", 405)
    try:
        key = check_self_describing_schema(_json_body(request))
    except InvalidSchema as error:
        return _message("The schema does not conform to a JSON Schema v4 specification", 400, report=error.issues)
    return _message(f"The schema {key.uri} is valid", 200, report=[])


@csrf_exempt
def validate_instance(request: HttpRequest) -> HttpResponse:
    """Validate a self-describing JSON against its schema through the resolver."""
    if request.method != "POST":
        return _message("Method not allowed", 405)
    try:
        instance = _json_body(request)
        reports = iglu.validate_instance(instance)
    except iglu.SchemaNotFound as error:
        return _message(str(error), 404)
    except iglu.RegistryUnavailable as error:
        return _message(str(error), 503)
    except IgluError as error:
        return _message(str(error), 400)
    if reports:
        return _message("The instance is not valid against its schema", 400, report=reports)
    return _message(f"The instance is valid against {instance['schema']}", 200, report=[])


@with_permission
def keygen(request: HttpRequest, permission: Permission) -> HttpResponse:
    """POST creates a read and a write key for `vendorPrefix`; DELETE ?key= removes one (super key only)."""
    if not permission.super_key:
        return _message("Not enough permissions", 403)
    if request.method == "DELETE":
        if apikey_delete(request.GET.get("key", "")):
            return _message("Keys have been deleted", 200)
        return _message("The key is not found", 404)
    if request.method != "POST":
        return _message("Method not allowed", 405)
    try:
        body = _json_body(request) if request.body else {}
    except InvalidSchema as error:
        return _message(str(error), 400)
    prefix = (body or {}).get("vendorPrefix") or request.GET.get("vendorPrefix")
    if not isinstance(prefix, str) or not prefix:
        return _message("vendorPrefix is required", 400)
    return JsonResponse(apikeys_generate(prefix), status=201)
