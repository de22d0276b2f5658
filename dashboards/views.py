"""Marketer pages: thin views that parse input, call a selector and render."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from dashboards import selectors
from dashboards.models import Site

DEFAULT_DAYS = 30
MAX_DAYS = 3660


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/site_list.html", {"sites": Site.objects.all()})


@login_required
def site_overview(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=slug)
    today = selectors.get_site_today(site)
    try:
        start, end = parse_range(request.GET, today)
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    days = selectors.list_daily_traffic(site, start, end)
    peak = max([day.page_views for day in days] + [1])
    return render(request, "dashboards/overview.html", {
        "site": site,
        "start": start,
        "end": end,
        "days": days,
        "peak": peak,
        "total_page_views": sum(day.page_views for day in days),
        "max_daily_visitors": max([day.visitors for day in days] + [0]),
    })


def parse_range(query, today: dt.date) -> tuple[dt.date, dt.date]:
    """`from`/`to` as ISO dates (inclusive); defaults to the last 30 days in the site's time zone."""
    try:
        end = dt.date.fromisoformat(query["to"]) if query.get("to") else today
        start = dt.date.fromisoformat(query["from"]) if query.get("from") else end - dt.timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise ValueError("Dates must look like 2026-12-31.") from None
    if start > end:
        raise ValueError("The start date must not be after the end date.")
    if (end - start).days > MAX_DAYS:
        raise ValueError(f"A date range may span at most {MAX_DAYS} days.")
    return start, end
