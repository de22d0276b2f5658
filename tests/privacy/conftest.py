"""Privacy test fixtures: sites with their privacy settings, and fresh per-process caches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dashboards.models import Site
from privacy.consent import forget_withdrawals
from privacy.enrichment import forget_policies
from privacy.models import SitePrivacy
from privacy.referrer_spam import forget_spam_hosts
from privacy.visitors import forget_cached_salts


@pytest.fixture(autouse=True)
def fresh_privacy_caches(settings, tmp_path) -> Iterator[None]:
    settings.PRIVACY_REFERRER_SPAM_FILE = str(tmp_path / "referrer-spam.txt")
    for forget in (forget_policies, forget_withdrawals, forget_cached_salts, forget_spam_hosts):
        forget()
    yield
    for forget in (forget_policies, forget_withdrawals, forget_cached_salts, forget_spam_hosts):
        forget()


@pytest.fixture
def make_site(db):
    """`make_site("shop", cookieless=True)`: a site with app id and domain, and privacy settings if given."""

    def make(slug: str = "shop", domains: list[str] | None = None, **privacy: Any) -> Site:
        site = Site.objects.create(name=slug.title(), slug=slug, app_ids=[slug],
                                   domains=domains if domains is not None else [f"{slug}.example"])
        if privacy:
            SitePrivacy.objects.create(site=site, **privacy)
        forget_policies()
        return site

    return make
