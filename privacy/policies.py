"""Per-site privacy settings as the collector and enrichment read them: one frozen snapshot of every site.

Saving settings goes through `site_privacy_save`, which audits the change and bumps the configuration version so
that enrichment workers reload (DESIGN contract 10); the collector re-reads its snapshot every few seconds.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dashboards.models import Site
from privacy.audit import audit_record, changed_only, snapshot
from privacy.models import SitePrivacy

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class SitePolicy:
    """What enrichment and the collector apply to one site's traffic, validated once."""

    site_id: int
    anonymise_ip: bool
    anon_octets: int
    anon_segments: int
    cookieless: bool
    respect_dnt: bool
    hosts: frozenset[str]
    origin_policy: str
    internal_networks: tuple[Network, ...]
    internal_policy: str
    drop_withdrawn: bool
    exclude_referrer_spam: bool = True
    spam_domains: frozenset[str] = frozenset()
    redact_emails: bool = True
    pseudonymise_user_id: bool = False

    def allows_host(self, host: str | None) -> bool:
        """True for a site domain, an allowed origin, or a subdomain of one."""
        if not host:
            return True
        host = host.lower()
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)

    def is_internal(self, address: str | None) -> bool:
        if not address or not self.internal_networks:
            return False
        try:
            parsed = ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            return False
        return any(parsed in network for network in self.internal_networks)


def get_site_privacy(site: Site) -> SitePrivacy:
    """The site's row, or an unsaved one holding the defaults (IP anonymisation on)."""
    try:
        return site.privacy
    except SitePrivacy.DoesNotExist:
        return SitePrivacy(site=site)


def build_policy(site: Site, row: SitePrivacy) -> SitePolicy:
    hosts = {h.lower().lstrip(".") for h in [*site.domains, *row.allowed_origins] if h}
    return SitePolicy(
        site_id=site.pk, anonymise_ip=row.anonymise_ip, anon_octets=row.anon_octets,
        anon_segments=row.anon_segments, cookieless=row.cookieless, respect_dnt=row.respect_dnt,
        hosts=frozenset(hosts), origin_policy=row.origin_policy,
        internal_networks=tuple(ipaddress.ip_network(n, strict=False) for n in row.internal_networks),
        internal_policy=row.internal_policy, drop_withdrawn=row.withdrawn_consent == SitePrivacy.DROP,
        exclude_referrer_spam=row.exclude_referrer_spam,
        spam_domains=frozenset(h.lower().lstrip(".") for h in row.spam_domains if h),
        redact_emails=row.redact_emails_in_urls, pseudonymise_user_id=row.pseudonymise_user_id,
    )


def list_site_policies() -> dict[str, SitePolicy]:
    """Every site's policy keyed by each of its app ids (two queries)."""
    rows = {row.site_id: row for row in SitePrivacy.objects.all()}
    policies: dict[str, SitePolicy] = {}
    for site in Site.objects.all():
        policy = build_policy(site, rows.get(site.pk) or SitePrivacy(site=site))
        for app_id in site.app_ids:
            policies.setdefault(app_id, policy)
    return policies


def site_privacy_save(row: SitePrivacy, actor: Any) -> SitePrivacy:
    """Validate and save a site's settings, audit the change and make workers reload."""
    from enrichment.api import config_version_bump

    row.full_clean()
    with transaction.atomic():
        old = SitePrivacy.objects.filter(pk=row.pk).first() if row.pk else None
        before = snapshot(old)
        row.save()
        after = snapshot(row)
        before, after = changed_only(before, after)
        audit_record(actor, "privacy.change" if old else "privacy.create", row, site=row.site,
                     before=before, after=after)
        config_version_bump()
    return row
