"""Dashboard queries: one query layer shared by pages and the API, so the numbers always agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from dashboards.models import Site


@dataclass(frozen=True)
class DailyTraffic:
    day: dt.date
    page_views: int
    visitors: int


def list_daily_traffic(site: Site, start: dt.date, end: dt.date) -> list[DailyTraffic]:
    """Page views and unique visitors per day in the site's time zone, for days start..end inclusive.

    A visitor is `domain_userid`, or `network_userid` when absent (DESIGN glossary); days are buckets of
    `derived_tstamp` in the site's time zone. Every day of the range is returned, zero-filled.
    """
    sql = """
        WITH local AS (
            SELECT (derived_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,
                   event, coalesce(domain_userid, network_userid) AS visitor
            FROM atomic.events
            WHERE app_id = ANY(%(app_ids)s)
              AND derived_tstamp >= (%(start)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
              AND derived_tstamp < (%(end)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
        )
        SELECT days.day::date,
               count(local.event) FILTER (WHERE local.event = 'page_view'),
               count(DISTINCT local.visitor)
        FROM generate_series(%(start)s::date, %(last)s::date, interval '1 day') AS days(day)
        LEFT JOIN local ON local.day = days.day::date
        GROUP BY 1 ORDER BY 1
    """
    params = {
        "tz": site.timezone,
        "app_ids": list(site.app_ids),
        "start": start,
        "end": end + dt.timedelta(days=1),
        "last": end,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [DailyTraffic(day, views, visitors) for day, views, visitors in cursor.fetchall()]


def get_site_today(site: Site) -> dt.date:
    import zoneinfo

    return dt.datetime.now(zoneinfo.ZoneInfo(site.timezone)).date()
