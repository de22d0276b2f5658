"""Per-webhook configuration in the admin: on/off, the site whose app_id goes into the URL, signing secrets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class WebhookEndpoint(models.Model):
    """One `/{vendor}/{version}` webhook. A row exists for every registered adapter (see apps.py)."""

    vendor = models.CharField(max_length=128)
    version = models.CharField(max_length=16)
    enabled = models.BooleanField(default=True, help_text="Switched off, calls are kept as bad rows, not events.")
    site = models.ForeignKey("dashboards.Site", null=True, blank=True, on_delete=models.SET_NULL,
                             help_text="Its first app_id is the `aid` in the URL to paste into the vendor's console.")
    public_url = models.URLField(blank=True, help_text="The collector's public base URL, e.g. https://c.example.com "
                                                       "(used in the URL to paste and to check signed URLs).")
    signing_secret = models.CharField(
        max_length=512, blank=True,
        help_text="Mandrill webhook key, SendGrid verification public key (base64), Mailgun HTTP webhook signing "
                  "key, HubSpot app client secret or PagerDuty signing secret. Empty: signatures are not checked.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("vendor", "version")]
        ordering = ["vendor", "version"]

    def __str__(self) -> str:
        return f"{self.vendor}/{self.version}"


class RemoteAdapter(models.Model):
    """A `/{vendor}/{version}` served by an HTTP service that turns the request into tracker-protocol events."""

    vendor = models.CharField(max_length=128, help_text="Must contain a dot, as every webhook vendor does.")
    version = models.CharField(max_length=16)
    url = models.URLField(help_text="The service enrich POSTs each request to.")
    enabled = models.BooleanField(default=True)
    connect_timeout_seconds = models.FloatField(default=2.0)
    read_timeout_seconds = models.FloatField(default=5.0)

    class Meta:
        unique_together = [("vendor", "version")]
        ordering = ["vendor", "version"]

    def __str__(self) -> str:
        return f"{self.vendor}/{self.version} -> {self.url}"

    def clean(self) -> None:
        if "." not in self.vendor:
            raise ValidationError({"vendor": "A webhook vendor contains a dot (e.g. com.acme), or the collector "
                                             "would not route its path."})
        if self.timeouts_invalid():
            raise ValidationError("Timeouts must be between 0.1 and 60 seconds.")

    def timeouts_invalid(self) -> bool:
        return not all(0.1 <= t <= 60 for t in (self.connect_timeout_seconds, self.read_timeout_seconds))
