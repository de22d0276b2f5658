"""Dashboard routes: /dashboards/<site>/<page>/ for members, /dashboards/shared/<key>/<page>/ for share links."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from dashboards.views import analysis, exports, pages, people

app_name = "dashboards"

_PAGES = "<slug:page>/"


def _reader_routes(prefix: str, name: str) -> list:
    """The read-only routes, mounted once for members and once for share links."""
    return [
        path(prefix, pages.overview, name=f"{name}overview"),
        path(f"{prefix}export/<slug:table_id>.csv", exports.table_csv, name=f"{name}table_csv"),
        path(f"{prefix}{_PAGES}export.zip", exports.page_zip, name=f"{name}page_zip"),
        path(f"{prefix}funnels/", analysis.funnel, name=f"{name}funnels"),
        path(f"{prefix}retention/", analysis.retention, name=f"{name}retention"),
        path(f"{prefix}realtime/", analysis.realtime, name=f"{name}realtime"),
        path(f"{prefix}realtime/live/", analysis.realtime_live, name=f"{name}realtime_live"),
        path(f"{prefix}{_PAGES}", pages.table_page, name=f"{name}page"),
    ]


urlpatterns = [
    path("", login_required(pages.site_list), name="site_list"),
    path("shared/<str:key>/unlock/", people.share_unlock, name="share_unlock"),
    *_reader_routes("shared/<str:key>/", "shared_"),
    path("<slug:slug>/settings/", people.site_settings, name="settings"),
    path("<slug:slug>/share-links/", people.share_link_create, name="share_link_create"),
    path("<slug:slug>/share-links/<int:pk>/revoke/", people.share_link_revoke, name="share_link_revoke"),
    path("<slug:slug>/annotations/", people.annotation_create, name="annotation_create"),
    path("<slug:slug>/annotations/<int:pk>/delete/", people.annotation_delete, name="annotation_delete"),
    path("<slug:slug>/segments/", people.segment_create, name="segment_create"),
    path("<slug:slug>/segments/<int:pk>/delete/", people.segment_delete, name="segment_delete"),
    path("<slug:slug>/reports/", people.report_create, name="report_create"),
    path("<slug:slug>/reports/<int:pk>/delete/", people.report_delete, name="report_delete"),
    *_reader_routes("<slug:slug>/", ""),
]
