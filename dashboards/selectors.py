"""Dashboard reads: one query layer shared by pages, exports, emails and the API, so the numbers always agree.

Every function takes a parsed DashboardQuery and is cached as a tile. The numbers come from the data models'
public interface (`warehouse.modeling.api`: rollups and derived tables) once the models have run for the site;
before that, `dashboards.rawfallback` answers from `atomic.events` so that a fresh install shows something.
Filters from the URL (any number, combined with AND; is, is_not, contains; custom properties) go to the models
as conditions: one `is` filter reads the rollups, anything else the derived tables (never atomic.events).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from dashboards import rawfallback
from dashboards.errors import QueryError, Unavailable
from dashboards.filters import DIMENSIONS
from dashboards.periods import DateRange
from dashboards.query import DashboardQuery
from dashboards.tiles import tile

__all__ = ["Cohort", "FunnelStepRow", "Live", "Point", "Row", "Totals", "Unavailable", "count_breakdown", "get_funnel",
           "get_live", "get_totals", "list_breakdown", "list_retention",
           "list_timeseries", "uses_models"]

# Our dimension names -> the models' (warehouse.modeling.api.DIMENSIONS).
MODEL_DIMENSIONS = {"event_name": "event"}
PAGE_DIMENSIONS = ("page",)
# Breakdowns the models answer only without filters (warehouse.modeling.filtered groups sessions, pages, events).
UNFILTERED_ONLY = ("goal",)


@dataclass(frozen=True)
class Totals:
    visitors: int
    sessions: int
    page_views: int
    bounce_rate: float | None = None
    engaged_seconds: float | None = None
    conversions: int | None = None
    revenue: float | None = None
    events: int | None = None

    @property
    def views_per_session(self) -> float:
        return round(self.page_views / self.sessions, 2) if self.sessions else 0.0


@dataclass(frozen=True)
class Point:
    bucket: dt.datetime
    visitors: int
    sessions: int
    page_views: int


@dataclass(frozen=True)
class Row:
    value: str | None
    visitors: int
    page_views: int
    sessions: int | None = None
    engaged_seconds: float | None = None
    bounce_rate: float | None = None
    conversions: int | None = None
    revenue: float | None = None
    events: int | None = None


def _period(query: DashboardQuery, comparison: bool) -> DateRange:
    period = query.comparison if comparison else query.period
    if period is None:
        raise ValueError("The query has no comparison period.")
    return period


@tile("totals")
def get_totals(query: DashboardQuery, comparison: bool = False) -> Totals:
    """Totals over the query's period, or over its comparison period."""
    period = _period(query, comparison)
    if uses_models(query.site.pk):
        api = _api()
        metrics = _call(api.get_overview, query.site, period.start, period.end, filters=_model_filters(query))
        return _totals(metrics)
    return Totals(**rawfallback.totals(query, period))


@tile("timeseries")
def list_timeseries(query: DashboardQuery, comparison: bool = False) -> list[Point]:
    """One point per interval bucket of the period (zero-filled), in the site's time zone."""
    period = _period(query, comparison)
    if uses_models(query.site.pk):
        points = _call(_api().list_timeseries, query.site, period.start, period.end, interval=query.interval,
                       filters=_model_filters(query))
        return [Point(p.bucket, p.metrics.visitors, p.metrics.sessions, p.metrics.page_views) for p in points]
    return [Point(*row) for row in rawfallback.timeseries(query, period)]


@tile("breakdown")
def list_breakdown(query: DashboardQuery, dimension: str, limit: int = 10, offset: int = 0) -> list[Row]:
    """The top values of one dimension by visitors. Raises Unavailable for a dimension the models lack."""
    if uses_models(query.site.pk):
        api = _api()
        name = MODEL_DIMENSIONS.get(dimension, dimension)
        if name not in api.DIMENSIONS:
            raise Unavailable(f"The data models have no {dimension!r} breakdown yet.")
        if query.filters and name in UNFILTERED_ONLY:
            raise Unavailable(f"The data models have no filtered {dimension!r} breakdown yet.")
        rows = _call(api.list_breakdown, query.site, name, query.period.start, query.period.end,
                     filters=_model_filters(query), limit=limit, offset=offset)
        return [_row(r.value, r.metrics, per_view=dimension in PAGE_DIMENSIONS) for r in rows]
    return [Row(*row) for row in rawfallback.breakdown(query, dimension, limit, offset)]


@tile("breakdown_count")
def count_breakdown(query: DashboardQuery, dimension: str) -> int | None:
    """How many distinct values the breakdown has (for pagination); None when the models do not say."""
    if uses_models(query.site.pk):
        return None
    return rawfallback.breakdown_count(query, dimension)


def uses_models(site_id: int) -> bool:
    """True once the data models have built rollups for the site; from then on no page reads atomic.events."""
    return _models_built(site_id)


