"""Operations in the admin: pipeline health, alert settings and incidents, recovery rules, the bad-row browser."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from operations import badrow_views
from operations.alerts import get_alert_settings
from operations.charts import ChartSpec, svg_line_chart
from operations.health import get_pipeline_health
from operations.jsonpatch import PatchError, check_patch
from operations.models import (
    AlertIncident,
    AlertSettings,
    BadRowGroup,
    ModelRun,
    PipelineHealth,
    RecoveryRule,
)


@admin.register(PipelineHealth)
class PipelineHealthAdmin(admin.ModelAdmin):
    """The health page in place of a change list (there are no rows to list)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        health = get_pipeline_health()
        charts = [
            svg_line_chart(ChartSpec("Last hour, per minute", health.minutes[-60:],
                                     {name: health.last(name, 60) for name in health.series})),
            svg_line_chart(ChartSpec("Last day, per 10 minutes", health.minutes, health.series, bucket=10)),
        ]
        context = {
            **self.admin_site.each_context(request), "title": "Pipeline health", "health": health,
            "chart_hour": charts[0], "chart_day": charts[1], "opts": self.model._meta,
            "totals_hour": {name: sum(health.last(name, 60)) for name in health.series},
            "totals_day": {name: sum(values) for name, values in health.series.items()},
            "incidents": AlertIncident.objects.all()[:10],
        }
        return TemplateResponse(request, "operations/health.html", context)


class AlertSettingsForm(forms.ModelForm):
    webhook_url = forms.URLField(required=False, assume_scheme="https", help_text="Receives a JSON POST per incident.")

    class Meta:
        model = AlertSettings
        fields = "__all__"


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    """One row: the change list goes straight to it."""

    form = AlertSettingsForm
    readonly_fields = ("last_evaluated_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        row = get_alert_settings()
        return HttpResponseRedirect(reverse("admin:operations_alertsettings_change", args=[row.pk]))


@admin.register(AlertIncident)
class AlertIncidentAdmin(admin.ModelAdmin):
    list_display = ("opened_at", "kind", "summary", "notified_at", "resolved_at")
    list_filter = ("kind",)
    readonly_fields = [field.name for field in AlertIncident._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RecoveryRuleForm(forms.ModelForm):
    class Meta:
        model = RecoveryRule
        fields = ("name", "description", "patch")

    def clean_patch(self) -> list:
        patch = self.cleaned_data["patch"]
        try:
            return check_patch(patch)
        except PatchError as error:
            raise forms.ValidationError(str(error)) from error


@admin.register(RecoveryRule)
class RecoveryRuleAdmin(admin.ModelAdmin):
    form = RecoveryRuleForm
    list_display = ("name", "description", "updated_at")
    search_fields = ("name", "description")


@admin.register(ModelRun)
class ModelRunAdmin(admin.ModelAdmin):
    list_display = ("name", "started_at", "finished_at", "succeeded")
    readonly_fields = ("name", "started_at", "finished_at", "succeeded", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(BadRowGroup)
class BadRowGroupAdmin(admin.ModelAdmin):
    """The bad-row browser: groups by failure signature, row detail with the decoded payload, replay, recovery."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list:
        from django.urls import path

        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.changelist_view), name="operations_badrowgroup_changelist"),
            path("rows/", wrap(self.rows_view), name="operations_badrowgroup_rows"),
            path("<int:row_id>/inspect/", wrap(self.inspect_view), name="operations_badrowgroup_inspect"),
            path("act/", wrap(self.act_view), name="operations_badrowgroup_act"),
            path("recover/", wrap(self.recover_view), name="operations_badrowgroup_recover"),
            path("<int:row_id>/change/", wrap(self.redirect_to_inspect)),
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta}

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return badrow_views.groups(request, self._context(request, "Bad rows by failure"))

    def rows_view(self, request: HttpRequest) -> HttpResponse:
        return badrow_views.rows(request, self._context(request, "Bad rows"))

    def inspect_view(self, request: HttpRequest, row_id: int) -> HttpResponse:
        return badrow_views.inspect(request, row_id, self._context(request, f"Bad row {row_id}"))

    def act_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        return badrow_views.act(request)

    def recover_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and not self.has_change_permission(request):
            return HttpResponse(status=403)
        return badrow_views.recover(request, self._context(request, "Recover bad rows"))

    def redirect_to_inspect(self, request: HttpRequest, row_id: int) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:operations_badrowgroup_inspect", args=[row_id]))
