"""Sites and what people attach to them: roles, share links, annotations, saved segments, email reports, tokens."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# Paths under /dashboards/ that a site slug must not shadow.
RESERVED_SLUGS = frozenset({"shared", "api", "static", "accounts"})


def check_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"{name!r} is not a known IANA time zone (for example Europe/London).")


def check_slug_free(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"{slug!r} is reserved for a dashboards path; choose another slug.")


class Site(models.Model):
    """A website or app: a name, a time zone and the `app_id`s its trackers send."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, validators=[check_slug_free])
    timezone = models.CharField(max_length=64, default="UTC", validators=[check_timezone])
    app_ids = models.JSONField(default=list, help_text="The app_id values this site's trackers send.")
    domains = models.JSONField(default=list, blank=True, help_text="The site's own domains (internal referrers).")
    tracker_js_url = models.URLField(
        blank=True, help_text="Where this site's pages load sp.js from; empty: Snowplow's public CDN, pinned.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.app_ids, list) or not all(isinstance(a, str) and a for a in self.app_ids):
            raise ValidationError({"app_ids": "Enter a list of non-empty app ids, for example [\"shop\"]."})
        if not isinstance(self.domains, list) or not all(isinstance(d, str) for d in self.domains):
            raise ValidationError({"domains": "Enter a list of domains, for example [\"shop.example.com\"]."})


class SiteMembership(models.Model):
    """A person's role on one site: viewers read, admins also share, annotate, schedule and set up."""

    VIEWER = "viewer"
    ADMIN = "admin"
    ROLES = [(VIEWER, "Viewer"), (ADMIN, "Admin")]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_memberships")
    role = models.CharField(max_length=10, choices=ROLES, default=VIEWER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="one_role_per_site_and_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.site} · {self.role}"


class ShareLink(models.Model):
    """A read-only link to a site's dashboards, optionally behind a password (stored hashed)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="share_links")
    key = models.CharField(max_length=43, unique=True)
    label = models.CharField(max_length=100, blank=True)
    password_hash = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.site} · {self.label or self.key[:6]}"


class Annotation(models.Model):
    """A note on one day of a site's time series (a launch, an outage, a campaign)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="annotations")
    day = models.DateField(help_text="In the site's time zone.")
    text = models.CharField(max_length=280)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]


class SavedSegment(models.Model):
    """A named set of filters, stored as the query string the filter bar writes into the URL."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(max_length=100)
    filters = models.JSONField(default=list, help_text="Filter expressions, as in the URL's f= parameters.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="one_segment_name_per_site")]


class EmailReport(models.Model):
    """A scheduled email of a site's overview, top pages and sources for the last day, week or month."""

    DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
    FREQUENCIES = [(DAILY, "Daily"), (WEEKLY, "Weekly (Mondays)"), (MONTHLY, "Monthly (the 1st)")]

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="email_reports")
    recipients = models.JSONField(default=list)
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, default=WEEKLY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_period_end = models.DateField(null=True, blank=True, help_text="The last day the last report covered.")

    class Meta:
        ordering = ["site", "frequency"]


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
