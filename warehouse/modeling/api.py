"""The public interface of the data models: what dashboards pages and the REST API call (STYLE 5).

Every function takes a `dashboards.models.Site` and dates in the site's time zone (`start`..`end` inclusive,
`datetime.date`). Nothing here reads atomic.events: totals, time series and breakdowns come from derived.rollups;
filtered questions, funnels, retention and custom properties from the derived tables; realtime from the
loader-fed derived.realtime_events. Bot traffic is left out unless `include_bots=True`.

Definitions (DESIGN glossary): a visitor is `domain_userid` (else the mobile client_session userId, else
`network_userid`); a session is `domain_sessionid` (mobile: client_session; otherwise 30 minutes of
inactivity); a bounce is a session with one page view, no other interaction and under 10 s of engaged time.

Attribution: session dimensions (source, referrer, medium, campaign, channel, entry_page, exit_page, country,
region, city, browser, os, device, screen_size, language, app_version) count sessions, bounces, durations and
page views in the bucket where the session started; `page` and `all` count page views where they happened;
`event` counts events by name (page views as 'page_view'); `goal` counts conversions by goal id (str(Goal.pk)).
Missing values are the string '(none)'.

Unique visitors over a range merge per-bucket sketches (warehouse.modeling.sketches): exact while every daily
bucket of the value had at most 256 visitors, otherwise within about 1.6% (one standard error). Visitors of a
single hour or day in a time series are exact.

Functions (all read-only, one or two queries each):

- get_overview(site, start, end, filters=None, include_bots=False) -> Metrics
    Totals for the range: visitors, page_views, sessions, bounces, engaged_sessions, duration_s,
    engaged_time_s, events, conversions, revenue; properties bounce_rate, avg_session_duration_s,
    views_per_session, conversion_rate.
- list_timeseries(site, start, end, interval="day", filters=None, include_bots=False) -> list[TimeseriesPoint]
    interval: "hour" | "day" | "week" | "month"; zero-filled points with a site-local `bucket` datetime.
- list_breakdown(site, dimension, start, end, filters=None, order_by="visitors", limit=10, offset=0,
                 include_bots=False) -> list[BreakdownRow]
    Top values of one dimension (DIMENSIONS) with their Metrics; order_by: "visitors" or any Metrics count.
- DIMENSIONS: the dimension names above, plus "all".

- get_realtime(site, minutes=30, include_bots=False, limit=10) -> Realtime
    Last `minutes` (<= 30) from the loader-fed table, seconds behind collection: visitors, page_views, events,
    per_minute [(UTC minute, page views)], top_pages / top_sources / top_countries [(value, visitors)].
- get_funnel(site, steps: list[FunnelStep], start, end, include_bots=False) -> list[FunnelResult]
    Sessions reaching each step in order; FunnelStep(kind="page"|"event"|"goal", value) (page: `*` wildcard;
    event: event name or structured action; goal: Goal id).
- list_retention(site, first_week, weeks=8, include_bots=False) -> list[RetentionRow]
    Weekly cohorts of new visitors (site-local Monday) and how many returned in each later week.
- get_property_totals(site, start, end, prop, value, event_name=None, include_bots=False) -> PropertyTotals
    Custom-property filter: events, sessions, visitors whose property equals the JSON value ("pro", 3, true).
- list_property_values(site, start, end, event_name, prop, limit=10, include_bots=False)
    -> list[(value, PropertyTotals)]: the most frequent values of one property of one event.
- get_model_status() -> dict: last run time, its duration and the high-water load time (for a "data as of").

`filters` is a dict {dimension: value} (equality) or a list of `Condition(dimension, value, op="is", prop="")`:
dimension any of DIMENSIONS but "all" (session dimensions, "page", "event", "goal") or "prop" for a custom
property of custom events (then `prop` is its name, value compared as text: "pro", "3"); op "is" | "is_not" |
"contains" (case-insensitive). All conditions must hold (AND), scoped to sessions (warehouse.modeling.filtered
says exactly what each one means). With no filter, or one "is" filter on a dimension and no breakdown, answers
come from the rollups (milliseconds). Everything else (several filters, is_not/contains, custom properties,
filtered breakdowns) is answered from derived.sessions / page_views / events with exact visitors.

Raises UnsupportedQuery (a ValueError) for an unknown dimension, interval or ordering.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from warehouse.modeling import filtered, reports
from warehouse.modeling.analysis import (
    FunnelResult,
    FunnelStep,
    PropertyTotals,
    RetentionRow,
    get_funnel,
    get_property_totals,
    list_property_values,
    list_retention,
)
from warehouse.modeling.filtered import Condition
from warehouse.modeling.realtime import Realtime, get_realtime
from warehouse.modeling.reports import BreakdownRow, Metrics, TimeseriesPoint, UnsupportedQuery
from warehouse.modeling.rollups import DIMENSIONS

__all__ = [
    "DIMENSIONS",
    "BreakdownRow",
    "Condition",
    "FunnelResult",
    "FunnelStep",
    "Metrics",
    "PropertyTotals",
    "Realtime",
    "RetentionRow",
    "TimeseriesPoint",
    "UnsupportedQuery",
    "get_funnel",
    "get_model_status",
    "get_overview",
    "get_property_totals",
    "get_realtime",
    "list_breakdown",
    "list_property_values",
    "list_retention",
    "list_timeseries",
]

Filters = dict[str, str] | list[Condition] | tuple[Condition, ...] | None


def _single(conditions: list[Condition]) -> tuple[str, str]:
    return (conditions[0].dimension, conditions[0].value) if conditions else ("all", "")


def get_overview(site, start: dt.date, end: dt.date, filters: Filters = None, include_bots: bool = False) -> Metrics:
    """Totals for site-local days start..end (the headline numbers)."""
    conditions = filtered.as_conditions(filters)
    if filtered.needs_tables(conditions):
        return filtered.get_filtered_totals(site, start, end, conditions, include_bots)
    dimension, value = _single(conditions)
    return reports.get_totals(site, start, end, dimension, value, include_bots)


def list_timeseries(site, start: dt.date, end: dt.date, interval: str = "day", filters: Filters = None,
                    include_bots: bool = False) -> list[TimeseriesPoint]:
    """Metrics per site-local hour, day, ISO week or month from start to end (the main chart)."""
    conditions = filtered.as_conditions(filters)
    if filtered.needs_tables(conditions):
        return filtered.list_filtered_timeseries(site, start, end, conditions, interval, include_bots)
    dimension, value = _single(conditions)
    return reports.list_timeseries(site, start, end, interval, dimension, value, include_bots)


def list_breakdown(site, dimension: str, start: dt.date, end: dt.date, filters: Filters = None,
                   order_by: str = "visitors", limit: int = 10, offset: int = 0,
                   include_bots: bool = False) -> list[BreakdownRow]:
    """The top values of `dimension` for site-local days start..end (top pages, sources, countries, ...)."""
    conditions = filtered.as_conditions(filters)
    if conditions:
        return filtered.list_filtered_breakdown(site, dimension, start, end, conditions, order_by, limit, offset,
                                                include_bots)
    return reports.list_breakdown(site, dimension, start, end, order_by, limit, offset, include_bots)


def get_model_status() -> dict:
    """When the models last ran, how long it took, and the load time they are complete up to (None before the
    first run)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_run_at, last_run_seconds, last_load_tstamp FROM derived.model_manifest LIMIT 1")
        row = cursor.fetchone()
    keys = ("last_run_at", "last_run_seconds", "complete_up_to")
    return dict(zip(keys, row, strict=True)) if row else dict.fromkeys(keys)
