"""Crash reads for the Apps page: application_error events (iglu:com.snowplowanalytics.snowplow/application_error/
jsonschema/1-0-*) by message, by exception name and by app version, from the data models' derived tables.

derived.events keeps each crash with its properties (`message`, `exceptionName`, ...); the app version is the
one of the crash's session in derived.sessions (the mobile application context's version). Bot traffic is left
out as everywhere else. Before the models have run for the site these tables say they are not available yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from dashboards.errors import QueryError, Unavailable
from dashboards.query import DashboardQuery
from dashboards.tiles import tile

CRASH_EVENT = "application_error"
# Our table dimensions -> the SQL of their value (constants, never user input).
CRASH_DIMENSIONS = {
    "crash_message": "e.properties ->> 'message'",
    "crash_exception": "e.properties ->> 'exceptionName'",
    "crash_app_version": "s.app_version",
}


@dataclass(frozen=True)
class CrashRow:
    value: str | None
    crashes: int
    sessions: int
    visitors: int


@tile("crashes")
def list_crashes(query: DashboardQuery, dimension: str, limit: int = 10, offset: int = 0) -> list[CrashRow]:
    """The most frequent values of one crash dimension over the period: crashes, crashed sessions, visitors."""
    from dashboards.selectors import uses_models

    if query.filters:
        raise QueryError("f", "Crash tables do not take filters yet; remove the filters to see them.")
    if not uses_models(query.site.pk):
        raise Unavailable("Crashes show once the data models have run for this site.")
    column = CRASH_DIMENSIONS[dimension]
    params = {"site_id": query.site.pk, "tz": query.site.timezone, "name": CRASH_EVENT, "limit": limit,
              "offset": offset, "lo": query.period.start, "hi": query.period.end + dt.timedelta(days=1)}
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH bounds AS (SELECT (%(lo)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' AS lo,
                                   (%(hi)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' AS hi)
            SELECT coalesce({column}, '(none)') AS value, count(*), count(DISTINCT e.session_id),
                   count(DISTINCT e.visitor_id)
            FROM derived.events e CROSS JOIN bounds b
            LEFT JOIN derived.sessions s ON s.site_id = e.site_id AND s.session_id = e.session_id
            WHERE e.site_id = %(site_id)s AND e.tstamp >= b.lo AND e.tstamp < b.hi
              AND e.event_name = %(name)s AND NOT e.is_bot
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %(limit)s OFFSET %(offset)s""", params)
        return [CrashRow(*row) for row in cursor.fetchall()]
