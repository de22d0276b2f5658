"""What every dashboard page shares: access (login or share link), the parsed query, the frame's context."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dashboards import annotations, periods, segments, sharing
from dashboards.access import VIEWER, SiteAccess
from dashboards.errors import QueryError
from dashboards.filters import DIMENSIONS, OPERATORS
from dashboards.query import DashboardQuery, parse_query
from dashboards.tables import PAGES

NAV = ("overview", "pages", "acquisition", "geography", "technology", "events", "goals", "funnels", "retention",
       "ecommerce", "apps", "realtime")
NAV_TITLES = {"goals": "Goals", "funnels": "Funnels", "retention": "Retention", "ecommerce": "Ecommerce",
              "apps": "Apps", "realtime": "Realtime"} | {slug: page.title for slug, page in PAGES.items()}

PageView = Callable[..., HttpResponse]


def dashboard_page(needed: str = VIEWER) -> Callable[[PageView], PageView]:
    """Resolve who reads (login or share link) and the query; bad input is a 400 page, never a 500."""

    def decorator(view: PageView) -> PageView:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str | None = None, key: str | None = None, **kwargs) -> HttpResponse:
            if key is None and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = sharing.get_page_access(request, slug, key, needed)
            if access.is_shared and not sharing.is_unlocked(request, access.share_link):
                return redirect(f"/dashboards/shared/{key}/unlock/?next={quote(request.get_full_path())}")
            try:
                query = parse_query(access.site, request.GET)
                return view(request, access, query, **kwargs)
            except QueryError as error:
                return bad_request(request, error)

        return wrapper

    return decorator


def bad_request(request: HttpRequest, error: QueryError) -> HttpResponse:
    return render(request, "dashboards/bad_request.html", {"error": error}, status=400)


def base_path(access: SiteAccess) -> str:
    if access.is_shared:
        return f"/dashboards/shared/{access.share_link.key}/"
    return f"/dashboards/{access.site.slug}/"


def frame_context(request: HttpRequest, access: SiteAccess, query: DashboardQuery, page: str) -> dict:
    """The context of the frame around every page: nav, date picker, filters, segments, annotations."""
    base = base_path(access)
    filter_links = [(f, query.without_filter(f).querystring()) for f in query.filters]
    return {
        "access": access, "site": access.site, "query": query, "page": page, "base": base,
        "qs": query.querystring(), "nav": [(slug, NAV_TITLES[slug]) for slug in NAV],
        "presets": periods.PRESET_LABELS.items(), "intervals": periods.INTERVALS,
        "dimensions": DIMENSIONS.items(), "operators": OPERATORS.items(), "filter_links": filter_links,
        "segments": segments.list_segments(access.site),
        "annotations": annotations.list_annotations(access.site, query.period),
    }
