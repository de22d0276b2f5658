"""Read queries on the database registry, shaped once for the HTTP API and the admin."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from iglu.apikeys import Permission
from iglu.models import Schema


def list_schemas(
    permission: Permission,
    vendor: str | None = None,
    name: str | None = None,
    fmt: str | None = None,
    model: int | None = None,
) -> QuerySet[Schema]:
    """Schemas the permission may read, narrowed by vendor, name, format and model, in version order."""
    rows = Schema.objects.all()
    for field, value in (("vendor", vendor), ("name", name), ("format", fmt), ("model", model)):
        if value is not None:
            rows = rows.filter(**{field: value})
    return rows.order_by("vendor", "name", "format", "model", "revision", "addition")


def readable(rows: QuerySet[Schema], permission: Permission) -> list[Schema]:
    return [row for row in rows if permission.can_read(row.vendor, row.is_public)]


def get_schema(vendor: str, name: str, fmt: str, version: str) -> Schema | None:
    return Schema.objects.filter(vendor=vendor, name=name, format=fmt, version=version).first()


def schema_repr(row: Schema, representation: str) -> Any:
    """Iglu Server representations: `uri`, `canonical` (the schema), `meta` (schema plus metadata)."""
    if representation == "uri":
        return row.uri
    if representation == "meta":
        metadata = {
            "createdAt": row.created_at.isoformat().replace("+00:00", "Z"),
            "updatedAt": row.updated_at.isoformat().replace("+00:00", "Z"),
            "isPublic": row.is_public,
        }
        return {**row.schema, "metadata": metadata}
    return row.schema
