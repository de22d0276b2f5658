"""Per-site privacy settings (one row per Site, not columns on Site), daily salts, consent state and the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from dashboards.models import Site


def check_networks(value: object) -> None:
    """Refuse anything but a list of CIDR ranges, so a typo never silently lets internal traffic through."""
    if not isinstance(value, list):
        raise ValidationError('Enter a list of IP ranges, for example ["10.0.0.0/8", "2001:db8::/32"].')
    errors = []
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            errors.append(f"{item!r} is not an IP range")
    if errors:
        raise ValidationError("; ".join(errors))


def check_hosts(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(h, str) and h and "/" not in h for h in value):
        raise ValidationError('Enter a list of host names, for example ["shop.example", "www.shop.example"].')


class SitePrivacy(models.Model):
    """A site's privacy and traffic-hygiene choices. A site without a row gets the defaults below (safe ones)."""

    KEEP, FLAG, DROP, REFUSE = "keep", "flag", "drop", "refuse"
    ORIGIN_POLICIES = [(KEEP, "Accept any origin"), (FLAG, "Record, tagged disallowed_origin"),
                       (REFUSE, "Refuse (403 at the collector, dropped in enrichment)")]
    INTERNAL_POLICIES = [(DROP, "Exclude"), (FLAG, "Record, tagged internal")]
    CONSENT_POLICIES = [(KEEP, "Keep their later events"), (DROP, "Drop their later events")]

    site = models.OneToOneField(Site, on_delete=models.CASCADE, primary_key=True, related_name="privacy")
    anonymise_ip = models.BooleanField(default=True, help_text="Mask the end of the IP address before storing.")
    anon_octets = models.PositiveSmallIntegerField(default=1, help_text="IPv4 octets masked (1-4).")
    anon_segments = models.PositiveSmallIntegerField(default=5, help_text="IPv6 groups masked (1-8); 5 = 80 bits.")
    cookieless = models.BooleanField(default=False, help_text=(
        "No sp cookie set or read; visitors counted by a daily-rotating salted hash of IP, user agent and site."))
    respect_dnt = models.BooleanField(default=True, help_text="Drop events sent with DNT: 1 or Sec-GPC: 1.")
    allowed_origins = models.JSONField(default=list, blank=True, validators=[check_hosts], help_text=(
        "Hosts allowed besides the site's domains (subdomains included)."))
    origin_policy = models.CharField(max_length=10, choices=ORIGIN_POLICIES, default=KEEP)
    internal_networks = models.JSONField(default=list, blank=True, validators=[check_networks])
    internal_policy = models.CharField(max_length=10, choices=INTERNAL_POLICIES, default=DROP)
    exclude_referrer_spam = models.BooleanField(default=True, help_text=(
        "Drop events whose referrer is on the maintained referrer-spam list or on the site's own list below."))
    spam_domains = models.JSONField(default=list, blank=True, validators=[check_hosts],
                                    help_text="More referrer-spam hosts (subdomains included).")
    redact_emails_in_urls = models.BooleanField(default=True, help_text=(
        "Replace email addresses in page and referrer URLs by [email] (a common leak of personal data)."))
    pseudonymise_user_id = models.BooleanField(default=False, help_text=(
        "Store user_id as a salted SHA-256 (PRIVACY_PII_SALT), stable across days so users still stitch."))
    withdrawn_consent = models.CharField(max_length=10, choices=CONSENT_POLICIES, default=DROP)
    events_retention_days = models.PositiveIntegerField(default=0, help_text="0: the installation's setting.")
    bad_rows_retention_days = models.PositiveIntegerField(default=0, help_text="0: the installation's setting.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site privacy settings"
        verbose_name_plural = "site privacy settings"

    def __str__(self) -> str:
        return f"Privacy of {self.site}"

    def clean(self) -> None:
        if not 1 <= self.anon_octets <= 4:
            raise ValidationError({"anon_octets": "Mask between 1 and 4 octets."})
        if not 1 <= self.anon_segments <= 8:
            raise ValidationError({"anon_segments": "Mask between 1 and 8 groups."})


class DailySalt(models.Model):
    """The random salt of one UTC day for cookieless visitor hashes; deleted after two days, so old hashes
    can never be recomputed from an IP address and user agent."""

    day = models.DateField(unique=True)
    salt = models.BinaryField()


class ConsentWithdrawal(models.Model):
    """A visitor of a site who withdrew consent (and has not granted it again since)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="consent_withdrawals")
    visitor = models.CharField(max_length=128, help_text="domain_userid, else network_userid, else user_id.")
    withdrawn_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "visitor"], name="one_withdrawal_per_visitor")]


class AuditEntry(models.Model):
    """Who changed or read what, when, with the state before and after. Written only by `audit_record`."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, help_text="Kept when the user is deleted.")
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_repr}"
