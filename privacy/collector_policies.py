"""What the collector needs to know of each site, as plain data it turns into its own frozen snapshot
(collector/sites.py): whether the site is cookieless and which origins it refuses. Two queries."""

from __future__ import annotations

from typing import Any

from dashboards.models import Site
from privacy.models import SitePrivacy


def get_collector_policies() -> list[dict[str, Any]]:
    """One entry per site whose traffic the collector treats differently from the defaults."""
    rows = {row.site_id: row for row in SitePrivacy.objects.filter(cookieless=True)}
    rows.update({row.site_id: row for row in SitePrivacy.objects.filter(origin_policy=SitePrivacy.REFUSE)})
    if not rows:
        return []
    policies = []
    for site in Site.objects.filter(pk__in=rows):
        row = rows[site.pk]
        policies.append({
            "app_ids": list(site.app_ids), "domains": [d.lower().lstrip(".") for d in site.domains if d],
            "allowed_origins": [h.lower().lstrip(".") for h in row.allowed_origins if h],
            "cookieless": row.cookieless, "refuse_other_origins": row.origin_policy == SitePrivacy.REFUSE,
        })
    return policies
