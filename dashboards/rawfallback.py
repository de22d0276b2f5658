"""Answers from raw `atomic.events` for a fresh install before the data models exist (not for large data).

Pages call `dashboards.selectors`, which prefers the models' rollups; this module is its stop-gap.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from dashboards.errors import QueryError, Unavailable
from dashboards.filters import Filter
from dashboards.periods import DateRange
from dashboards.query import DashboardQuery

COLUMNS = {
    "page": "page_urlpath", "entry_page": "page_urlpath", "exit_page": "page_urlpath",
    "source": "coalesce(mkt_source, refr_urlhost)", "medium": "coalesce(mkt_medium, refr_medium)",
    "campaign": "mkt_campaign", "term": "mkt_term", "content": "mkt_content",
    "channel": "coalesce(mkt_medium, refr_medium, 'direct')", "referrer": "refr_urlhost",
    "country": "geo_country", "region": "geo_region_name", "city": "geo_city",
    "browser": "br_family", "os": "os_family", "device": "dvce_type",
    "screen_size": ("CASE WHEN dvce_screenwidth IS NULL THEN NULL WHEN dvce_screenwidth < 576 THEN 'Mobile' "
                    "WHEN dvce_screenwidth < 992 THEN 'Tablet' WHEN dvce_screenwidth < 1440 THEN 'Laptop' "
                    "ELSE 'Desktop' END"),
    "language": "br_lang", "event_name": "event_name",
}
VISITOR = "coalesce(domain_userid, network_userid)"
SESSION = "coalesce(domain_sessionid, network_userid)"
TRUNC = {"hour": "hour", "day": "day", "week": "week", "month": "month"}


def _where(query: DashboardQuery, period: DateRange) -> tuple[str, dict]:
    local = "(derived_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)"
    clauses = ["app_id = ANY(%(app_ids)s)", f"{local} >= %(start)s", f"{local} < %(end)s"]
    params: dict = {"tz": query.site.timezone, "app_ids": list(query.site.app_ids),
                    "start": period.start, "end": period.end + dt.timedelta(days=1)}
    for index, condition in enumerate(query.filters):
        clauses.append(_condition(condition, f"f{index}"))
        params[f"f{index}"] = condition.value
    return " AND ".join(clauses), params


def _condition(condition: Filter, name: str) -> str:
    if condition.prop:
        column = "coalesce(unstruct_event::text, '') || coalesce(contexts::text, '')"
        expression = f"position(%({name})s in {column}) > 0"
        return expression if condition.op != "is_not" else f"NOT ({expression})"
    if condition.dimension not in COLUMNS:
        raise QueryError("f", f"Filtering by {condition.dimension} needs the data models, which have not run yet.")
    column = COLUMNS[condition.dimension]
    if condition.op == "is":
        return f"{column} = %({name})s"
    if condition.op == "is_not":
        return f"{column} IS DISTINCT FROM %({name})s"
    return f"position(lower(%({name})s) in lower(coalesce({column}, ''))) > 0"


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def totals(query: DashboardQuery, period: DateRange) -> dict:
    where, params = _where(query, period)
    row = _fetch(f"""SELECT count(DISTINCT {VISITOR}), count(DISTINCT {SESSION}),
                            count(*) FILTER (WHERE event = 'page_view')
                     FROM atomic.events WHERE {where}""", params)[0]
    return {"visitors": row[0], "sessions": row[1], "page_views": row[2]}


def timeseries(query: DashboardQuery, period: DateRange) -> list[tuple]:
    where, params = _where(query, period)
    unit = TRUNC[query.interval]
    params |= {"first": period.start, "last": period.end + dt.timedelta(days=1)}
    local = "(derived_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)"
    return _fetch(f"""
        WITH e AS (SELECT date_trunc('{unit}', {local}) AS bucket, {VISITOR} AS visitor, {SESSION} AS session, event
                   FROM atomic.events WHERE {where}),
             agg AS (SELECT bucket, count(DISTINCT visitor) v, count(DISTINCT session) s,
                            count(*) FILTER (WHERE event = 'page_view') pv FROM e GROUP BY bucket)
        SELECT b.bucket, coalesce(agg.v, 0), coalesce(agg.s, 0), coalesce(agg.pv, 0)
        FROM generate_series(date_trunc('{unit}', %(first)s::timestamp), %(last)s::timestamp - interval '1 second',
                             interval '1 {unit}') AS b(bucket)
        LEFT JOIN agg ON agg.bucket = b.bucket ORDER BY b.bucket""", params)


def breakdown(query: DashboardQuery, dimension: str, limit: int, offset: int) -> list[tuple]:
    where, params = _where(query, query.period)
    column = _dimension_column(dimension)
    params |= {"limit": limit, "offset": offset}
    return _fetch(f"""
        SELECT {column} AS value, count(DISTINCT {VISITOR}), count(*) FILTER (WHERE event = 'page_view'),
               count(DISTINCT {SESSION})
        FROM atomic.events WHERE {where} AND {column} IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT %(limit)s OFFSET %(offset)s""", params)


def breakdown_count(query: DashboardQuery, dimension: str) -> int:
    where, params = _where(query, query.period)
    column = _dimension_column(dimension)
    return _fetch(f"SELECT count(DISTINCT {column}) FROM atomic.events WHERE {where}", params)[0][0]


def _dimension_column(dimension: str) -> str:
    if dimension not in COLUMNS:
        raise Unavailable(f"The {dimension!r} breakdown needs the data models, which have not run for this site yet.")
    return COLUMNS[dimension]
