"""Admin pages: one per webhook (URL to paste, on/off, signing secret, recent events and failures) and remote
adapters. Thin: the queries live in `webhooks.endpoints`."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from webhooks import endpoints
from webhooks.config import config_clear
from webhooks.models import RemoteAdapter, WebhookEndpoint
from webhooks.signatures import VERIFIERS


class WebhookEndpointForm(admin.ModelAdmin.form):
    def clean_signing_secret(self) -> str:
        secret = self.cleaned_data.get("signing_secret", "").strip()
        if secret and self.instance.vendor not in VERIFIERS:
            raise ValidationError(f"{self.instance.vendor} does not sign its webhook calls; leave this empty.")
        return secret


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("__str__", "enabled", "site", "signed")
    list_filter = ("enabled",)
    fields = ("vendor", "version", "paste_url", "enabled", "site", "public_url", "signing_secret", "recent_events",
              "recent_failures")
    readonly_fields = ("vendor", "version", "paste_url", "recent_events", "recent_failures")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from the adapter registry

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        self._base_url = request.build_absolute_uri("/").rstrip("/")
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(boolean=True, description="signature checked")
    def signed(self, obj: WebhookEndpoint) -> bool:
        return bool(obj.signing_secret)

    @admin.display(description="URL to paste into the vendor's console")
    def paste_url(self, obj: WebhookEndpoint) -> str:
        return format_html("<code>{}</code>", endpoints.get_paste_url(obj, getattr(self, "_base_url", "")))

    @admin.display(description="recent events (7 days)")
    def recent_events(self, obj: WebhookEndpoint) -> str:
        rows = endpoints.list_recent_events(endpoints.get_tracker_version(obj.vendor, obj.version))
        if not rows:
            return "none"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {} {} <code>{}</code></li>", (
            (r["collector_tstamp"], r["event_name"], r["app_id"] or "", r["event_id"]) for r in rows)))

    @admin.display(description="recent failures")
    def recent_failures(self, obj: WebhookEndpoint) -> str:
        rows = endpoints.list_recent_failures(obj.vendor, obj.version)
        if not rows:
            return "none"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {}</li>", (
            (row.first_seen, row.type, endpoints.describe_failure(row)) for row in rows)))

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        config_clear()


@admin.register(RemoteAdapter)
class RemoteAdapterAdmin(admin.ModelAdmin):
    list_display = ("vendor", "version", "url", "enabled")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: RemoteAdapter, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        config_clear()
