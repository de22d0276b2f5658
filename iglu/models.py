"""The database registry: schemas managed in the admin or over the Iglu Server API, and the API keys."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from iglu.keys import SchemaKey, SchemaVer


class Schema(models.Model):
    """One published version of a self-describing JSON Schema. Save through iglu.publishing, which checks it."""

    vendor = models.CharField(max_length=128)
    name = models.CharField(max_length=128)
    format = models.CharField(max_length=32, default="jsonschema")
    version = models.CharField(max_length=32, help_text="SchemaVer MODEL-REVISION-ADDITION")
    # The version split into numbers so that 1-0-10 sorts after 1-0-9 in queries.
    model = models.PositiveIntegerField(editable=False)
    revision = models.PositiveIntegerField(editable=False)
    addition = models.PositiveIntegerField(editable=False)
    schema = models.JSONField(help_text="The JSON Schema, with its self block")
    is_public = models.BooleanField(default=False, help_text="Readable over the Iglu API without an API key")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["vendor", "name", "format", "model", "revision", "addition"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name", "format", "version"], name="iglu_schema_unique_key"),
        ]
        indexes = [models.Index(fields=["vendor", "name", "model"], name="iglu_schema_family")]

    def __str__(self) -> str:
        return self.uri

    @property
    def key(self) -> SchemaKey:
        return SchemaKey(self.vendor, self.name, self.format, self.version)

    @property
    def uri(self) -> str:
        return self.key.uri

    @property
    def schemaver(self) -> SchemaVer:
        return SchemaVer(self.model, self.revision, self.addition)


class ApiKey(models.Model):
    """An Iglu Server API key: read or write access to schemas whose vendor starts with `vendor_prefix`."""

    READ = "read"
    WRITE = "write"
    PERMISSIONS = [(READ, "Read"), (WRITE, "Read and write")]

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vendor_prefix = models.CharField(max_length=128, help_text="Vendor prefix, or * for every vendor")
    permission = models.CharField(max_length=8, choices=PERMISSIONS, default=READ)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Iglu API key"

    def __str__(self) -> str:
        return f"{self.permission} key for {self.vendor_prefix}"

    def covers(self, vendor: str) -> bool:
        return self.vendor_prefix == "*" or vendor.startswith(self.vendor_prefix)


class ResolverConfig(models.Model):
    """An imported Snowplow resolver configuration (`iglu_resolver.json`); the newest one is the one in use.

    It takes precedence over settings.IGLU_RESOLVER_CONFIG. The built-in schemas and the database registry are
    always asked first, whatever the file lists (iglu.resolver_config).
    """

    configuration = models.JSONField(help_text="The self-describing resolver configuration, as uploaded")
    file_name = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "resolver configuration"

    def __str__(self) -> str:
        return f"{self.file_name or 'resolver configuration'} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def repository_names(self) -> list[str]:
        data = self.configuration.get("data", self.configuration) if isinstance(self.configuration, dict) else {}
        return [repo.get("name", "?") for repo in data.get("repositories", []) if isinstance(repo, dict)]
