"""Admin pages for enrichment configurations: edit Snowplow's JSON, see every problem inline, switch on and off."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from enrichment.configuration import (
    check_configuration,
    enrichment_config_enable,
    enrichment_config_save,
    enrichment_defaults_ensure,
)
from enrichment.enrichments.base import ConfigInvalid
from enrichment.models import EnrichmentConfig


class PrettyJSONField(forms.JSONField):
    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, indent=2)


class EnrichmentConfigForm(forms.ModelForm):
    """Checks the JSON exactly as workers will use it; errors are listed under the JSON field."""

    configuration = PrettyJSONField(widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField",
                                                                 "spellcheck": "false"}))

    class Meta:
        model = EnrichmentConfig
        fields = ("name", "enabled", "position", "configuration")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        document = cleaned.get("configuration")
        if document is None:
            return cleaned
        if isinstance(document, dict) and isinstance(document.get("data"), dict):
            document["data"]["enabled"] = bool(cleaned.get("enabled"))
        try:
            check_configuration(document)
        except ConfigInvalid as error:
            self.add_error("configuration", ValidationError(error.errors))
        return cleaned


@admin.register(EnrichmentConfig)
class EnrichmentConfigAdmin(admin.ModelAdmin):
    form = EnrichmentConfigForm
    list_display = ("name", "enrichment_name", "enabled", "position", "updated_at")
    list_filter = ("enabled",)
    search_fields = ("name", "schema")
    readonly_fields = ("schema", "updated_at")
    actions = ("enable_selected", "disable_selected")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        enrichment_defaults_ensure()
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: EnrichmentConfig, form: Any, change: bool) -> None:
        if change and "name" in form.changed_data:
            EnrichmentConfig.objects.filter(pk=obj.pk).update(name=obj.name)
        saved = enrichment_config_save(obj.name, form.cleaned_data["configuration"], obj.position)
        obj.pk, obj.schema = saved.pk, saved.schema

    @admin.action(description="Enable the selected enrichments")
    def enable_selected(self, request: HttpRequest, queryset: QuerySet[EnrichmentConfig]) -> None:
        self._switch(request, queryset, True)

    @admin.action(description="Disable the selected enrichments")
    def disable_selected(self, request: HttpRequest, queryset: QuerySet[EnrichmentConfig]) -> None:
        self._switch(request, queryset, False)

    def _switch(self, request: HttpRequest, queryset: QuerySet[EnrichmentConfig], enabled: bool) -> None:
        for row in queryset:
            try:
                enrichment_config_enable(row, enabled)
            except ConfigInvalid as error:
                self.message_user(request, f"{row.name}: {error}", messages.ERROR)
