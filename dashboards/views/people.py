"""Sharing and collaboration: share links, annotations, saved segments, email reports (POST forms, CSRF-checked)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dashboards import annotations, reports, segments, sharing
from dashboards.access import ADMIN, VIEWER, get_site_access
from dashboards.errors import QueryError
from dashboards.filters import parse_filters
from dashboards.models import Annotation, EmailReport, SavedSegment, ShareLink
from dashboards.views.frame import bad_request


@login_required
def site_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    site = access.site
    return render(request, "dashboards/settings.html", {
        "site": site, "access": access,
        "share_links": ShareLink.objects.filter(site=site, revoked_at__isnull=True),
        "reports": EmailReport.objects.filter(site=site), "frequencies": EmailReport.FREQUENCIES,
        "segments": SavedSegment.objects.filter(site=site), "annotations": Annotation.objects.filter(site=site),
        "host": request.build_absolute_uri("/").rstrip("/"),
    })


@login_required
@require_POST
def share_link_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    sharing.share_link_create(access.site, request.user, request.POST.get("label", ""),
                              request.POST.get("password", ""))
    return redirect(f"/dashboards/{slug}/settings/")


@login_required
@require_POST
def share_link_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    sharing.share_link_revoke(get_object_or_404(ShareLink, pk=pk, site=access.site))
    return redirect(f"/dashboards/{slug}/settings/")


def share_unlock(request: HttpRequest, key: str) -> HttpResponse:
    """The password form of a protected share link."""
    link = sharing.get_share_link(key)
    target = request.GET.get("next") or f"/dashboards/shared/{key}/"
    if not url_has_allowed_host_and_scheme(target, None) or not target.startswith(f"/dashboards/shared/{key}/"):
        target = f"/dashboards/shared/{key}/"
    wrong = False
    if request.method == "POST":
        if sharing.share_link_unlock(request, link, request.POST.get("password", "")):
            return redirect(target)
        wrong = True
    return render(request, "dashboards/share_unlock.html", {"wrong": wrong, "next": target},
                  status=403 if wrong else 200)


@login_required
@require_POST
def annotation_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    try:
        annotations.annotation_create(access.site, request.user, request.POST.get("day", ""),
                                      request.POST.get("text", ""))
    except QueryError as error:
        return bad_request(request, error)
    return redirect(_back(request, slug))


@login_required
@require_POST
def annotation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    get_object_or_404(Annotation, pk=pk, site=access.site).delete()
    return redirect(_back(request, slug))


@login_required
@require_POST
def segment_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Any reader with a role may save the filters they are looking at."""
    access = get_site_access(request.user, slug, VIEWER)
    try:
        segment = segments.segment_create(access.site, request.user, request.POST.get("name", ""),
                                          parse_filters(request.POST.getlist("f")))
    except QueryError as error:
        return bad_request(request, error)
    return redirect(f"/dashboards/{slug}/?{urlencode({'f': segment.filters}, doseq=True)}")


@login_required
@require_POST
def segment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Admins delete any segment; viewers only their own."""
    access = get_site_access(request.user, slug, VIEWER)
    segment = get_object_or_404(SavedSegment, pk=pk, site=access.site)
    if not access.is_admin and segment.created_by_id != request.user.pk:
        return HttpResponse("Only the segment's author or a site admin may delete it.", status=403)
    segment.delete()
    return redirect(_back(request, slug))


@login_required
@require_POST
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    try:
        reports.report_create(access.site, request.user, request.POST.get("recipients", ""),
                              request.POST.get("frequency", ""))
    except QueryError as error:
        return bad_request(request, error)
    return redirect(f"/dashboards/{slug}/settings/")


@login_required
@require_POST
def report_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_site_access(request.user, slug, ADMIN)
    get_object_or_404(EmailReport, pk=pk, site=access.site).delete()
    return redirect(f"/dashboards/{slug}/settings/")


def _back(request: HttpRequest, slug: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith(f"/dashboards/{slug}/") and url_has_allowed_host_and_scheme(target, None):
        return target
    return f"/dashboards/{slug}/"
