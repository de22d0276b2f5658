"""The audit log: every configuration change, permission change, deletion and export, written by explicit calls.

Callers (admin actions and services) call `audit_record` themselves rather than relying on signals, so a row
says what the person did, not what a cascade happened to touch.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from privacy.models import AuditEntry

SECRET_FIELDS = frozenset({"password", "password_hash", "key_hash", "secret", "salt", "token"})


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
        data[field.attname] = "<hidden>" if field.name in SECRET_FIELDS and value else json_safe(value)
    return data


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
        object_type, object_id, object_repr = target._meta.label, str(target.pk or object_id), str(target)[:200]
    else:
        object_type, object_repr = target, ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user, actor_name=user.get_username() if user else "system", action=action,
        object_type=object_type, object_id=str(object_id)[:100], object_repr=object_repr, site=site,
        before=json_safe(before), after=json_safe(after),
    )
