"""Dashboard questions answered from derived.rollups: totals, time series and breakdowns for a date range in the
site's time zone. A range is read as the whole months inside it (month rows) plus its remaining days (day rows),
so a year costs about a dozen month rows and a few dozen day rows per value, whatever the traffic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from warehouse.modeling.rollups import DIMENSIONS, month_start, next_month
from warehouse.modeling.sketches import VisitorUnion

SUMMED = ("page_views", "sessions", "bounces", "engaged_sessions", "duration_s", "engaged_time_s", "events",
          "conversions", "revenue")
ORDERINGS = ("visitors", *SUMMED)


@dataclass(frozen=True)
class Metrics:
    """Counts over a range or bucket. Rates and averages are derived, never stored."""

    visitors: int = 0
    page_views: int = 0
    sessions: int = 0
    bounces: int = 0
    engaged_sessions: int = 0
    duration_s: int = 0
    engaged_time_s: int = 0
    events: int = 0
    conversions: int = 0
    revenue: float = 0.0

    @property
    def bounce_rate(self) -> float | None:
        """Bounced sessions / sessions (0..1), None without sessions."""
        return self.bounces / self.sessions if self.sessions else None

    @property
    def avg_session_duration_s(self) -> float | None:
        return self.duration_s / self.sessions if self.sessions else None

    @property
    def views_per_session(self) -> float | None:
        return self.page_views / self.sessions if self.sessions else None

    @property
    def conversion_rate(self) -> float | None:
        """Converting sessions / all sessions; meaningful on `goal` breakdown rows divided by overview sessions."""
        return self.conversions / self.sessions if self.sessions else None


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    metrics: Metrics


@dataclass(frozen=True)
class TimeseriesPoint:
    bucket: dt.datetime  # site-local start of the hour, day, ISO week (Monday) or month
    metrics: Metrics


class UnsupportedQuery(ValueError):
    """The question names an unknown dimension, interval or ordering."""


def check_dimension(dimension: str) -> None:
    if dimension not in DIMENSIONS:
        raise UnsupportedQuery(f"unknown dimension {dimension!r}; expected one of {', '.join(DIMENSIONS)}")


def _bots(include_bots: bool) -> list[bool]:
    return [False, True] if include_bots else [False]


def _built_months(site_id: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """Months wholly inside start..end (inclusive) whose month rows exist."""
    first = start if start.day == 1 else next_month(start)
    months = []
    while next_month(first) - dt.timedelta(days=1) <= end:
        months.append(first)
        first = next_month(first)
    if not months:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT bucket::date FROM derived.rollups WHERE site_id = %s AND grain = 'm'"
            " AND dimension = 'all' AND bucket >= %s AND bucket < %s",
            [site_id, months[0], next_month(months[-1])],
        )
        built = {row[0] for row in cursor.fetchall()}
    return [month for month in months if month in built]


def _range_filter(site_id: int, start: dt.date, end: dt.date) -> tuple[str, dict]:
    """SQL condition (alias-free) and params selecting month rows for built months and day rows elsewhere, as
    plain bucket ranges (so each is an index range scan that reads no row of the other grain)."""
    clauses, params = _range_clauses(site_id, start, end)
    return "(" + (" OR ".join(clauses) or "FALSE") + ")", params


def _range_clauses(site_id: int, start: dt.date, end: dt.date) -> tuple[list[str], dict]:
    """The plain bucket ranges of _range_filter, one condition each, and their params."""
    months = _built_months(site_id, start, end)
    ranges: list[tuple[str, dt.date, dt.date]] = []
    for month in months:  # consecutive months become one range
        if ranges and ranges[-1][2] == month:
            ranges[-1] = ("m", ranges[-1][1], next_month(month))
        else:
            ranges.append(("m", month, next_month(month)))
    days, cursor_day = [], start
    for _, lo, hi in ranges:
        if cursor_day < lo:
            days.append(("d", cursor_day, lo))
        cursor_day = hi
    if cursor_day < end + dt.timedelta(days=1):
        days.append(("d", cursor_day, end + dt.timedelta(days=1)))
    params: dict = {"month_buckets": months, "day_buckets": [lo + dt.timedelta(days=n) for _, lo, hi in days
                                                              for n in range((hi - lo).days)]}
    clauses = []
    for i, (grain, lo, hi) in enumerate(ranges + days):
        params[f"r{i}_lo"], params[f"r{i}_hi"] = lo, hi
        clauses.append(f"(grain = '{grain}' AND bucket >= %(r{i}_lo)s AND bucket < %(r{i}_hi)s)")
    return clauses, params


def _ranked_rows(clauses: list[str], where: str, columns: str) -> str:
    """The rows of the bucket ranges `clauses` as a UNION ALL of one plain range per branch: each branch is an
    index-only range scan of rollups_rank (an OR of ranges would only filter a scan of every grain's rows)."""
    if not clauses:
        return f"SELECT {columns} FROM derived.rollups WHERE FALSE"
    return " UNION ALL ".join(f"SELECT {columns} FROM derived.rollups WHERE {where} AND {clause}"
                              for clause in clauses)


# The same buckets as equality lists: with `value = ANY(...)` the primary key is probed per (bucket, value).
BUCKET_LISTS = """((grain = 'm' AND bucket = ANY(%(month_buckets)s::timestamp[]))
    OR (grain = 'd' AND bucket = ANY(%(day_buckets)s::timestamp[])))"""


def _metrics(row: Sequence, visitors: int) -> Metrics:
    values = [int(v or 0) for v in row[:-1]] + [float(row[-1] or 0)]
    return Metrics(visitors, *values)


def get_totals(site, start: dt.date, end: dt.date, dimension: str = "all", value: str = "",
               include_bots: bool = False) -> Metrics:
    """Totals of one dimension value ('all', '' for the whole site) over site-local days start..end."""
    check_dimension(dimension)
    condition, params = _range_filter(site.pk, start, end)
    params |= {"site_id": site.pk, "dimension": dimension, "value": value, "bots": _bots(include_bots)}
    sums = ", ".join(f"sum({m})" for m in SUMMED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {sums}, array_agg(visitors_sketch) FROM derived.rollups
                WHERE site_id = %(site_id)s AND dimension = %(dimension)s AND value = %(value)s
                  AND is_bot = ANY(%(bots)s) AND {condition}""",
            params,
        )
        *sums_row, sketches = cursor.fetchone()
    return _metrics(sums_row, VisitorUnion().update(sketches or []).count())


def list_timeseries(site, start: dt.date, end: dt.date, interval: str = "day", dimension: str = "all",
                    value: str = "", include_bots: bool = False) -> list[TimeseriesPoint]:
    """One point per site-local hour/day/week/month from start to end, zero-filled. Hour and day visitors are
    exact; week and month visitors merge the day sketches."""
    check_dimension(dimension)
    if interval not in ("hour", "day", "week", "month"):
        raise UnsupportedQuery(f"unknown interval {interval!r}")
    grain = "h" if interval == "hour" else "d"
    params = {"site_id": site.pk, "dimension": dimension, "value": value, "bots": _bots(include_bots),
              "lo": start, "hi": end + dt.timedelta(days=1), "grain": grain, "trunc": interval}
    sums = ", ".join(f"{m}" for m in SUMMED)
    sketch = "NULL::bytea" if interval in ("hour", "day") else "visitors_sketch"  # exact visitors suffice there
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT date_trunc(%(trunc)s, bucket), {sums}, visitors, {sketch} FROM derived.rollups
                WHERE site_id = %(site_id)s AND grain = %(grain)s AND dimension = %(dimension)s
                  AND value = %(value)s AND is_bot = ANY(%(bots)s) AND bucket >= %(lo)s AND bucket < %(hi)s""",
            params,
        )
        rows = cursor.fetchall()
    sums_by: dict[dt.datetime, list] = defaultdict(lambda: [0] * len(SUMMED))
    unions: dict[dt.datetime, VisitorUnion] = defaultdict(VisitorUnion)
    exact: dict[dt.datetime, int] = defaultdict(int)
    for bucket, *rest in rows:
        *measures, visitors, sketch = rest
        sums_by[bucket] = [a + (b or 0) for a, b in zip(sums_by[bucket], measures, strict=True)]
        exact[bucket] += visitors  # bot and non-bot visitors are distinct ids in practice
        unions[bucket].add(sketch)
    points = []
    for bucket in _buckets(start, end, interval):
        visitors = exact[bucket] if interval in ("hour", "day") else unions[bucket].count()
        points.append(TimeseriesPoint(bucket, _metrics([*sums_by[bucket]], visitors)))
    return points


def _buckets(start: dt.date, end: dt.date, interval: str) -> list[dt.datetime]:
    first = dt.datetime.combine(start, dt.time())
    if interval == "week":
        first -= dt.timedelta(days=start.weekday())
    elif interval == "month":
        first = dt.datetime.combine(month_start(start), dt.time())
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    buckets = []
    while first < stop:
        buckets.append(first)
        if interval == "hour":
            first += dt.timedelta(hours=1)
        elif interval == "day":
            first += dt.timedelta(days=1)
        elif interval == "week":
            first += dt.timedelta(days=7)
        else:
            first = dt.datetime.combine(next_month(first.date()), dt.time())
    return buckets


def list_breakdown(site, dimension: str, start: dt.date, end: dt.date, order_by: str = "visitors",
                   limit: int = 10, offset: int = 0, include_bots: bool = False) -> list[BreakdownRow]:
    """The top values of a dimension over site-local days start..end, largest first.

    Ordering by visitors ranks by visitor-days (the sum of per-bucket visitors), then reports the sketch-merged
    unique visitors of the returned rows; other orderings are exact sums."""
    check_dimension(dimension)
    if order_by not in ORDERINGS:
        raise UnsupportedQuery(f"unknown ordering {order_by!r}; expected one of {', '.join(ORDERINGS)}")
    clauses, params = _range_clauses(site.pk, start, end)
    params |= {"site_id": site.pk, "dimension": dimension, "bots": _bots(include_bots), "limit": limit,
               "offset": offset}
    rank = "sum(visitors)" if order_by == "visitors" else f"sum({order_by})"
    with transaction.atomic(), connection.cursor() as cursor:
        # Rank on one sum only (cheap over thousands of values), then read the few winners' rows whole. Serial:
        # starting parallel workers costs more than the index-only scans they would share.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        where = "site_id = %(site_id)s AND dimension = %(dimension)s AND is_bot = ANY(%(bots)s)"
        ranked = _ranked_rows(clauses, where, f"value, {order_by}")
        cursor.execute(
            f"""SELECT value FROM ({ranked}) r
                GROUP BY value ORDER BY {rank} DESC, value LIMIT %(limit)s OFFSET %(offset)s""",
            params,
        )
        values = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"""SELECT value, {", ".join(SUMMED)}, visitors_sketch FROM derived.rollups
                WHERE site_id = %(site_id)s AND dimension = %(dimension)s AND is_bot = ANY(%(bots)s)
                  AND value = ANY(%(values)s) AND {BUCKET_LISTS}""",
            params | {"values": values},
        )
        sums: dict[str, list] = {value: [0] * len(SUMMED) for value in values}
        unions: dict[str, VisitorUnion] = defaultdict(VisitorUnion)
        for value, *measures, sketch in cursor.fetchall():
            sums[value] = [a + (b or 0) for a, b in zip(sums[value], measures, strict=True)]
            unions[value].add(sketch)
    rows = [(value, *sums[value]) for value in values]
    result = [BreakdownRow(value, _metrics(rest, unions[value].count())) for value, *rest in rows]
    if order_by == "visitors":
        result.sort(key=lambda row: (-row.metrics.visitors, row.value))
    return result
