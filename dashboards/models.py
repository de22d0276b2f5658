"""Sites: the unit every page, rollup and permission is scoped to (DESIGN glossary)."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models


def check_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not a known IANA time zone (for example Europe/London).")


class Site(models.Model):
    """A website or app: a name, a time zone and the `app_id`s its trackers send."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[check_timezone])
    app_ids = models.JSONField(default=list, help_text="The app_id values this site's trackers send.")
    domains = models.JSONField(default=list, blank=True, help_text="The site's own domains (internal referrers).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.app_ids, list) or not all(isinstance(a, str) and a for a in self.app_ids):
            raise ValidationError({"app_ids": "Enter a list of non-empty app ids, for example [\"shop\"]."})


class ApiToken(models.Model):
    """A revocable API token; only its SHA-256 is stored, the token itself is shown once at creation."""

    SCOPES = ("api", "micro", "metrics")

    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise a token.")
    scopes = models.JSONField(default=list)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
