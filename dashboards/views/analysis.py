"""Realtime, funnels and retention: pages over the data models' analysis questions (warehouse.modeling.api)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboards import selectors
from dashboards.access import SiteAccess
from dashboards.query import DashboardQuery
from dashboards.views.frame import dashboard_page, frame_context


def _live_context(access: SiteAccess) -> dict:
    live = selectors.get_live(access.site)
    peak = max([count for _, count in live.per_minute] + [1])
    bars = [(minute, count, round(count / peak * 100)) for minute, count in live.per_minute]
    tables = [("live-pages", "Top pages", "Page", live.top_pages),
              ("live-sources", "Top sources", "Source", live.top_sources),
              ("live-countries", "Top countries", "Country", live.top_countries)]
    return {"live": live, "bars": bars, "live_tables": tables}


@dashboard_page()
def realtime(request: HttpRequest, access: SiteAccess, query: DashboardQuery) -> HttpResponse:
    context = frame_context(request, access, query, "realtime") | _live_context(access)
    return render(request, "dashboards/realtime.html", context)


@dashboard_page()
def realtime_live(request: HttpRequest, access: SiteAccess, query: DashboardQuery) -> HttpResponse:
    """The realtime numbers alone, fetched by the page every few seconds."""
    return render(request, "dashboards/_realtime.html", _live_context(access))
