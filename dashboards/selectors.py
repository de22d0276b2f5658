"""Dashboard reads: one query layer shared by pages, exports, emails and the API, so the numbers always agree.

Every function takes a parsed DashboardQuery. The data comes from the data models' public interface
(`warehouse.modeling.api`, rollups and derived tables); until it is installed, `dashboards.rawfallback`
answers from `atomic.events` so that a fresh install still shows something.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboards import rawfallback
from dashboards.query import DashboardQuery


@dataclass(frozen=True)
class Totals:
    visitors: int
    sessions: int
    page_views: int
    bounce_rate: float | None = None
    engaged_seconds: float | None = None

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
    value: str
    visitors: int
    page_views: int
    sessions: int | None = None
    engaged_seconds: float | None = None
    bounce_rate: float | None = None


def get_totals(query: DashboardQuery, comparison: bool = False) -> Totals:
    """Totals over the query's period, or over its comparison period."""
    period = query.comparison if comparison else query.period
    if period is None:
        raise ValueError("The query has no comparison period.")
    return Totals(**rawfallback.totals(query, period))


def list_timeseries(query: DashboardQuery, comparison: bool = False) -> list[Point]:
    """One point per interval bucket of the period (zero-filled), in the site's time zone."""
    period = query.comparison if comparison else query.period
    if period is None:
        raise ValueError("The query has no comparison period.")
    return [Point(*row) for row in rawfallback.timeseries(query, period)]


def list_breakdown(query: DashboardQuery, dimension: str, limit: int = 10, offset: int = 0) -> list[Row]:
    """The top values of one dimension by visitors, then page views, then value."""
    return [Row(*row) for row in rawfallback.breakdown(query, dimension, limit, offset)]


def count_breakdown(query: DashboardQuery, dimension: str) -> int:
    """How many distinct values the breakdown has (for pagination)."""
    return rawfallback.breakdown_count(query, dimension)
