"""Admin for the schema registry: list and search, a JSON editor with inline errors, versions, instance checks."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from iglu import api as iglu
from iglu.errors import IgluError, InvalidSchema, PublicationRefused
from iglu.models import ApiKey, ResolverConfig, Schema
from iglu.publishing import check_publication, schema_publish
from iglu.resolver_config import ResolverConfigError, parse_resolver_config, resolver_config_import


class SchemaForm(forms.ModelForm):
    """Edit the schema as JSON text; every meta-schema and publication problem is shown on the field."""

    schema_json = forms.CharField(
        label="Schema (JSON)", widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "style": "font-family: monospace"})
    )

    class Meta:
        model = Schema
        fields = ["is_public"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["schema_json"].initial = json.dumps(self.instance.schema, indent=2)

    def clean_schema_json(self) -> dict[str, Any]:
        try:
            return json.loads(self.cleaned_data["schema_json"])
        except ValueError as error:
            raise forms.ValidationError(f"Invalid JSON: {error}") from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        schema = cleaned.get("schema_json")
        if schema is None:
            return cleaned
        try:
            key = check_publication(schema, bool(cleaned.get("is_public")))
        except InvalidSchema as error:
            self.add_error("schema_json", [f"{issue['path']}: {issue['message']}" for issue in error.issues])
        except (PublicationRefused, IgluError) as error:
            self.add_error("schema_json", str(error))
        else:
            if self.instance.pk and key != self.instance.key:
                self.add_error("schema_json", f"The self block must stay {self.instance.uri}; publish a new version")
        return cleaned


class ValidateInstanceForm(forms.Form):
    instance = forms.CharField(
        label="Self-describing JSON",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text='{"schema": "iglu:vendor/name/jsonschema/1-0-0", "data": {...}}',
    )


@admin.register(Schema)
class SchemaAdmin(admin.ModelAdmin):
    form = SchemaForm
    list_display = ["uri", "is_public", "updated_at", "updated_by"]
    list_filter = ["is_public", "vendor"]
    search_fields = ["vendor", "name"]
    readonly_fields = ["version_history", "created_at", "updated_at", "created_by", "updated_by"]
    list_select_related = ["updated_by"]

    def get_fields(self, request: HttpRequest, obj: Schema | None = None) -> list[str]:
        fields = ["schema_json", "is_public"]
        return fields + self.readonly_fields if obj else fields

    def save_model(self, request: HttpRequest, obj: Schema, form: SchemaForm, change: bool) -> None:
        """Publish through the one domain function; the form already showed any error inline."""
        published = schema_publish(form.cleaned_data["schema_json"], is_public=obj.is_public, user=request.user).schema
        for field in ("pk", "vendor", "name", "format", "version", "model", "revision", "addition", "schema"):
            setattr(obj, field, getattr(published, field))

    @admin.display(description="Versions of this schema")
    def version_history(self, obj: Schema) -> str:
        family = Schema.objects.filter(vendor=obj.vendor, name=obj.name, format=obj.format).order_by(
            "model", "revision", "addition"
        )
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — updated {}</li>',
                ((reverse("admin:iglu_schema_change", args=[row.pk]), row.version, row.updated_at) for row in family),
            ),
        )

    def get_urls(self):
        extra = [path("validate/", self.admin_site.admin_view(self.validate_view), name="iglu_schema_validate")]
        return extra + super().get_urls()

    def validate_view(self, request: HttpRequest) -> HttpResponse:
        """Validate one self-describing JSON through the resolver and show the data reports."""
        form = ValidateInstanceForm(request.POST or None)
        reports = None
        if request.method == "POST" and form.is_valid():
            try:
                reports = iglu.validate_instance(json.loads(form.cleaned_data["instance"]))
            except ValueError as error:
                form.add_error("instance", f"Invalid JSON: {error}")
            except IgluError as error:
                form.add_error("instance", str(error))
            else:
                if not reports:
                    messages.success(request, "The instance is valid.")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "reports": reports,
            "title": "Validate an instance",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/iglu/validate_instance.html", context)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "vendor_prefix", "permission", "created_at"]
    search_fields = ["vendor_prefix"]


class ResolverConfigForm(forms.ModelForm):
    """Upload the `iglu_resolver.json` a Snowplow user already has, or paste it; errors are shown on the form."""

    upload = forms.FileField(label="iglu_resolver.json", required=False, help_text="Snowplow's resolver file")
    text = forms.CharField(
        label="…or paste it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "style": "font-family: monospace"}),
    )

    class Meta:
        model = ResolverConfig
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, text = cleaned.get("upload"), cleaned.get("text")
        if upload is None and not (text or "").strip():
            raise forms.ValidationError("Choose an iglu_resolver.json file or paste its content.")
        content = upload.read() if upload is not None else text
        self.file_name = upload.name if upload is not None else "pasted"
        try:
            parse_resolver_config(json.loads(content))
        except (ResolverConfigError, IgluError) as error:
            self.add_error("upload" if upload is not None else "text", str(error))
        except ValueError as error:
            self.add_error("upload" if upload is not None else "text", f"The file is not valid JSON: {error}")
        self.content = content
        return cleaned


@admin.register(ResolverConfig)
class ResolverConfigAdmin(admin.ModelAdmin):
    """Imported resolver configurations; the newest is in use. Rows are read-only: import a new file to change."""

    form = ResolverConfigForm
    list_display = ["__str__", "repositories", "uploaded_by", "in_use"]

    def get_fields(self, request: HttpRequest, obj: ResolverConfig | None = None) -> list[str]:
        return ["upload", "text"] if obj is None else ["file_name", "uploaded_at", "uploaded_by", "pretty"]

    def get_readonly_fields(self, request: HttpRequest, obj: ResolverConfig | None = None) -> list[str]:
        return [] if obj is None else ["file_name", "uploaded_at", "uploaded_by", "pretty"]

    def has_change_permission(self, request: HttpRequest, obj: ResolverConfig | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description="Repositories (after the built-in schemas and the database registry)")
    def repositories(self, obj: ResolverConfig) -> str:
        return ", ".join(obj.repository_names) or "none"

    @admin.display(description="In use", boolean=True)
    def in_use(self, obj: ResolverConfig) -> bool:
        return ResolverConfig.objects.values_list("pk", flat=True).first() == obj.pk

    @admin.display(description="Configuration")
    def pretty(self, obj: ResolverConfig) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.configuration, indent=2))

    def save_model(self, request: HttpRequest, obj: ResolverConfig, form: ResolverConfigForm, change: bool) -> None:
        """Import through the domain function, which stores the row and tells every process to reload."""
        row = resolver_config_import(form.content, file_name=form.file_name, user=request.user)
        obj.pk = row.pk
        obj.configuration = row.configuration
        obj.uploaded_at = row.uploaded_at
        messages.info(request, "The resolver now uses this configuration.")
