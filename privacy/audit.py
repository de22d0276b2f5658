"""The audit log: every configuration change, permission change, deletion and export, written by explicit calls.

Callers (admin actions and services) call `audit_record` themselves rather than relying on signals, so a row
says what the person did, not what a cascade happened to touch.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
import uuid
from typing import Any

from django.db import models

from privacy.models import AuditEntry

# Field names and JSON keys whose values are secrets (signing_secret, key_hash, apiKey, password, licenseKey, an
# Iglu API key's `key`...): the audit log says that they changed, never what they are.
SECRET_NAME = re.compile(r"secret|passw|token|key_hash|salt|api_?key|license_?key|^key$", re.IGNORECASE)
HIDDEN = "<hidden>"


def json_safe(value: Any) -> Any:
    """Values a JSONField can hold; dates as ISO strings, bytes never (they may be secrets)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<bytes>"
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any] | None:
    """The concrete field values of a model instance, secrets masked, for `before`/`after`."""
    if instance is None:
        return None
    data = {}
    for field in instance._meta.concrete_fields:
        if getattr(field, "auto_now", False):  # bookkeeping that changes on every save, not a change anyone made
            continue
        value = getattr(instance, field.attname)
        data[field.attname] = HIDDEN if SECRET_NAME.search(field.name) and value else mask_secrets(json_safe(value))
    return data


def mask_secrets(value: Any) -> Any:
    """Hide the values of secret-looking keys anywhere inside JSON (enrichment configurations hold API keys)."""
    if isinstance(value, dict):
        return {k: HIDDEN if SECRET_NAME.search(k) and v else mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def object_identity(target: models.Model, object_id: str) -> tuple[str, str]:
    """The id and text shown for an object; a model whose primary key is itself a secret gets a digest."""
    pk = target._meta.pk
    if SECRET_NAME.search(pk.name):
        digest = "sha256:" + hashlib.sha256(str(target.pk).encode()).hexdigest()[:16]
        return digest, f"{target._meta.verbose_name} {digest}"
    return str(target.pk if target.pk is not None else object_id), str(target)[:200]


def changed_only(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Keep only the keys whose values differ, so an entry reads as the change itself."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(actor: Any, action: str, target: models.Model | str, *, site: Any = None,
                 before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                 object_id: str = "") -> AuditEntry:
    """Write one audit row. `actor` is a user or None (a Celery task or command is named `system`)."""
    if isinstance(target, models.Model):
        object_type = target._meta.label
        object_id, object_repr = object_identity(target, object_id)
    else:
        object_type, object_repr = target, ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_name=user.get_username() if user else "system", action=action,
        object_type=object_type, object_id=str(object_id)[:100], object_repr=object_repr, site=site,
        before=mask_secrets(json_safe(before)), after=mask_secrets(json_safe(after)),
    )
