"""Publish schemas into the database registry: meta-schema check, SchemaVer rules, then one atomic save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from iglu.errors import InvalidSchema, PublicationRefused
from iglu.keys import SchemaKey, SchemaVer
from iglu.metaschema import check_self_describing_schema
from iglu.models import Schema
from iglu.schemaver import check_next_version

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Publication:
    """What schema_publish did: `outcome` is created, updated (a patch) or unchanged."""

    schema: Schema
    outcome: str


def patches_allowed() -> bool:
    """Iglu Server's `patchesAllowed`: may a published version be overwritten? Off by default."""
    return bool(getattr(settings, "IGLU_PATCHES_ALLOWED", False))


def schema_publish(
    schema: Any, *, is_public: bool = False, user: Any = None, expected_key: SchemaKey | None = None
) -> Publication:
    """Check and store one schema; raise InvalidSchema or PublicationRefused and store nothing on failure."""
    key = check_self_describing_schema(schema)
    if expected_key is not None and key != expected_key:
        message = f"The self block says {key.uri} but the schema is being published as {expected_key.uri}"
        raise InvalidSchema(message, [{"path": "$.self", "message": message}])
    with transaction.atomic():
        family = list(Schema.objects.select_for_update().filter(vendor=key.vendor, name=key.name, format=key.format))
        publication = _publish_in_family(key, schema, is_public, user, family)
    _forget_cached(key)
    return publication


def _publish_in_family(
    key: SchemaKey, schema: dict[str, Any], is_public: bool, user: Any, family: list[Schema]
) -> Publication:
    existing = next((row for row in family if row.version == key.version), None)
    if existing is not None:
        return _republish(existing, schema, is_public, user)
    _check_new_version(key, schema, is_public, family)
    ver = key.schemaver
    row = Schema.objects.create(
        vendor=key.vendor,
        name=key.name,
        format=key.format,
        version=key.version,
        model=ver.model,
        revision=ver.revision,
        addition=ver.addition,
        schema=schema,
        is_public=is_public,
        created_by=_user(user),
        updated_by=_user(user),
    )
    return Publication(row, CREATED)


def check_publication(schema: Any, is_public: bool = False) -> SchemaKey:
    """Run every check schema_publish runs, without saving (the admin shows the errors inline)."""
    key = check_self_describing_schema(schema)
    family = list(Schema.objects.filter(vendor=key.vendor, name=key.name, format=key.format))
    existing = next((row for row in family if row.version == key.version), None)
    if existing is None:
        _check_new_version(key, schema, is_public, family)
    elif (existing.schema != schema or existing.is_public != is_public) and not patches_allowed():
        raise PublicationRefused(f"{key.uri} is already published; publish a new version (patching is disabled)")
    return key


def _check_new_version(key: SchemaKey, schema: dict[str, Any], is_public: bool, family: list[Schema]) -> None:
    others = [row for row in family if row.version != key.version]
    if others and any(row.is_public != is_public for row in others):
        visibility = "public" if others[0].is_public else "private"
        raise PublicationRefused(f"{key.uri} must be {visibility} like the other versions of its family")
    check_next_version(key.schemaver, [row.schemaver for row in others])
    _check_superseding(key, schema, others)


def _republish(existing: Schema, schema: dict[str, Any], is_public: bool, user: Any) -> Publication:
    if existing.schema == schema and existing.is_public == is_public:
        return Publication(existing, UNCHANGED)
    if not patches_allowed():
        raise PublicationRefused(
            f"{existing.uri} is already published; publish a new version (patching is disabled, IGLU_PATCHES_ALLOWED)"
        )
    existing.schema = schema
    existing.is_public = is_public
    existing.updated_by = _user(user)
    existing.save(update_fields=["schema", "is_public", "updated_by", "updated_at"])
    return Publication(existing, UPDATED)


def _check_superseding(key: SchemaKey, schema: dict[str, Any], others: list[Schema]) -> None:
    """`$supersededBy` must name a later version; `$supersedes` must name earlier versions that exist."""
    target = schema.get("$supersededBy")
    if target is not None and (not isinstance(target, str) or not _later(target, key.schemaver)):
        raise PublicationRefused(f"$supersededBy of {key.uri} must be a later SchemaVer, got {target!r}")
    published = {row.version for row in others}
    for version in schema.get("$supersedes", []) or []:
        if version not in published or _later(version, key.schemaver):
            raise PublicationRefused(f"{key.uri} supersedes {version}, which must exist and be an earlier version")


def _later(version: str, than: SchemaVer) -> bool:
    try:
        return SchemaVer.parse(version) > than
    except ValueError:
        return False


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _forget_cached(key: SchemaKey) -> None:
    """A published schema must be visible to this process at once; other workers reload (DESIGN 10)."""
    from iglu.api import clear_caches

    transaction.on_commit(clear_caches)
    transaction.on_commit(_bump_configuration_version)


def _bump_configuration_version() -> None:
    """Tell workers to reload through the enrichment app's public API, once it offers the bump."""
    from enrichment import api as enrichment_api

    bump = getattr(enrichment_api, "config_version_bump", None)
    if bump is not None:
        bump()
