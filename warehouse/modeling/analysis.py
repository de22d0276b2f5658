"""Funnels, retention cohorts and custom-property questions, answered from the derived tables (never
atomic.events). Values are always parameters; the SQL shape only depends on the number of funnel steps."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from warehouse.modeling.goals import like_pattern


@dataclass(frozen=True)
class FunnelStep:
    """kind: 'page' (value: a path pattern, `*` = anything), 'event' (an event name or structured action),
    or 'goal' (a Goal id)."""

    kind: str
    value: str


@dataclass(frozen=True)
class FunnelResult:
    step: FunnelStep
    sessions: int  # sessions that reached this step after all previous ones, in order, within the range


@dataclass(frozen=True)
class RetentionRow:
    cohort: dt.date  # site-local Monday of the week the visitors were first seen
    visitors: int  # the cohort's size
    returning: list[int]  # visitors active in week 0, 1, ... after the cohort week (week 0 = all)


@dataclass(frozen=True)
class PropertyTotals:
    events: int
    sessions: int
    visitors: int


@contextmanager
def analytic_cursor():
    """A cursor for the scans of the derived tables, without JIT for this transaction: its compile time (~0.4 s
    measured on a 3-step funnel) exceeds what it saves on these sub-second queries."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield cursor


def _utc_range(site, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (%(lo)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC',"
            " (%(hi)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'",
            {"lo": start, "hi": end + dt.timedelta(days=1), "tz": site.timezone},
        )
        return cursor.fetchone()


_MATCHES = {
    "page": """SELECT session_id, start_tstamp AS t FROM derived.page_views WHERE site_id = %(site_id)s
               AND start_tstamp >= %(lo)s AND start_tstamp < %(hi)s AND is_bot = ANY(%(bots)s)
               AND page LIKE %(v{i})s""",
    "event": """SELECT session_id, tstamp AS t FROM derived.events WHERE site_id = %(site_id)s
                AND tstamp >= %(lo)s AND tstamp < %(hi)s AND is_bot = ANY(%(bots)s)
                AND (event_name = %(v{i})s OR se_action = %(v{i})s)""",
    "goal": """SELECT session_id, tstamp AS t FROM derived.goal_conversions WHERE site_id = %(site_id)s
               AND tstamp >= %(lo)s AND tstamp < %(hi)s AND is_bot = ANY(%(bots)s) AND goal_id = %(v{i})s::int""",
}


def get_funnel(site, steps: list[FunnelStep], start: dt.date, end: dt.date,
               include_bots: bool = False) -> list[FunnelResult]:
    """Sessions reaching each step in order (a step counts at or after the time the previous one was reached)."""
    if not 1 <= len(steps) <= 10 or any(step.kind not in _MATCHES for step in steps):
        raise ValueError("a funnel has 1 to 10 steps of kind page, event or goal")
    lo, hi = _utc_range(site, start, end)
    params: dict[str, Any] = {"site_id": site.pk, "lo": lo, "hi": hi,
                              "bots": [False, True] if include_bots else [False]}
    ctes = []
    for i, step in enumerate(steps):
        params[f"v{i}"] = like_pattern(step.value) if step.kind == "page" else step.value
        matches = _MATCHES[step.kind].format(i=i)
        if i == 0:
            ctes.append(f"f0 AS (SELECT session_id, min(t) AS t FROM ({matches}) m GROUP BY 1)")
        else:
            ctes.append(f"""f{i} AS (SELECT m.session_id, min(m.t) AS t FROM ({matches}) m
                           JOIN f{i - 1} p ON p.session_id = m.session_id AND m.t >= p.t GROUP BY 1)""")
    counts = ", ".join(f"(SELECT count(*) FROM f{i})" for i in range(len(steps)))
    with analytic_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {counts}", params)
        row = cursor.fetchone()
    return [FunnelResult(step, count) for step, count in zip(steps, row, strict=True)]


def list_retention(site, first_week: dt.date, weeks: int = 8, include_bots: bool = False) -> list[RetentionRow]:
    """Weekly cohorts of new visitors for `weeks` weeks from the Monday of `first_week`, and how many of each
    came back in each following week (up to the last week of the window)."""
    monday = first_week - dt.timedelta(days=first_week.weekday())
    lo, hi = _utc_range(site, monday, monday + dt.timedelta(days=7 * weeks - 1))
    params = {"site_id": site.pk, "lo": lo, "hi": hi, "tz": site.timezone,
              "bots": [False, True] if include_bots else [False]}
    sql = """
        WITH cohort AS (
            SELECT visitor_id, date_trunc('week', start_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS week
            FROM derived.users WHERE site_id = %(site_id)s AND start_tstamp >= %(lo)s AND start_tstamp < %(hi)s
              AND is_bot = ANY(%(bots)s)
        ),
        active AS (
            SELECT DISTINCT visitor_id,
                   date_trunc('week', start_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS week
            FROM derived.sessions WHERE site_id = %(site_id)s AND start_tstamp >= %(lo)s AND start_tstamp < %(hi)s
              AND is_bot = ANY(%(bots)s)
        )
        SELECT c.week, (a.week - c.week) / 7, count(*)
        FROM cohort c JOIN active a ON a.visitor_id = c.visitor_id AND a.week >= c.week
        GROUP BY 1, 2 ORDER BY 1, 2"""
    with analytic_cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    result = []
    for index in range(weeks):
        week = monday + dt.timedelta(days=7 * index)
        counts = {offset: count for cohort, offset, count in found if cohort == week}
        returning = [counts.get(offset, 0) for offset in range(weeks - index)]
        result.append(RetentionRow(week, returning[0] if returning else 0, returning))
    return result


def get_property_totals(site, start: dt.date, end: dt.date, prop: str, value: Any, event_name: str | None = None,
                        include_bots: bool = False) -> PropertyTotals:
    """Events (custom events: self-describing fields, or category/action/label/property/value of structured
    ones) whose property `prop` equals `value` (JSON-typed: "pro", 3, true), optionally of one event name."""
    lo, hi = _utc_range(site, start, end)
    params = {"site_id": site.pk, "lo": lo, "hi": hi, "doc": json.dumps({prop: value}), "name": event_name,
              "bots": [False, True] if include_bots else [False]}
    with analytic_cursor() as cursor:
        cursor.execute(
            """SELECT count(*), count(DISTINCT session_id), count(DISTINCT visitor_id) FROM derived.events
               WHERE site_id = %(site_id)s AND tstamp >= %(lo)s AND tstamp < %(hi)s AND is_bot = ANY(%(bots)s)
                 AND properties @> %(doc)s::jsonb AND (%(name)s::text IS NULL OR event_name = %(name)s)""",
            params,
        )
        return PropertyTotals(*cursor.fetchone())


def list_property_values(site, start: dt.date, end: dt.date, event_name: str, prop: str, limit: int = 10,
                         include_bots: bool = False) -> list[tuple[str, PropertyTotals]]:
    """The most frequent values of one property of one event name, with events, sessions and visitors."""
    lo, hi = _utc_range(site, start, end)
    params = {"site_id": site.pk, "lo": lo, "hi": hi, "prop": prop, "name": event_name, "limit": limit,
              "bots": [False, True] if include_bots else [False]}
    with analytic_cursor() as cursor:
        cursor.execute(
            """SELECT coalesce(properties ->> %(prop)s, '(none)'), count(*), count(DISTINCT session_id),
                      count(DISTINCT visitor_id)
               FROM derived.events WHERE site_id = %(site_id)s AND tstamp >= %(lo)s AND tstamp < %(hi)s
                 AND is_bot = ANY(%(bots)s) AND event_name = %(name)s
               GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %(limit)s""",
            params,
        )
        return [(value, PropertyTotals(*counts)) for value, *counts in cursor.fetchall()]
