"""Admin: sites with their setup page (snippet, pixel builder, AMP, first event), roles, sharing, tokens."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from dashboards import tracking
from dashboards.models import Annotation, ApiToken, EmailReport, SavedSegment, ShareLink, Site, SiteMembership


class SiteMembershipInline(admin.TabularInline):
    model = SiteMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "timezone", "app_ids", "setup_link")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SiteMembershipInline]

    @admin.display(description="Tracking")
    def setup_link(self, site: Site) -> str:
        return format_html('<a href="{}">Set up tracking</a>', reverse("admin:dashboards_site_setup", args=[site.pk]))

    def get_urls(self):
        own = [
            path("<int:pk>/setup/", self.admin_site.admin_view(self.setup_view), name="dashboards_site_setup"),
            path("<int:pk>/setup/first-event/", self.admin_site.admin_view(self.first_event_view),
                 name="dashboards_site_first_event"),
        ]
        return own + super().get_urls()

    def setup_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The snippet, a pixel URL builder (a GET form), the AMP tag and the waiting-for-first-event check."""
        site = self._get_site(request, pk)
        collector = tracking.get_collector_url(request)
        app_id = request.GET.get("app_id") if request.GET.get("app_id") in site.app_ids else (site.app_ids or [""])[0]
        kind = request.GET.get("kind") if request.GET.get("kind") in tracking.PIXEL_KINDS else "page_view"
        fields = {name: request.GET.get(name, "")[:500] for name in
                  ("url", "title", "referrer", "category", "action", "label", "property", "value")}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "site": site, "title": f"Set up tracking for {site.name}",
            "collector": collector, "snippet": tracking.get_tracker_snippet(site, collector),
            "pixel_url": tracking.get_pixel_url(collector, app_id, kind, fields), "pixel_kind": kind,
            "pixel_app_id": app_id, "fields": fields, "amp": tracking.get_amp_config(collector, app_id),
            "has_event": tracking.has_first_event(site),
        }
        return TemplateResponse(request, "admin/dashboards/site/setup.html", context)

    def first_event_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        return JsonResponse({"received": tracking.has_first_event(self._get_site(request, pk))})

    def _get_site(self, request: HttpRequest, pk: int) -> Site:
        site = get_object_or_404(Site, pk=pk)
        if not self.has_view_or_change_permission(request, site):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return site


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("site", "label", "created_by", "created_at", "revoked_at")
    list_filter = ("site",)
    readonly_fields = ("key", "password_hash", "created_by", "created_at")


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ("site", "day", "text", "created_by")
    list_filter = ("site",)


@admin.register(SavedSegment)
class SavedSegmentAdmin(admin.ModelAdmin):
    list_display = ("site", "name", "filters", "created_by")
    list_filter = ("site",)


@admin.register(EmailReport)
class EmailReportAdmin(admin.ModelAdmin):
    list_display = ("site", "frequency", "recipients", "last_period_end")
    list_filter = ("site", "frequency")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with `manage.py create_api_token`; here they can be seen and revoked."""

    list_display = ("name", "prefix", "scopes", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "prefix", "key_hash", "scopes", "user", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
