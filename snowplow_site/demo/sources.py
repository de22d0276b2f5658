"""How a visit reaches the shop: the referrer the browser reports and the landing URL, per marketing medium."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from snowplow_site.demo.catalogue import (
    CAMPAIGNS,
    CATEGORIES,
    EMAIL_REFERRERS,
    OTHER_REFERRERS,
    SEARCH_ENGINES,
    SOCIAL_REFERRERS,
    SOURCE_DECK,
    SUBREDDITS,
    Campaign,
    Location,
    Page,
    page_by_path,
)
from snowplow_site.demo.popularity import page_pick, weighted_pick

MEDIUMS = tuple(SOURCE_DECK)


@dataclass(frozen=True)
class TrafficSource:
    """Where a visit comes from: `medium` is direct, search, social, email, unknown (another website) or campaign."""

    medium: str
    referrer: str | None
    landing: Page
    landing_url: str  # the landing page's URL, with the UTM parameters of a campaign


class SourceDeck:
    """Deal mediums from a shuffled deck built from SOURCE_DECK's weights.

    Drawing without replacement keeps the shares exact over every 20 visits, so even a small demo run shows
    every medium, while the order stays random.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._cards: list[str] = []

    def draw(self) -> str:
        if not self._cards:
            self._cards = [medium for medium, count in SOURCE_DECK.items() for _ in range(count)]
            self._rng.shuffle(self._cards)
        return self._cards.pop()


def source_pick(rng: random.Random, medium: str, location: Location) -> TrafficSource:
    """Return a referrer and landing page typical of the medium, for a visitor at this location."""
    if medium == "campaign":
        return _campaign_source(rng, weighted_pick(rng, tuple((c, c.weight) for c in CAMPAIGNS)), location)
    if medium == "search":
        return _search_source(rng, location)
    landing = _landing(rng, _LANDINGS[medium])
    return TrafficSource(medium, _referrer(rng, medium, landing), landing, landing.url)


# Landing page kinds per medium, with weights; "static" is any of the shop's information pages.
_LANDINGS: dict[str, dict[str, float]] = {
    "direct": {"home": 45, "product": 30, "category": 15, "static": 10},
    "social": {"blog": 50, "product": 35, "static": 15},
    "email": {"product": 40, "blog": 30, "static": 30},
    "unknown": {"product": 40, "blog": 30, "category": 20, "home": 10},
}


def _landing(rng: random.Random, kinds: dict[str, float]) -> Page:
    return page_pick(rng, weighted_pick(rng, kinds))


def _referrer(rng: random.Random, medium: str, landing: Page) -> str | None:
    if medium == "direct":
        return None
    if medium == "email":
        return rng.choice(EMAIL_REFERRERS)
    template = weighted_pick(rng, SOCIAL_REFERRERS) if medium == "social" else rng.choice(OTHER_REFERRERS)
    return template.format(
        code="".join(rng.choices(string.ascii_letters + string.digits, k=10)),
        subreddit=rng.choice(SUBREDDITS),
        slug=landing.path.rsplit("/", 1)[-1][:40] or "demo_shop",
        number=rng.randint(38_000_000, 42_000_000),
    )


def _search_source(rng: random.Random, location: Location) -> TrafficSource:
    kind = weighted_pick(rng, {"brand": 35, "product": 45, "category": 10, "blog": 10})
    if kind == "brand":
        query, path = rng.choice(_BRAND_QUERIES)
        landing = page_by_path(path)
    else:
        landing = page_pick(rng, kind)
        query = _query_for(rng, landing)
    engine = weighted_pick(rng, SEARCH_ENGINES)
    q = quote_plus(query)
    referrer = {
        "google": f"https://{location.google_host}/search?q={q}",
        "bing": f"https://www.bing.com/search?q={q}&form=QBLH",
        "duckduckgo": f"https://duckduckgo.com/?q={q}&ia=web",
    }[engine]
    return TrafficSource("search", referrer, landing, landing.url)


_BRAND_QUERIES = (
    ("demo shop", "/"),
    ("demo shop", "/"),
    ("demoshop", "/"),
    ("demo shop discount code", "/sale"),
    ("demo shop returns", "/returns"),
    ("demo shop store near me", "/stores"),
    ("demo shop gift card", "/gift-cards"),
)


def _query_for(rng: random.Random, landing: Page) -> str:
    if landing.product:
        noun = landing.product.name.split(" ", 1)[1].lower()
        line = landing.product.name.split(" ", 1)[0].lower()
        return rng.choice((f"{line} {noun}", f"best {noun} 2026", f"{noun} review", f"demo shop {line} {noun}"))
    if landing.kind == "category" and landing.category:
        return rng.choice((f"{landing.category.name.lower()} sale", f"buy {landing.category.name.lower()} online"))
    return landing.title.split(" | ")[0].lower()


def _campaign_source(rng: random.Random, campaign: Campaign, location: Location) -> TrafficSource:
    if campaign.landing.startswith("product:"):
        slug = campaign.landing.split(":", 1)[1]
        landing = page_pick(rng, "product", next(c for c in CATEGORIES if c.slug == slug))
    else:
        landing = page_by_path(campaign.landing)
    referrer = rng.choice(campaign.referrers)
    if referrer == "https://www.google.com/":
        referrer = f"https://{location.google_host}/"  # paid search clicks come from the visitor's local Google
    params = {"utm_source": campaign.source, "utm_medium": campaign.medium, "utm_campaign": campaign.name}
    if campaign.term:
        params["utm_term"] = campaign.term
    if campaign.content:
        params["utm_content"] = campaign.content
    separator = "&" if "?" in landing.url else "?"
    return TrafficSource("campaign", referrer, landing, f"{landing.url}{separator}{urlencode(params)}")
