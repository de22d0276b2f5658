"""The pages marketers read: overview with its chart, and the breakdown pages declared in dashboards.tables."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dashboards import ecommerce, selectors
from dashboards.access import SiteAccess, list_sites_for_user
from dashboards.query import DashboardQuery
from dashboards.tables import DEFAULT_ROWS, PAGES, Column
from dashboards.views.frame import dashboard_page, frame_context

MAP_ROWS = 250
SUMMARY = (Column("visitors", "Visitors"), Column("sessions", "Sessions"), Column("page_views", "Page views"),
           Column("views_per_session", "Views per session", "text"), Column("bounce_rate", "Bounce rate", "percent"),
           Column("engaged_seconds", "Avg. engaged time", "seconds"))


def site_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/site_list.html", {"sites": list_sites_for_user(request.user)})


@dashboard_page()
def overview(request: HttpRequest, access: SiteAccess, query: DashboardQuery) -> HttpResponse:
    context = frame_context(request, access, query, "overview")
    totals = selectors.get_totals(query)
    previous = selectors.get_totals(query, comparison=True) if query.comparison else None
    series = selectors.list_timeseries(query)
    compared = selectors.list_timeseries(query, comparison=True) if query.comparison else []
    context |= {
        "summary": [(c, getattr(totals, c.key), getattr(previous, c.key, None)) for c in SUMMARY],
        "chart": _chart_data(query, series, compared, context["annotations"]),
        "tables": _tables(query, "overview"),
    }
    return render(request, "dashboards/overview.html", context)


ECOMMERCE_SUMMARY = (Column("revenue", "Revenue", "money"), Column("transactions", "Transactions"),
                     Column("average_order_value", "Avg. order value", "money"), Column("items", "Items sold"))


@dashboard_page()
def table_page(request: HttpRequest, access: SiteAccess, query: DashboardQuery, page: str) -> HttpResponse:
    if page not in PAGES or page == "overview":
        raise Http404("No such page.")
    # The map's countries also give the countries table its top rows: one read instead of two.
    known = {"countries": selectors.list_breakdown(query, "country", limit=MAP_ROWS)} if page == "geography" else {}
    context = frame_context(request, access, query, page) | {"tables": _tables(query, page, known)}
    if page == "ecommerce":
        context["summary"] = _ecommerce_summary(query)
    if page == "geography":
        context["map"] = {row.value: row.visitors for row in known["countries"]}
    return render(request, f"dashboards/{page}.html", context)


def _ecommerce_summary(query: DashboardQuery) -> list[tuple]:
    totals = ecommerce.get_ecommerce_totals(query)
    previous = ecommerce.get_ecommerce_totals(query, comparison=True) if query.comparison else None
    return [(c, getattr(totals, c.key), getattr(previous, c.key, None)) for c in ECOMMERCE_SUMMARY]


def _tables(query: DashboardQuery, page: str, known: dict[str, list] | None = None) -> list[tuple]:
    """Each table of the page with its rows, or None where the data models cannot answer it yet; `known` gives
    longer row lists already read for some tables (their first rows are the table's)."""
    result = []
    for table in PAGES[page].tables:
        if table.id in (known or {}):
            result.append((table, known[table.id][:DEFAULT_ROWS]))
            continue
        try:
            result.append((table, table.rows(query)))
        except selectors.Unavailable:
            result.append((table, None))
    return result


def _chart_data(query: DashboardQuery, series: list, compared: list, notes: list) -> dict:
    fmt = "%Y-%m-%d %H:00" if query.interval == "hour" else "%Y-%m-%d"
    return {
        "labels": [point.bucket.strftime(fmt) for point in series],
        "visitors": [point.visitors for point in series],
        "page_views": [point.page_views for point in series],
        "previous_visitors": [point.visitors for point in compared],
        "annotations": [{"day": note.day.isoformat(), "text": note.text} for note in notes],
        "interval": query.interval,
    }
