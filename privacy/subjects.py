"""Data-subject requests: find one person's data, preview it, export all of it as JSON, or delete it.

Deletion is the warehouse's `person_delete` (events, per-schema tables, derived tables, bad rows, raw archive);
this module adds the consent state it does not know about, and an audit row for every export and deletion. Audit
rows keep a SHA-256 of the identifier value, never the value, as the warehouse's DeletionRequest does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from privacy.audit import audit_record, json_safe
from privacy.models import ConsentWithdrawal

IDENTIFIERS = ("user_id", "domain_userid", "network_userid")
PREVIEW_ROWS = 50
EXPORT_MAX_EVENTS = 100_000
PREVIEW_COLUMNS = ("event_id", "collector_tstamp", "app_id", "event", "event_name", "page_url", "user_id",
                   "domain_userid", "network_userid", "user_ipaddress")


@dataclass
class SubjectPreview:
    identifier: str
    value: str
    events: int
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    app_ids: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    consent_withdrawals: int = 0


def check_identifier(identifier: str, value: str) -> None:
    """Raise ValueError for an identifier kind we cannot search or an empty value."""
    if identifier not in IDENTIFIERS:
        raise ValueError(f"identifier must be one of {', '.join(IDENTIFIERS)}")
    if not value.strip():
        raise ValueError("enter the identifier's value")


def value_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def get_subject_preview(identifier: str, value: str) -> SubjectPreview:
    """Counts and the latest PREVIEW_ROWS events of the person (three queries)."""
    check_identifier(identifier, value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), min(collector_tstamp), max(collector_tstamp), "
                       f"coalesce(array_agg(DISTINCT app_id) FILTER (WHERE app_id IS NOT NULL), '{{}}') "
                       f"FROM atomic.events WHERE {identifier} = %s", [value])
        count, first, last, app_ids = cursor.fetchone()
        cursor.execute(f"SELECT {', '.join(PREVIEW_COLUMNS)} FROM atomic.events WHERE {identifier} = %s "
                       f"ORDER BY collector_tstamp DESC LIMIT {PREVIEW_ROWS}", [value])
        rows = [dict(zip(PREVIEW_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    withdrawals = ConsentWithdrawal.objects.filter(visitor=value).count()
    return SubjectPreview(identifier, value, count, first, last, sorted(app_ids), rows, withdrawals)


def subject_export(identifier: str, value: str, actor: Any) -> dict[str, Any]:
    """Everything held about the person as one JSON-ready document: events with contexts, entity rows, derived
    rows and consent state. Audited."""
    check_identifier(identifier, value)
    with connection.cursor() as cursor:
        events = _select(cursor, f"SELECT * FROM atomic.events WHERE {identifier} = %s "
                                 f"ORDER BY collector_tstamp LIMIT {EXPORT_MAX_EVENTS}", [value])
        entities = _entities(cursor, [e["event_id"] for e in events])
        derived = _derived(cursor, identifier, value)
    consent_events = [e for e in events if e.get("event_name") in ("consent_granted", "consent_withdrawn",
                                                                     "consent_preferences")]
    withdrawals = list(ConsentWithdrawal.objects.filter(visitor=value).values("site__name", "withdrawn_at"))
    document = {
        "identifier": identifier, "value": value, "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "events": events, "entities": entities, "derived": derived,
        "consent": {"events": consent_events, "withdrawn": withdrawals},
        "truncated": len(events) >= EXPORT_MAX_EVENTS,
    }
    audit_record(actor, "subject.export", "person", object_id=identifier,
                 after={"identifier": identifier, "value_sha256": value_digest(value), "events": len(events)})
    return json_safe(document)


def subject_delete(identifier: str, value: str, actor: Any) -> dict[str, Any]:
    """Delete the person everywhere (warehouse.api.person_delete) plus their consent state; audited."""
    from warehouse.api import person_delete

    check_identifier(identifier, value)
    report = person_delete(identifier, value)
    with transaction.atomic():
        report["consent_withdrawals"], _ = ConsentWithdrawal.objects.filter(visitor=value).delete()
        audit_record(actor, "subject.delete", "person", object_id=identifier,
                     before={"identifier": identifier, "value_sha256": value_digest(value)}, after=report)
    return report


JSON_TYPE_OIDS = frozenset({114, 3802})  # json, jsonb: Django's cursor hands them over as text


def _select(cursor, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor.execute(sql, params)
    names = [column.name for column in cursor.description]
    decode = {column.name for column in cursor.description if column.type_code in JSON_TYPE_OIDS}
    rows = []
    for row in cursor.fetchall():
        item = dict(zip(names, row, strict=True))
        for name in decode:
            if isinstance(item[name], str):
                item[name] = json.loads(item[name])
        rows.append(item)
    return rows


def _entities(cursor, event_ids: list[Any]) -> dict[str, list[dict[str, Any]]]:
    from warehouse.entity_tables import quote
    from warehouse.models import ShreddedTable

    found: dict[str, list[dict[str, Any]]] = {}
    if not event_ids:
        return found
    for table in ShreddedTable.objects.order_by("name"):
        rows = _select(cursor, f"SELECT * FROM atomic.{quote(table.name)} WHERE root_id = ANY(%s)",
                       [list(event_ids)])
        if rows:
            found[table.name] = rows
    return found


def _derived(cursor, identifier: str, value: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of the derived tables naming the person (user_id, or visitor_id for the two visitor ids)."""
    from warehouse.entity_tables import quote

    column = "user_id" if identifier == "user_id" else "visitor_id"
    cursor.execute("SELECT table_name FROM information_schema.columns WHERE table_schema = 'derived' "
                   "AND column_name = ANY(%s) GROUP BY table_name ORDER BY table_name", [[identifier, column]])
    found = {}
    for (table,) in cursor.fetchall():
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'derived' "
                       "AND table_name = %s", [table])
        columns = {name for (name,) in cursor.fetchall()}
        matching = [c for c in (identifier, column) if c in columns]
        where = " OR ".join(f"{quote(c)} = %s" for c in matching)
        rows = _select(cursor, f"SELECT * FROM derived.{quote(table)} WHERE {where}", [value] * len(matching))
        if rows:
            found[table] = rows
    return found
