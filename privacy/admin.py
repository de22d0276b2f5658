"""Admin: per-site privacy settings, consent per site, data-subject requests, retention preview, audit log.

Views here are thin: they parse the form, call one service (policies, subjects, consent_views, retention) and render.
The last lines swap every other app's ModelAdmin for an audited subclass (privacy.admin_audit).
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from dashboards.models import Site
from privacy import subjects
from privacy.admin_audit import audit_admin_site
from privacy.audit import audit_record, snapshot
from privacy.consent_views import get_consent_summary
from privacy.models import AuditEntry, ConsentWithdrawal, SitePrivacy
from privacy.policies import site_privacy_save
from privacy.retention import get_retention_preview


@admin.register(SitePrivacy)
class SitePrivacyAdmin(admin.ModelAdmin):
    list_display = ("site", "anonymise_ip", "cookieless", "respect_dnt", "origin_policy", "withdrawn_consent",
                    "consent_link")
    list_select_related = ("site",)
    fieldsets = [
        (None, {"fields": ["site"]}),
        ("IP address and visitors", {"fields": ["anonymise_ip", "anon_octets", "anon_segments", "cookieless",
                                                "respect_dnt"]}),
        ("Personal data in events", {"fields": ["redact_emails_in_urls", "pseudonymise_user_id"]}),
        ("Traffic hygiene", {"fields": ["allowed_origins", "origin_policy", "internal_networks",
                                        "internal_policy", "exclude_referrer_spam", "spam_domains"]}),
        ("Consent", {"fields": ["withdrawn_consent"]}),
        ("Retention", {"fields": ["events_retention_days", "bad_rows_retention_days"]}),
    ]

    @admin.display(description="Consent")
    def consent_link(self, row: SitePrivacy) -> str:
        return format_html('<a href="{}">Consent events</a>', reverse("admin:privacy_consent", args=[row.site_id]))

    def save_model(self, request: HttpRequest, obj: SitePrivacy, form, change: bool) -> None:
        site_privacy_save(obj, request.user)

    def delete_model(self, request: HttpRequest, obj: SitePrivacy) -> None:
        audit_record(request.user, "privacy.delete", obj, site=obj.site, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset.select_related("site"):
            self.delete_model(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("subjects/", view(self.subjects_view), name="privacy_subjects"),
            path("retention/", view(self.retention_view), name="privacy_retention"),
            path("consent/<int:site_id>/", view(self.consent_view), name="privacy_consent"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra = {"subjects_url": reverse("admin:privacy_subjects"), "retention_url": reverse("admin:privacy_retention"),
                 "default_sites": Site.objects.filter(privacy__isnull=True).order_by("name")}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def subjects_view(self, request: HttpRequest) -> HttpResponse:
        """Search a person, preview their rows, export them as JSON, or delete them with a report."""
        if not request.user.is_superuser:
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        identifier, value = source.get("identifier", "user_id"), source.get("value", "").strip()
        context = {**self._context(request, "Data-subject requests"), "identifiers": subjects.IDENTIFIERS,
                   "identifier": identifier, "value": value}
        if not value:
            return TemplateResponse(request, "privacy/subjects.html", context)
        try:
            if request.method == "POST" and request.POST.get("action") == "export":
                return _json_download(subjects.subject_export(identifier, value, request.user), identifier)
            if request.method == "POST" and request.POST.get("action") == "delete":
                if request.POST.get("confirm") != value:
                    messages.error(request, "Type the identifier again to confirm the deletion.")
                else:
                    context["report"] = json.dumps(subjects.subject_delete(identifier, value, request.user),
                                                   indent=2, default=str)
            context["preview"] = subjects.get_subject_preview(identifier, value)
        except ValueError as error:
            messages.error(request, str(error))
        return TemplateResponse(request, "privacy/subjects.html", context)

    def retention_view(self, request: HttpRequest) -> HttpResponse:
        """What the next retention run deletes, site by site."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**self._context(request, "Retention: what will be deleted next"),
                   "plans": get_retention_preview()}
        return TemplateResponse(request, "privacy/retention.html", context)

    def consent_view(self, request: HttpRequest, site_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        site = get_object_or_404(Site, pk=site_id)
        context = {**self._context(request, f"Consent on {site.name}"), "site": site,
                   "summary": get_consent_summary(site)}
        return TemplateResponse(request, "privacy/consent.html", context)


def _json_download(document: dict, identifier: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2, default=str), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-{identifier}.json"'
    return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible and filterable, never editable: no add, change or delete, even for superusers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "site")
    list_filter = ("action", "object_type", "site", "actor_name")
    search_fields = ("actor_name", "object_repr", "object_id")
    date_hierarchy = "at"
    list_select_related = ("site",)


@admin.register(ConsentWithdrawal)
class ConsentWithdrawalAdmin(ReadOnlyAdmin):
    list_display = ("site", "visitor", "withdrawn_at")
    list_filter = ("site",)
    search_fields = ("visitor",)
    list_select_related = ("site",)


audit_admin_site(admin.site, skip=frozenset({"privacy.siteprivacy", "privacy.auditentry",
                                             "privacy.consentwithdrawal"}))
