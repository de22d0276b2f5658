"""Per-site retention: a site may keep its events and bad rows for less time than the installation does.

The installation's WAREHOUSE_*_DAYS settings (warehouse.retention) drop whole monthly partitions for everyone;
a site's shorter limit deletes that site's rows (by its app ids) older than its limit, with their entities (the
de-duplication keys stay, so a tracker resending an expired event cannot bring it back), and the derived rows
about single visitors, sessions and events built from them (DERIVED_TIME_COLUMNS); the rollups are aggregates
with no visitor in them and are kept, so past dashboards still show their totals.
`get_retention_preview` says what the next run will delete, for the admin.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction

from dashboards.models import Site
from privacy.audit import audit_record
from privacy.models import SitePrivacy

logger = logging.getLogger(__name__)
# Per-visitor derived tables (warehouse.modeling) and the column that dates a row; matched by site_id.
DERIVED_TIME_COLUMNS = {"page_views": "start_tstamp", "sessions": "start_tstamp", "users": "end_tstamp",
                        "events": "tstamp", "goal_conversions": "tstamp",
                        "session_lifecycle": "last_collector_tstamp"}


@dataclass
class SiteRetention:
    site: Site
    events_days: int
    bad_rows_days: int
    events_before: dt.datetime | None = None
    bad_rows_before: dt.datetime | None = None
    events_due: int = 0
    derived_due: int = 0
    bad_rows_due: int = 0
    oldest_event: dt.datetime | None = None
    deleted: dict[str, int] = field(default_factory=dict)


def _cutoff(now: dt.datetime, days: int) -> dt.datetime | None:
    return now - dt.timedelta(days=days) if days else None


def get_retention_preview(now: dt.datetime | None = None) -> list[SiteRetention]:
    """For every site with a limit of its own: the cutoffs and how many rows the next run deletes."""
    from enrichment.models import BadRow

    now = now or dt.datetime.now(dt.UTC)
    plans = []
    for row in SitePrivacy.objects.select_related("site").order_by("site__name"):
        if not (row.events_retention_days or row.bad_rows_retention_days) or not row.site.app_ids:
            continue
        plan = SiteRetention(row.site, row.events_retention_days, row.bad_rows_retention_days,
                             _cutoff(now, row.events_retention_days), _cutoff(now, row.bad_rows_retention_days))
        if plan.events_before:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*), min(collector_tstamp) FROM atomic.events "
                               "WHERE app_id = ANY(%s) AND collector_tstamp < %s",
                               [row.site.app_ids, plan.events_before.replace(tzinfo=None)])
                plan.events_due, plan.oldest_event = cursor.fetchone()
                for table, column in _derived_tables(cursor).items():
                    cursor.execute(f"SELECT count(*) FROM derived.{table} WHERE site_id = %s AND {column} < %s",
                                   [row.site_id, plan.events_before.replace(tzinfo=None)])
                    plan.derived_due += cursor.fetchone()[0]
        if plan.bad_rows_before:
            plan.bad_rows_due = BadRow.objects.filter(app_id__in=row.site.app_ids,
                                                      last_seen__lt=plan.bad_rows_before).count()
        plans.append(plan)
    return plans


def site_retention_apply(now: dt.datetime | None = None) -> list[SiteRetention]:
    """Delete what each site's limits make due; one transaction per site; audited as `retention.delete`."""
    plans = get_retention_preview(now)
    for plan in plans:
        if plan.events_due or plan.derived_due or plan.bad_rows_due:
            _apply(plan)
            audit_record(None, "retention.delete", plan.site, site=plan.site, after=plan.deleted)
    return plans


def _apply(plan: SiteRetention) -> None:
    from enrichment.models import BadRow
    from warehouse.entity_tables import quote
    from warehouse.models import ShreddedTable

    with transaction.atomic(), connection.cursor() as cursor:
        if plan.events_before:
            cursor.execute("CREATE TEMP TABLE expired_events ON COMMIT DROP AS SELECT event_id, collector_tstamp "
                           "FROM atomic.events WHERE app_id = ANY(%s) AND collector_tstamp < %s",
                           [plan.site.app_ids, plan.events_before.replace(tzinfo=None)])
            entity_rows = 0
            for table in ShreddedTable.objects.all():
                cursor.execute(f"DELETE FROM atomic.{quote(table.name)} t USING expired_events d "
                               "WHERE t.root_id = d.event_id AND t.root_tstamp = d.collector_tstamp")
                entity_rows += cursor.rowcount
            cursor.execute("DELETE FROM atomic.events e USING expired_events d "
                           "WHERE e.event_id = d.event_id AND e.collector_tstamp = d.collector_tstamp")
            plan.deleted["events"], plan.deleted["entity_rows"] = cursor.rowcount, entity_rows
            for table, column in _derived_tables(cursor).items():
                cursor.execute(f"DELETE FROM derived.{table} WHERE site_id = %s AND {column} < %s",
                               [plan.site.pk, plan.events_before.replace(tzinfo=None)])
                if cursor.rowcount:
                    plan.deleted[f"derived.{table}"] = cursor.rowcount
        if plan.bad_rows_before:
            plan.deleted["bad_rows"], _ = BadRow.objects.filter(
                app_id__in=plan.site.app_ids, last_seen__lt=plan.bad_rows_before).delete()
    logger.info("site retention for %s: %s", plan.site, plan.deleted)


def _derived_tables(cursor) -> dict[str, str]:
    """The per-visitor derived tables that exist here (the data models may not be installed)."""
    cursor.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'derived' "
                   "AND column_name = ANY(%s)", [["site_id", *set(DERIVED_TIME_COLUMNS.values())]])
    columns: dict[str, set[str]] = {}
    for table, column in cursor.fetchall():
        columns.setdefault(table, set()).add(column)
    return {table: column for table, column in DERIVED_TIME_COLUMNS.items()
            if {"site_id", column} <= columns.get(table, set())}
