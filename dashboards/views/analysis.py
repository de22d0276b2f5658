"""Realtime, funnels and retention: pages over the data models' analysis questions (warehouse.modeling.api)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboards import selectors
from dashboards.access import SiteAccess
from dashboards.funnels import MAX_STEPS, parse_steps
from dashboards.query import DashboardQuery
from dashboards.selectors import FUNNEL_KINDS
from dashboards.tables import Column
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


@dashboard_page()
def funnel(request: HttpRequest, access: SiteAccess, query: DashboardQuery) -> HttpResponse:
    steps = parse_steps(access.site, request.GET)
    rows = None
    if steps:
        try:
            rows = selectors.get_funnel(query, steps)
        except selectors.Unavailable:
            rows = None
    padded = list(steps) + [("page", "")] * (MAX_STEPS - len(steps))
    context = frame_context(request, access, query, "funnels") | {
        "steps": steps, "form_rows": padded, "kinds": FUNNEL_KINDS.items(), "rows": rows,
        "goals": list(access.site.goals.filter(is_active=True).values_list("pk", "name")),
        "percent": Column("share", "", "percent"), "int_col": Column("count", ""),
    }
    return render(request, "dashboards/funnels.html", context)


def _cohort_cells(cohort: selectors.Cohort) -> list[tuple[int, float | None, str] | None]:
    """Weeks 0..RETENTION_WEEKS-1 of one cohort as (visitors, share, background), None past the window's end."""
    cells: list[tuple[int, float | None, str] | None] = []
    for count, share in cohort.returning:
        shade = f"rgba(102, 56, 182, {round((share or 0) * 0.45, 3)})"
        cells.append((count, share, shade))
    return cells + [None] * (selectors.RETENTION_WEEKS - len(cells))


@dashboard_page()
def retention(request: HttpRequest, access: SiteAccess, query: DashboardQuery) -> HttpResponse:
    try:
        cohorts = [(cohort, _cohort_cells(cohort)) for cohort in selectors.list_retention(query)]
    except selectors.Unavailable:
        cohorts = None
    context = frame_context(request, access, query, "retention") | {
        "cohorts": cohorts, "week_numbers": range(selectors.RETENTION_WEEKS),
        "percent": Column("share", "", "percent"),
    }
    return render(request, "dashboards/retention.html", context)