@tile("models_built")
def _models_built(site_id: int) -> bool:
    try:
        _api()
    except ImportError:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('derived.rollups') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT EXISTS (SELECT 1 FROM derived.rollups WHERE site_id = %s)", [site_id])
        return bool(cursor.fetchone()[0])


def _api():
    from warehouse.modeling import api

    return api


def _model_filters(query: DashboardQuery) -> list | None:
    """The query's filters as the models' conditions (warehouse.modeling.api.Condition): all must hold (AND),
    each `is`, `is_not` or `contains` on a dimension, or on a custom property (dimension 'prop')."""
    if not query.filters:
        return None
    api = _api()
    conditions = []
    for condition in query.filters:
        name = MODEL_DIMENSIONS.get(condition.dimension, condition.dimension)
        if condition.dimension != "prop" and (name not in api.DIMENSIONS or name == "all"):
            raise QueryError("f", f"The data models cannot filter by {DIMENSIONS[condition.dimension]} yet; "
                                  "remove that filter.")
        conditions.append(api.Condition(name, condition.value, condition.op, condition.prop))
    return conditions


def _call(function, *args, **kwargs):
    from warehouse.modeling.api import UnsupportedQuery

    try:
        return function(*args, **kwargs)
    except UnsupportedQuery as error:
        raise QueryError("f", f"The data models cannot answer this yet: {error}.") from None


def _totals(metrics) -> Totals:
    engaged = metrics.engaged_time_s / metrics.sessions if metrics.sessions else None
    return Totals(metrics.visitors, metrics.sessions, metrics.page_views, metrics.bounce_rate, engaged,
                  metrics.conversions, metrics.revenue, metrics.events)


def _row(value: str, metrics, per_view: bool) -> Row:
    base = metrics.page_views if per_view else metrics.sessions
    engaged = metrics.engaged_time_s / base if base else None
    return Row(value, metrics.visitors, metrics.page_views, metrics.sessions, engaged, metrics.bounce_rate,
               metrics.conversions, metrics.revenue, metrics.events)


# Funnels, retention and realtime: answered only by the data models (rawfallback has no sessions to follow).

FUNNEL_KINDS = {"page": "Page path", "event": "Event name", "goal": "Goal"}
RETENTION_WEEKS = 8


@dataclass(frozen=True)
class FunnelStepRow:
    kind: str
    value: str
    sessions: int
    conversion: float | None  # share of the first step's sessions that reached this step
    drop_off: int  # sessions of the previous step that did not reach this one
    drop_off_rate: float | None


@dataclass(frozen=True)
class Cohort:
    week: dt.date  # site-local Monday of the first visit
    visitors: int
    returning: tuple[tuple[int, float | None], ...]  # (visitors, share of the cohort) in week 0, 1, ...


@dataclass(frozen=True)
class Live:
    visitors: int
    page_views: int
    events: int
    per_minute: tuple[tuple[dt.datetime, int], ...]  # UTC minute, page views; oldest first
    top_pages: tuple[tuple[str, int], ...]
    top_sources: tuple[tuple[str, int], ...]
    top_countries: tuple[tuple[str, int], ...]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _require_models(query: DashboardQuery, what: str) -> None:
    if query.filters:
        raise QueryError("f", f"{what} do not take filters yet; remove the filters to see them.")
    if not uses_models(query.site.pk):
        raise Unavailable(f"{what} show once the data models have run for this site.")


@tile("funnel")
def get_funnel(query: DashboardQuery, steps: tuple[tuple[str, str], ...]) -> list[FunnelStepRow]:
    """Sessions reaching each (kind, value) step in order within the period, with conversion and drop-off."""
    _require_models(query, "Funnels")
    api = _api()
    results = api.get_funnel(query.site, [api.FunnelStep(kind, value) for kind, value in steps],
                             query.period.start, query.period.end)
    first = results[0].sessions if results else 0
    rows, previous = [], first
    for result in results:
        lost = previous - result.sessions
        rows.append(FunnelStepRow(result.step.kind, result.step.value, result.sessions,
                                  _share(result.sessions, first), lost, _share(lost, previous)))
        previous = result.sessions
    return rows


@tile("retention")
def list_retention(query: DashboardQuery) -> list[Cohort]:
    """Weekly cohorts of new visitors for the RETENTION_WEEKS weeks up to the week of the period's end."""
    _require_models(query, "Retention cohorts")
    first_week = query.period.end - dt.timedelta(days=query.period.end.weekday() + 7 * (RETENTION_WEEKS - 1))
    rows = _api().list_retention(query.site, first_week, weeks=RETENTION_WEEKS)
    return [Cohort(row.cohort, row.visitors, tuple((n, _share(n, row.visitors)) for n in row.returning))
            for row in rows]


def get_live(site) -> Live:
    """The last 30 minutes from the loader-fed realtime table; never cached (it is seconds behind collection)."""
    live = _api().get_realtime(site, minutes=30)
    return Live(live.visitors, live.page_views, live.events, tuple(live.per_minute), tuple(live.top_pages),
                tuple(live.top_sources), tuple(live.top_countries))
