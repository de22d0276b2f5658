"""CSV and zip downloads of what a page shows, with the page's filters and date range."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from dashboards import exports, selectors, tables
from dashboards.access import SiteAccess
from dashboards.query import DashboardQuery
from dashboards.views.frame import dashboard_page


def _filename(query: DashboardQuery, name: str, ext: str) -> str:
    return f"{query.site.slug}-{name}-{query.period.start}-{query.period.end}.{ext}"


@dashboard_page()
def table_csv(request: HttpRequest, access: SiteAccess, query: DashboardQuery, table_id: str) -> HttpResponse:
    found = tables.get_table(table_id)
    if found is None:
        raise Http404("No such table.")
    response = HttpResponse(exports.get_table_csv(found[1], query), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(query, table_id, "csv")}"'
    return response


@dashboard_page()
def page_zip(request: HttpRequest, access: SiteAccess, query: DashboardQuery, page: str) -> HttpResponse:
    if page not in tables.PAGES:
        raise Http404("No such page.")
    extra = {"timeseries.csv": exports.get_timeseries_csv(selectors.list_timeseries(query))}
    body = exports.get_page_zip(tables.PAGES[page], query, extra if page == "overview" else None)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename(query, page, "zip")}"'
    return response
