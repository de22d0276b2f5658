"""Dashboard questions under several filters at once, or under a custom-property filter, answered from the
derived tables (derived.sessions, page_views, events, goal_conversions; never atomic.events).

Semantics (the same as Plausible's session-scoped filters): the filters select sessions that started in the range
(site-local days) and satisfy every condition:
- a session dimension (source, country, browser, ...; rollups.SESSION_DIMENSIONS) compares the session's value;
- `page` holds when the session viewed a matching page; `event` when it sent a matching event name (or
  structured action; 'page_view' matches sessions with page views); `goal` when it converted on that goal id;
- `prop` (a custom property of a custom event, self-describing or structured) holds when the session sent an
  event whose property `prop` matches (`is` compares the JSON value as text: "pro", "3", "true").
`is_not` negates a condition (absent values are '(none)'); `contains` is a case-insensitive substring test.

Metrics over the selected sessions: visitors (exact COUNT(DISTINCT)), sessions, bounces, engaged_sessions,
durations, events (custom events), conversions and revenue (goal conversions). page_views counts the sessions'
page views, only those matching the page conditions when there are any (a page filter narrows page counts,
as on Plausible). Time series bucket by session start."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from warehouse.modeling.analysis import analytic_cursor
from warehouse.modeling.reports import Metrics, TimeseriesPoint, UnsupportedQuery, _buckets
from warehouse.modeling.rollups import NONE, SESSION_DIMENSIONS

OPERATORS = ("is", "is_not", "contains")


@dataclass(frozen=True)
class Condition:
    """One filter: `dimension op value`. dimension: a session dimension, 'page', 'event', 'goal' or 'prop'
    (then `prop` names the custom property). op: 'is' | 'is_not' | 'contains'."""

    dimension: str
    value: Any
    op: str = "is"
    prop: str = ""


def as_conditions(filters) -> list[Condition]:
    """Accept {dimension: value} (equality) or a sequence of Condition; validate."""
    if not filters:
        return []
    items = [Condition(d, v) for d, v in filters.items()] if isinstance(filters, dict) else list(filters)
    for c in items:
        if not isinstance(c, Condition):
            raise UnsupportedQuery(f"a filter must be a Condition, not {type(c).__name__}")
        if c.op not in OPERATORS:
            raise UnsupportedQuery(f"unknown filter operator {c.op!r}; expected one of {', '.join(OPERATORS)}")
        if c.dimension == "prop":
            if not c.prop:
                raise UnsupportedQuery("a property filter names its property")
        elif c.dimension not in SESSION_DIMENSIONS and c.dimension not in ("page", "event", "goal"):
            raise UnsupportedQuery(f"cannot filter by {c.dimension!r}")
    return items


def needs_tables(conditions: list[Condition]) -> bool:
    """True unless the question is a single equality filter on a dimension (answered by the rollups)."""
    return len(conditions) > 1 or any(c.op != "is" or c.dimension == "prop" for c in conditions)


def _compare(column: str, c: Condition, name: str) -> str:
    """SQL comparing text `column` (NULL = '(none)') with parameter `name` under c.op, negation excluded."""
    if c.op == "contains":
        return f"strpos(lower(coalesce({column}, '{NONE}')), lower(%({name})s)) > 0"
    return f"coalesce({column}, '{NONE}') = %({name})s"


def _session_where(conditions: list[Condition], params: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """WHERE clauses on derived.sessions s for all conditions, and the positive page tests (column, param) that
    narrow page-view counts."""
    clauses, page_tests = [], []
    for i, c in enumerate(conditions):
        name = f"c{i}"
        params[name] = c.value if isinstance(c.value, str) else json.dumps(c.value)
        if c.dimension in SESSION_DIMENSIONS:
            test = _compare(f"({SESSION_DIMENSIONS[c.dimension]})::text", c, name)
        elif c.dimension == "page":
            test = f"""EXISTS (SELECT 1 FROM derived.page_views p WHERE p.site_id = s.site_id
                       AND p.session_id = s.session_id AND {_compare("p.page", c, name)})"""
            if c.op != "is_not":
                page_tests.append(("page", name, c.op))
        elif c.dimension == "event":
            names = """(SELECT e.event_name AS n FROM derived.events e WHERE e.site_id = s.site_id
                        AND e.session_id = s.session_id
                        UNION ALL SELECT e.se_action FROM derived.events e WHERE e.site_id = s.site_id
                        AND e.session_id = s.session_id AND e.se_action IS NOT NULL
                        UNION ALL SELECT 'page_view' WHERE s.page_views > 0) x"""
            test = f"EXISTS (SELECT 1 FROM {names} WHERE {_compare('x.n', c, name)})"
        elif c.dimension == "goal":
            test = f"""EXISTS (SELECT 1 FROM derived.goal_conversions g WHERE g.site_id = s.site_id
                       AND g.session_id = s.session_id AND {_compare("g.goal_id::text", c, name)})"""
        else:
            test = _property_test(c, name, params)
        clauses.append(f"NOT ({test})" if c.op == "is_not" else test)
    return clauses, page_tests


def _property_test(c: Condition, name: str, params: dict) -> str:
    """Sessions with an event whose property matches; equality uses the GIN index (text and JSON-typed)."""
    params[f"{name}_p"] = c.prop
    base = "SELECT 1 FROM derived.events e WHERE e.site_id = s.site_id AND e.session_id = s.session_id AND "
    if c.op == "contains":
        return f"EXISTS ({base}strpos(lower(e.properties ->> %({name}_p)s), lower(%({name})s)) > 0)"
    docs = [json.dumps({c.prop: c.value})]
    if isinstance(c.value, str):
        try:
            typed = json.loads(c.value)
        except ValueError:
            typed = None
        if typed is not None and not isinstance(typed, str | dict | list):
            docs.append(json.dumps({c.prop: typed}))
    for j, doc in enumerate(docs):
        params[f"{name}_d{j}"] = doc
    return f"EXISTS ({base}({' OR '.join(f'e.properties @> %({name}_d{j})s::jsonb' for j in range(len(docs)))}))"


def _prepare(site, start: dt.date, end: dt.date, conditions, include_bots: bool) -> tuple[str, dict, list]:
    """The CTE `sel` of selected sessions, its params and the page tests."""
    params: dict[str, Any] = {"site_id": site.pk, "tz": site.timezone, "start": start,
                              "end": end + dt.timedelta(days=1), "bots": [False, True] if include_bots else [False]}
    clauses, page_tests = _session_where(as_conditions(conditions), params)
    where = " AND ".join(["TRUE", *clauses])
    cte = f"""sel AS MATERIALIZED (
        SELECT s.site_id, s.session_id, s.visitor_id, s.start_tstamp, s.page_views, s.is_bounce, s.is_engaged,
               s.absolute_time_in_s, s.engaged_time_in_s, {", ".join(f"({e})::text AS d_{n}"
                                                                    for n, e in SESSION_DIMENSIONS.items())}
        FROM derived.sessions s
        WHERE s.site_id = %(site_id)s AND s.is_bot = ANY(%(bots)s)
          AND s.start_tstamp >= (%(start)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
          AND s.start_tstamp < (%(end)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' AND {where})"""
    return cte, params, page_tests


def _page_match(page_tests: list) -> str:
    tests = [("strpos(lower(coalesce(p.page, '(none)')), lower(%(" + n + ")s)) > 0") if op == "contains"
             else f"coalesce(p.page, '{NONE}') = %({n})s" for _, n, op in page_tests]
    return " AND ".join(tests) or "TRUE"


_LOCAL = "(sel.start_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)"


def _grouped_sql(cte: str, page_tests: list, key: str) -> str:
    """Metrics per `key` (an expression over sel) of the selected sessions: one row per key, columns key,
    visitors, page_views, sessions, bounces, engaged_sessions, duration_s, engaged_time_s, events, conversions,
    revenue."""
    page_views = "sel.page_views" if not page_tests else "coalesce(pv.n, 0)"
    pv_join = "" if not page_tests else f"""LEFT JOIN (SELECT p.session_id, count(*) AS n FROM derived.page_views p
            JOIN sel ON p.site_id = sel.site_id AND p.session_id = sel.session_id WHERE {_page_match(page_tests)}
            GROUP BY 1) pv ON pv.session_id = sel.session_id"""
    return f"""WITH {cte},
        ev AS (SELECT e.session_id, count(*) AS n FROM derived.events e
               JOIN sel ON e.site_id = sel.site_id AND e.session_id = sel.session_id GROUP BY 1),
        gc AS (SELECT g.session_id, count(*) AS n, sum(coalesce(g.value, 0)) AS revenue
               FROM derived.goal_conversions g
               JOIN sel ON g.site_id = sel.site_id AND g.session_id = sel.session_id GROUP BY 1)
        SELECT {key} AS k, count(DISTINCT sel.visitor_id), sum({page_views}), count(*),
               count(*) FILTER (WHERE sel.is_bounce), count(*) FILTER (WHERE sel.is_engaged),
               sum(sel.absolute_time_in_s), sum(sel.engaged_time_in_s), sum(coalesce(ev.n, 0)),
               sum(coalesce(gc.n, 0)), sum(coalesce(gc.revenue, 0))
        FROM sel {pv_join} LEFT JOIN ev ON ev.session_id = sel.session_id
        LEFT JOIN gc ON gc.session_id = sel.session_id GROUP BY 1"""


def _metrics(row) -> Metrics:
    visitors, *rest = row
    return Metrics(int(visitors or 0), *[int(v or 0) for v in rest[:-1]], float(rest[-1] or 0))


def _fetch(sql: str, params: dict) -> list[tuple]:
    with analytic_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def get_filtered_totals(site, start: dt.date, end: dt.date, conditions, include_bots: bool = False) -> Metrics:
    """Totals of the sessions selected by all conditions over site-local days start..end."""
    cte, params, page_tests = _prepare(site, start, end, conditions, include_bots)
    rows = _fetch(_grouped_sql(cte, page_tests, "1"), params)
    return _metrics(rows[0][1:]) if rows else Metrics()


def list_filtered_timeseries(site, start: dt.date, end: dt.date, conditions, interval: str = "day",
                             include_bots: bool = False) -> list[TimeseriesPoint]:
    """Zero-filled points per site-local hour/day/week/month of session start; visitors exact per point."""
    if interval not in ("hour", "day", "week", "month"):
        raise UnsupportedQuery(f"unknown interval {interval!r}")
    cte, params, page_tests = _prepare(site, start, end, conditions, include_bots)
    params["trunc"] = interval
    found = {row[0]: _metrics(row[1:]) for row in _fetch(
        _grouped_sql(cte, page_tests, f"date_trunc(%(trunc)s, {_LOCAL})"), params)}
    return [TimeseriesPoint(bucket, found.get(bucket, Metrics())) for bucket in _buckets(start, end, interval)]


def list_filtered_breakdown(site, dimension: str, start: dt.date, end: dt.date, conditions,
                            order_by: str = "visitors", limit: int = 10, offset: int = 0,
                            include_bots: bool = False) -> list:
    """Top values of `dimension` among the selected sessions (exact visitors). Session dimensions group the
    sessions; `page` groups their page views (only the matching ones under page conditions): page_views,
    visitors and sessions that viewed it, engaged time; `event` groups their custom events by name."""
    from warehouse.modeling.reports import ORDERINGS, BreakdownRow

    if order_by not in ORDERINGS:
        raise UnsupportedQuery(f"unknown ordering {order_by!r}; expected one of {', '.join(ORDERINGS)}")
    cte, params, page_tests = _prepare(site, start, end, conditions, include_bots)
    params |= {"limit": limit, "offset": offset}
    if dimension in SESSION_DIMENSIONS:
        rows = _fetch(_grouped_sql(cte, page_tests, f"coalesce(sel.d_{dimension}, '{NONE}')"), params)
        result = [BreakdownRow(row[0], _metrics(row[1:])) for row in rows]
    elif dimension == "page":
        rows = _fetch(f"""WITH {cte}
            SELECT coalesce(p.page, '{NONE}'), count(DISTINCT p.visitor_id), count(*), count(DISTINCT p.session_id),
                   count(*) FILTER (WHERE p.is_entry AND p.session_is_bounce), 0, 0, sum(p.engaged_time_in_s), 0, 0, 0
            FROM derived.page_views p JOIN sel ON p.site_id = sel.site_id AND p.session_id = sel.session_id
            WHERE {_page_match(page_tests)} GROUP BY 1""", params)
        result = [BreakdownRow(row[0], _metrics(row[1:])) for row in rows]
    elif dimension == "event":
        rows = _fetch(f"""WITH {cte}
            SELECT e.event_name, count(DISTINCT e.visitor_id), 0, count(DISTINCT e.session_id), 0, 0, 0, 0,
                   count(*), 0, 0
            FROM derived.events e JOIN sel ON e.site_id = sel.site_id AND e.session_id = sel.session_id
            GROUP BY 1""", params)
        result = [BreakdownRow(row[0], _metrics(row[1:])) for row in rows]
    elif dimension == "all":
        result = [BreakdownRow("", get_filtered_totals(site, start, end, conditions, include_bots))]
    else:
        raise UnsupportedQuery(f"a filtered {dimension!r} breakdown is not supported")
    result.sort(key=lambda row: (-getattr(row.metrics, order_by), row.value))
    return result[offset:offset + limit]

