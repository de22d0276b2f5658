"""Consent shown per site: consent events by day and kind from atomic.events, and the visitors who withdrew."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from dashboards.models import Site
from privacy.consent import CONSENT_EVENTS, VENDOR
from privacy.models import ConsentWithdrawal

RECENT_DAYS = 90


@dataclass
class ConsentSummary:
    by_day: list[dict[str, Any]]
    totals: dict[str, int]
    withdrawn_visitors: int


def get_consent_summary(site: Site) -> ConsentSummary:
    """Consent events of the site's app ids over the last RECENT_DAYS days (two queries)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('day', collector_tstamp)::date AS day, event_name, "
            "coalesce(unstruct_event->'data'->'data'->>'eventType', '') AS kind, count(*) "
            "FROM atomic.events WHERE app_id = ANY(%s) AND event_vendor = %s AND event_name = ANY(%s) "
            f"AND collector_tstamp > now() - interval '{RECENT_DAYS} days' "
            "GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 3",
            [site.app_ids or [""], VENDOR, list(CONSENT_EVENTS)],
        )
        rows = [{"day": day, "event": name, "kind": kind, "count": count}
                for day, name, kind, count in cursor.fetchall()]
    totals: dict[str, int] = {}
    for row in rows:
        label = row["event"] + (f" ({row['kind']})" if row["kind"] else "")
        totals[label] = totals.get(label, 0) + row["count"]
    return ConsentSummary(rows, totals, ConsentWithdrawal.objects.filter(site=site).count())
