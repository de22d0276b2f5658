"""Reads for the bad-row browser: filtered rows and groups by failure signature (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, TextField
from django.db.models.functions import Cast

from enrichment.models import BadRow

GROUP_LIMIT = 200


@dataclass(frozen=True)
class BadRowFilters:
    """The browser's filters; empty values filter nothing."""

    type: str = ""
    site: str = ""  # a Site slug: rows whose app_id is one of the site's app ids
    since: datetime | None = None
    until: datetime | None = None
    schema: str = ""  # text of an Iglu URI, or part of one, found anywhere in the bad row
    text: str = ""  # text found in the failure messages
    status: str = ""
    signature: str = ""


@dataclass(frozen=True)
class BadRowGroupRow:
    signature: str
    type: str
    count: int
    new: int
    first_seen: datetime
    last_seen: datetime
    app_ids: list[str]
    message: str
    sample_id: int


def list_badrows(filters: BadRowFilters) -> QuerySet[BadRow]:
    rows = BadRow.objects.all()
    if filters.type:
        rows = rows.filter(type=filters.type)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.signature:
        rows = rows.filter(failure_signature=filters.signature)
    if filters.site:
        rows = rows.filter(app_id__in=_site_app_ids(filters.site))
    if filters.since:
        rows = rows.filter(last_seen__gte=filters.since)
    if filters.until:
        rows = rows.filter(first_seen__lt=filters.until)
    if filters.schema or filters.text:
        rows = rows.annotate(data_text=Cast("data", TextField()))
        if filters.schema:
            rows = rows.filter(data_text__icontains=filters.schema)
        if filters.text:
            rows = rows.annotate(failure_text=Cast("data__data__failure", TextField())).filter(
                failure_text__icontains=filters.text)
    return rows


def _site_app_ids(slug: str) -> list[str]:
    from dashboards.models import Site

    site = Site.objects.filter(slug=slug).first()
    return list(site.app_ids) if site else []


def list_badrow_groups(filters: BadRowFilters, limit: int = GROUP_LIMIT) -> list[BadRowGroupRow]:
    """One line per failure signature with counts, largest first; two queries whatever the number of rows."""
    groups = list(
        list_badrows(filters).order_by().values("failure_signature", "type")
        .annotate(count=Count("id"), new=Count("id", filter=Q(status=BadRow.Status.NEW)), first=Min("first_seen"),
                  last=Max("last_seen"), sample=Min("id"), app_ids=_array_agg_distinct("app_id"))
        .order_by("-count", "failure_signature")[:limit]
    )
    samples = dict(BadRow.objects.filter(id__in=[g["sample"] for g in groups]).values_list("id", "data"))
    return [
        BadRowGroupRow(g["failure_signature"], g["type"], g["count"], g["new"], g["first"], g["last"],
                       sorted(a for a in g["app_ids"] if a)[:5], failure_summary(samples.get(g["sample"])),
                       g["sample"])
        for g in groups
    ]


def _array_agg_distinct(field: str) -> Any:
    from django.contrib.postgres.aggregates import ArrayAgg

    return ArrayAgg(field, distinct=True, default=[])


def list_badrow_types() -> list[str]:
    return list(BadRow.objects.order_by("type").values_list("type", flat=True).distinct())


def failure_summary(data: dict | None) -> str:
    """The first failure message of a bad row, shortened, for one line of the browser."""
    messages = failure_messages(data)
    return messages[0][:300] if messages else ""


def failure_messages(data: dict | None) -> list[str]:
    """Readable failure messages of a Snowplow bad row, whatever its type's failure shape."""
    failure = ((data or {}).get("data") or {}).get("failure")
    if not isinstance(failure, dict):
        return [str(failure)] if failure else []
    messages = failure.get("messages")
    if isinstance(messages, list) and messages:
        return [_message_text(message) for message in messages]
    useful = {k: v for k, v in failure.items() if k not in {"timestamp"}}
    return [", ".join(f"{k}: {v}" for k, v in useful.items())] if useful else []


def _message_text(message: Any) -> str:
    if not isinstance(message, dict):
        return str(message)
    parts = []
    for key in ("schemaKey", "field", "vendor", "version", "value", "expectation"):
        if message.get(key) not in (None, ""):
            parts.append(f"{key}: {message[key]}")
    error = message.get("error") or message.get("message")
    if error:
        parts.append(str(error) if not isinstance(error, dict) else _error_text(error))
    return "; ".join(parts) or str(message)


def _error_text(error: dict) -> str:
    if isinstance(error.get("dataReports"), list):
        return " | ".join(str(report.get("message", report)) for report in error["dataReports"])
    if isinstance(error.get("lookupHistory"), list):
        return f"{error.get('error', 'lookup failed')}: " + ", ".join(
            f"{h.get('repository')} " + "/".join(str(e.get("error", e)) for e in h.get("errors", []))
            for h in error["lookupHistory"] if isinstance(h, dict))
    return ", ".join(f"{k}: {v}" for k, v in error.items())
