"""Rollups: per site, per site-local hour, day and month bucket, per dimension value, the counts dashboards need
and a unique-visitor sketch (warehouse.modeling.sketches). Built from the derived tables, never atomic.events.

Attribution (the same as Plausible's and GA's session scope): session dimensions (source, channel, country, ...)
count a session, its bounce, duration and page views in the bucket where the session started; the `page` and
`all` dimensions count each page view in its own bucket; `event` counts events, `goal` conversions. A visitor
is counted in every bucket where one of their sessions started or where they viewed a page or sent an event.

Buckets are rebuilt whole for the days a run touched, so maintenance is incremental and idempotent; a site's
month rows are rebuilt once the month is complete (and again if a late event touches it)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from warehouse.modeling.sketches import build_sketches_sql

NONE = "(none)"

# name -> expression over derived.sessions (alias s). Every value is text; absent values become NONE.
SESSION_DIMENSIONS: dict[str, str] = {
    "source": "coalesce(s.mkt_source, s.refr_source, s.refr_urlhost)",
    "referrer": "s.refr_urlhost",
    "medium": "coalesce(s.mkt_medium, s.refr_medium)",
    "campaign": "s.mkt_campaign",
    "channel": "s.default_channel_group",
    "entry_page": "s.first_page",
    "exit_page": "s.last_page",
    "country": "s.geo_country",
    "region": "s.geo_region_name",
    "city": "s.geo_city",
    "browser": "s.br_family",
    "os": "s.os_family",
    "device": "s.device_category",
    "screen_size": "s.screen_size",
    "language": "s.br_lang",
    "app_version": "s.app_version",
}
DIMENSIONS: tuple[str, ...] = ("all", *SESSION_DIMENSIONS, "page", "event", "goal")
GRAINS = ("h", "d", "m")

_MEASURES = (
    "page_views",
    "sessions",
    "bounces",
    "engaged_sessions",
    "duration_s",
    "engaged_time_s",
    "events",
    "conversions",
    "revenue",
)


def _local(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)"


def _facts_sql() -> list[str]:
    """Statements filling temp table modeling_facts with one row per (fact, dimension) in the UTC range."""
    session_values = ", ".join(
        f"('{name}', coalesce(({expr})::text, '{NONE}'))" for name, expr in SESSION_DIMENSIONS.items()
    )
    buckets = (
        "date_trunc('hour', {t}) AS bucket_h, date_trunc('day', {t}) AS bucket_d, date_trunc('month', {t}) AS bucket_m"
    )
    columns = "bucket_h, bucket_d, bucket_m, is_bot, visitor_id, dimension, value, " + ", ".join(_MEASURES)
    return [
        f"""CREATE TEMP TABLE modeling_facts ON COMMIT DROP AS
        SELECT {buckets.format(t=_local("s.start_tstamp"))}, s.is_bot, s.visitor_id, d.dimension, d.value,
               CASE WHEN d.dimension = 'all' THEN 0 ELSE s.page_views END::bigint AS page_views,
               1::bigint AS sessions, s.is_bounce::int::bigint AS bounces,
               s.is_engaged::int::bigint AS engaged_sessions,
               s.absolute_time_in_s::bigint AS duration_s, s.engaged_time_in_s::bigint AS engaged_time_s,
               0::bigint AS events, 0::bigint AS conversions, 0::double precision AS revenue
        FROM derived.sessions s
        CROSS JOIN LATERAL (VALUES ('all', ''), {session_values}) AS d(dimension, value)
        WHERE s.site_id = %(site_id)s AND s.start_tstamp >= %(lo)s AND s.start_tstamp < %(hi)s""",
        f"""INSERT INTO modeling_facts ({columns})
        SELECT {buckets.format(t=_local("p.start_tstamp"))}, p.is_bot, p.visitor_id, d.dimension, d.value,
               1, d.entries, d.entries * p.session_is_bounce::int, 0, 0, d.engaged, d.events, 0, 0
        FROM derived.page_views p
        CROSS JOIN LATERAL (VALUES ('all', '', 0, 0, 0), ('page', coalesce(p.page, '{NONE}'), p.is_entry::int,
                                    p.engaged_time_in_s, 0),
                                   ('event', 'page_view', 0, 0, 1)) AS d(dimension, value, entries, engaged, events)
        WHERE p.site_id = %(site_id)s AND p.start_tstamp >= %(lo)s AND p.start_tstamp < %(hi)s""",
        f"""INSERT INTO modeling_facts ({columns})
        SELECT {buckets.format(t=_local("e.tstamp"))}, e.is_bot, e.visitor_id, d.dimension, d.value,
               0, 0, 0, 0, 0, 0, 1, 0, 0
        FROM derived.events e CROSS JOIN LATERAL (VALUES ('all', ''), ('event', e.event_name)) AS d(dimension, value)
        WHERE e.site_id = %(site_id)s AND e.tstamp >= %(lo)s AND e.tstamp < %(hi)s""",
        # A goal's `sessions` counts converting sessions: only a session's first conversion of the goal adds one.
        f"""INSERT INTO modeling_facts ({columns})
        SELECT {buckets.format(t=_local("g.tstamp"))}, g.is_bot, g.visitor_id, d.dimension, d.value,
               0, d.first, 0, 0, 0, 0, 0, 1, coalesce(g.value, 0)
        FROM (SELECT g.*, (row_number() OVER (PARTITION BY g.goal_id, g.session_id ORDER BY g.tstamp, g.event_id)
                           = 1)::int AS first
              FROM derived.goal_conversions g
              WHERE g.site_id = %(site_id)s AND g.tstamp >= %(lo)s AND g.tstamp < %(hi)s) g
        CROSS JOIN LATERAL (VALUES ('all', '', 0), ('goal', g.goal_id::text, g.first)) AS d(dimension, value, first)""",
    ]


def _grain_bucket(grain: str) -> str:
    return {"h": "bucket_h", "d": "bucket_d", "m": "bucket_m"}[grain]


def _counts_sql(grain: str) -> str:
    bucket = _grain_bucket(grain)
    sums = ", ".join(f"sum({m}) AS {m}" for m in _MEASURES)
    return f"""
        CREATE TEMP TABLE modeling_counts ON COMMIT DROP AS
        SELECT dimension, {bucket} AS bucket, value, is_bot, {sums}, count(DISTINCT visitor_id) AS visitors
        FROM modeling_facts WHERE {bucket} >= %(start)s AND {bucket} < %(end)s
        GROUP BY dimension, {bucket}, value, is_bot"""


def _sketches_sql(grain: str) -> str:
    bucket = _grain_bucket(grain)
    source = f"""(SELECT DISTINCT dimension, {bucket} AS bucket, value, is_bot, hashtextextended(visitor_id, 0) AS h
                 FROM modeling_facts
                 WHERE visitor_id IS NOT NULL AND {bucket} >= %(start)s AND {bucket} < %(end)s) AS src"""
    return f"CREATE TEMP TABLE modeling_sketches ON COMMIT DROP AS {build_sketches_sql(source, _KEYS)}"


_KEYS = "dimension, bucket, value, is_bot"


def _insert_sql(grain: str) -> str:
    """Counts and sketches are built in temp tables and joined here: an UPDATE of freshly written rollups would
    be planned on stale statistics (nested loops over a table the planner believes empty)."""
    sketch = "s.sketch" if grain != "h" else "NULL::bytea"
    join = "LEFT JOIN modeling_sketches s USING (dimension, bucket, value, is_bot)" if grain != "h" else ""
    return f"""
        INSERT INTO derived.rollups (site_id, grain, dimension, bucket, value, is_bot, {", ".join(_MEASURES)},
                                     visitors, visitors_sketch)
        SELECT %(site_id)s, '{grain}', c.dimension, c.bucket, c.value, c.is_bot,
               {", ".join("c." + m for m in _MEASURES)}, c.visitors, {sketch}
        FROM modeling_counts c {join}"""


def rollups_rebuild(site_id: int, timezone: str, start: dt.date, end: dt.date, grains: tuple[str, ...]) -> None:
    """Rebuild the `grains` rows of a site for site-local days start <= day < end (for 'm', whole months:
    `start` and `end` must be month starts). Runs in the caller's transaction; hour rows carry no sketch."""
    lo_local = dt.datetime.combine(start, dt.time())
    hi_local = dt.datetime.combine(end, dt.time())
    params = {"site_id": site_id, "tz": timezone, "start": lo_local, "end": hi_local}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (%(start)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC',"
            " (%(end)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'",
            params,
        )
        params["lo"], params["hi"] = cursor.fetchone()
        cursor.execute("DROP TABLE IF EXISTS modeling_facts")
        for statement in _facts_sql():
            cursor.execute(statement, params)
        cursor.execute("ANALYZE modeling_facts")
        for grain in grains:
            cursor.execute(
                "DELETE FROM derived.rollups WHERE site_id = %(site_id)s AND grain = %(grain)s"
                " AND bucket >= %(start)s AND bucket < %(end)s",
                {**params, "grain": grain},
            )
            cursor.execute(_counts_sql(grain), params)
            if grain != "h":
                cursor.execute(_sketches_sql(grain), params)
            cursor.execute(_insert_sql(grain), params)
            cursor.execute("DROP TABLE modeling_counts")
            if grain != "h":
                cursor.execute("DROP TABLE modeling_sketches")
        cursor.execute("DROP TABLE modeling_facts")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def rollups_refresh_days(site_id: int, timezone: str, days: set[dt.date], today: dt.date) -> int:
    """Rebuild hour and day rows of the touched `days` (in runs of consecutive days), and the month rows of the
    complete months among them plus last month when it has none yet. Return the number of day runs rebuilt."""
    runs = _consecutive_runs(sorted(days))
    for first, last in runs:
        rollups_rebuild(site_id, timezone, first, last + dt.timedelta(days=1), ("h", "d"))
    this_month = month_start(today)
    months = {month_start(day) for day in days if month_start(day) < this_month}
    previous = month_start(this_month - dt.timedelta(days=1))
    if not _has_month(site_id, previous):
        months.add(previous)
    for month in sorted(months):
        rollups_rebuild(site_id, timezone, month, next_month(month), ("m",))
    return len(runs)


def rollups_rebuild_all(site_id: int, timezone: str, first: dt.date, today: dt.date) -> list[dt.date]:
    """Delete all rollups of a site and rebuild them month by month from `first` to today (a timezone change or
    a full refresh); return the months built (callers show progress)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM derived.rollups WHERE site_id = %s", [site_id])
    months = []
    month = month_start(first)
    this_month = month_start(today)
    while month <= this_month:
        grains = ("h", "d", "m") if month < this_month else ("h", "d")
        rollups_rebuild(site_id, timezone, month, next_month(month), grains)
        months.append(month)
        month = next_month(month)
    return months


def _has_month(site_id: int, month: dt.date) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM derived.rollups WHERE site_id = %s AND grain = 'm' AND dimension = 'all' AND bucket = %s"
            " LIMIT 1",
            [site_id, dt.datetime.combine(month, dt.time())],
        )
        return cursor.fetchone() is not None


def _consecutive_runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and day == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
