"""What happens inside one visit: page views, page pings, link clicks, searches, structured events and purchases.

A journey is planned as data (PlannedEvent), with true timestamps, before anything is sent: sending.py turns each
planned event into a tracker event, and tests can read the plan without a network.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snowplow_site.demo.catalogue import (
    CHECKOUT_PAGES,
    CURRENCY,
    OUTBOUND_LINKS,
    SEARCH_TERMS,
    SHOP_NAME,
    Location,
    Page,
    page_by_path,
    search_page,
)
from snowplow_site.demo.popularity import page_pick, weighted_pick
from snowplow_site.demo.sources import TrafficSource

PING_SECONDS = 10  # the JS tracker's activity-tracking heartbeat
MAX_PAGES = 20
MAX_ENGAGED_SECONDS = 900
# Median engaged seconds by page kind; engaged time is log-normal around it.
ENGAGED_MEDIANS = {"home": 12, "category": 18, "product": 35, "blog": 75, "search": 10, "static": 20, "checkout": 30}
DOCUMENT_HEIGHTS = {
    "home": 3500,
    "category": 4200,
    "product": 3000,
    "blog": 5000,
    "search": 2500,
    "static": 1800,
    "checkout": 1400,
}
# Chance that a visit is a single page view, by medium (returning visitors use "returning").
SINGLE_PAGE = {
    "direct": 0.35,
    "search": 0.4,
    "social": 0.55,
    "email": 0.3,
    "unknown": 0.45,
    "campaign": 0.45,
    "returning": 0.25,
}
PURCHASE_RATE = {"new": 0.04, "returning": 0.08}


@dataclass(frozen=True)
class PageVisit:
    """One page view: every event that happens on it carries its URL, title, referrer and web_page id."""

    url: str
    title: str
    referrer: str | None
    view_id: str


@dataclass(frozen=True)
class PlannedEvent:
    """An event to send: its kind (page_view, page_ping, link_click, site_search, struct, transaction,
    transaction_item), its true timestamp in epoch milliseconds and the kind's own fields."""

    kind: str
    at_ms: int
    page: PageVisit
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitContext:
    """What a journey needs to know about its visitor: screen, place (for an order's address), first visit or not."""

    viewport_height: int
    location: Location
    first_visit: bool


def journey_plan(
    rng: random.Random, start_ms: int, source: TrafficSource, context: VisitContext, *, force_purchase: bool = False
) -> list[PlannedEvent]:
    """Return the visit's events in time order, starting with the landing page view at `start_ms`."""
    single = rng.random() < SINGLE_PAGE[source.medium if context.first_visit else "returning"]
    length = 1 if single else min(MAX_PAGES, 2 + int(rng.expovariate(1 / 3)))
    purchase = force_purchase or (
        not single and rng.random() < PURCHASE_RATE["new" if context.first_visit else "returning"]
    )
    pages = _page_path(rng, source.landing, max(length, 2) if purchase else length, purchase)
    bounce = single and not purchase and rng.random() < 0.65
    return _events(rng, start_ms, source, pages, context, bounce=bounce, purchase=purchase)


def _page_path(rng: random.Random, landing: Page, length: int, purchase: bool) -> list[Page]:
    path = [landing]
    while len(path) < length:
        path.append(_next_page(rng, path[-1]))
    if purchase:
        if path[-1].kind != "product":
            path.append(page_pick(rng, "product", path[-1].category))
        path += [page_by_path(p) for p, _ in CHECKOUT_PAGES]
    return path


# Where visitors go next from each kind of page, with weights.
_NEXT: dict[str, dict[str, float]] = {
    "home": {"category": 45, "product": 25, "static": 15, "blog": 10, "search": 5},
    "category": {"product": 70, "category_more": 10, "category": 10, "search": 10},
    "product": {"product": 55, "category": 15, "search": 12, "home": 8, "blog": 5, "static": 5},
    "blog": {"product": 50, "blog": 25, "home": 15, "category": 10},
    "search": {"product": 75, "category": 15, "search": 10},
    "static": {"home": 40, "category": 40, "product": 20},
    "checkout": {"home": 60, "product": 40},
}


def _next_page(rng: random.Random, page: Page) -> Page:
    kind = weighted_pick(rng, _NEXT[page.kind])
    if kind == "search":
        return search_page(_search_term(rng))
    if kind == "home":
        return page_pick(rng, "home")
    same_category = kind in {"product", "category_more"} and rng.random() < 0.75
    return page_pick(rng, kind, page.category if same_category else None)


def _search_term(rng: random.Random) -> str:
    """Return a site-search term, the first terms of the list being the most searched."""
    return rng.choices(SEARCH_TERMS, weights=[1 / (i + 2) for i in range(len(SEARCH_TERMS))], k=1)[0]


def _events(
    rng: random.Random,
    start_ms: int,
    source: TrafficSource,
    pages: list[Page],
    context: VisitContext,
    *,
    bounce: bool,
    purchase: bool,
) -> list[PlannedEvent]:
    events: list[PlannedEvent] = []
    cart = _cart_indexes(rng, pages) if purchase else _abandoned_cart(rng, pages)
    at, referrer, url = start_ms, source.referrer, source.landing_url
    for index, page in enumerate(pages):
        view = PageVisit(url, page.title, referrer, uuid_draw(rng))
        engaged = rng.uniform(1.5, 9.5) if bounce else _engaged_seconds(rng, page.kind)
        leave = at + int(engaged * 1000)
        events.append(PlannedEvent("page_view", at, view))
        events += _pings(rng, view, page, at, engaged, context.viewport_height)
        events += _interactions(rng, view, page, at, leave, first_page=index == 0 and context.first_visit)
        if index in cart:
            events.append(_add_to_cart(rng, view, page, at, leave))
        if page.path == "/checkout/confirmation":
            events += _transaction(rng, view, [pages[i] for i in sorted(cart)], at + 1500, context.location)
        following = pages[index + 1] if index + 1 < len(pages) else None
        click = _link_click(rng, view, page, following, leave)
        if click:
            events.append(click)
        at = leave + _idle_ms(rng)
        referrer, url = view.url, following.url if following else ""
    return sorted(events, key=lambda event: event.at_ms)


def uuid_draw(rng: random.Random) -> str:
    """Return a random (version 4) UUID drawn from `rng`, so that a seed decides it."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _engaged_seconds(rng: random.Random, kind: str) -> float:
    return min(MAX_ENGAGED_SECONDS, rng.lognormvariate(math.log(ENGAGED_MEDIANS[kind]), 0.75))


def _idle_ms(rng: random.Random) -> int:
    """Time between the last engagement and the next page view; sometimes the tab sits in the background."""
    seconds = rng.uniform(1, 15) + (rng.uniform(60, 600) if rng.random() < 0.08 else 0)
    return int(seconds * 1000)


def _pings(
    rng: random.Random, view: PageVisit, page: Page, at: int, engaged: float, viewport_height: int
) -> list[PlannedEvent]:
    """One page ping per 10 s of engaged time, with the scroll range seen in that period."""
    height = int(DOCUMENT_HEIGHTS[page.kind] * rng.uniform(0.7, 1.3))
    bottom = max(0, height - viewport_height)
    position, pings = 0, []
    for number in range(1, int(engaged // PING_SECONDS) + 1):
        start, position = position, max(0, min(bottom, position + rng.randint(-200, 900)))
        fields = {"min_x": 0, "max_x": 0, "min_y": min(start, position), "max_y": max(start, position)}
        pings.append(PlannedEvent("page_ping", at + number * PING_SECONDS * 1000 + rng.randint(0, 250), view, fields))
    return pings


def _interactions(
    rng: random.Random, view: PageVisit, page: Page, at: int, leave: int, *, first_page: bool
) -> list[PlannedEvent]:
    """Structured events and site searches that happen while the page is open."""

    def moment() -> int:
        return rng.randint(at + 500, max(at + 600, leave))

    def struct(
        category: str, action: str, label: str | None = None, prop: str | None = None, value: float | None = None
    ) -> PlannedEvent:
        fields = {"category": category, "action": action, "label": label, "property_": prop, "value": value}
        return PlannedEvent("struct", moment(), view, fields)

    events = []
    if first_page and rng.random() < 0.55:
        events.append(struct("consent", "accept-all" if rng.random() < 0.8 else "reject-all", "cookie-banner"))
    if page.kind == "search":
        events.append(_site_search(rng, view, page, at + rng.randint(300, 900)))
    if page.product and rng.random() < 0.25:
        events.append(
            struct("product", "view-gallery", page.product.sku, page.product.category.slug, rng.randint(1, 6))
        )
    if page.product and rng.random() < 0.12:
        option = rng.choice(
            (
                ("select-size", rng.choice(("S", "M", "L", "XL", "42", "44"))),
                ("select-colour", rng.choice(("black", "forest", "ocean", "sand"))),
            )
        )
        events.append(struct("product", option[0], page.product.sku, option[1]))
    if page.kind == "blog" and rng.random() < 0.2:
        events.append(struct("video", "play", page.path.rsplit("/", 1)[-1], "youtube", rng.randint(5, 240)))
    if page.kind in {"home", "blog"} and rng.random() < 0.04:
        events.append(struct("newsletter", "subscribe", "footer-form"))
    if page.path == "/checkout/shipping":
        events.append(struct("checkout", "select-shipping", rng.choice(("standard", "express", "pickup"))))
    return events


def _site_search(rng: random.Random, view: PageVisit, page: Page, at: int) -> PlannedEvent:
    term = page.title.split("\u201c", 1)[1].split("\u201d", 1)[0]
    total = rng.randint(0, 3) if not page.category else rng.randint(4, 60)
    fields: dict[str, Any] = {"terms": term.split(), "totalResults": total, "pageResults": min(total, 24)}
    if page.category and rng.random() < 0.3:
        fields["filters"] = {"category": page.category.slug, "inStock": True}
    return PlannedEvent("site_search", at, view, fields)


def _cart_indexes(rng: random.Random, pages: list[Page]) -> set[int]:
    """The product page views whose product is bought: always the last one before the cart, maybe a few more."""
    products = [i for i, page in enumerate(pages) if page.product]
    chosen = {products[-1]} | {i for i in products[:-1] if rng.random() < 0.35}
    return set(sorted(chosen)[-3:])


def _abandoned_cart(rng: random.Random, pages: list[Page]) -> set[int]:
    products = [i for i, page in enumerate(pages) if page.product]
    return {rng.choice(products)} if products and rng.random() < 0.1 else set()


def _add_to_cart(rng: random.Random, view: PageVisit, page: Page, at: int, leave: int) -> PlannedEvent:
    product = page.product
    assert product is not None
    fields = {
        "category": "ecommerce",
        "action": "add-to-cart",
        "label": product.sku,
        "property_": product.category.slug,
        "value": product.price,
    }
    return PlannedEvent("struct", rng.randint(at + 500, max(at + 600, leave)), view, fields)


def _transaction(
    rng: random.Random, view: PageVisit, bought: list[Page], at: int, location: Location
) -> list[PlannedEvent]:
    """A legacy ecommerce transaction (tracker protocol `tr`) and one `ti` per item, at the same instant."""
    order_id = f"DS-{rng.randint(100_000, 999_999)}"
    lines = [(page.product, 2 if rng.random() < 0.15 else 1) for page in bought if page.product]
    subtotal = round(sum(product.price * quantity for product, quantity in lines), 2)
    tax = round(subtotal * 0.08, 2)
    shipping = 0.0 if subtotal >= 75 else 6.95
    total = round(subtotal + tax + shipping, 2)
    transaction = {
        "tr_id": order_id,
        "tr_af": SHOP_NAME,
        "tr_tt": total,
        "tr_tx": tax,
        "tr_sh": shipping,
        "tr_ci": location.city,
        "tr_st": location.subdivision_name,
        "tr_co": location.country_name,
        "tr_cu": CURRENCY,
    }
    events = [PlannedEvent("transaction", at, view, transaction)]
    for product, quantity in lines:
        item = {
            "ti_id": order_id,
            "ti_sk": product.sku,
            "ti_nm": product.name,
            "ti_ca": product.category.name,
            "ti_pr": product.price,
            "ti_qu": quantity,
            "ti_cu": CURRENCY,
        }
        events.append(PlannedEvent("transaction_item", at, view, item))
    return events


def _link_click(
    rng: random.Random, view: PageVisit, page: Page, following: Page | None, leave: int
) -> PlannedEvent | None:
    """A tracked link click: often the link to the next page, sometimes an outbound link at the end of a visit."""
    if following is not None and rng.random() < 0.3:
        target, content, target_attr = following.url, following.title.split(" | ")[0], None
        classes, element_id = [f"{following.kind}-link"], f"{page.kind}-to-{following.kind}"
    elif following is None and rng.random() < 0.1:
        target = rng.choice(OUTBOUND_LINKS)
        content, target_attr, classes, element_id = "Follow us", "_blank", ["footer-social"], "footer-social-link"
    else:
        return None
    fields: dict[str, Any] = {
        "targetUrl": target,
        "elementId": element_id,
        "elementClasses": classes,
        "elementContent": content,
    }
    if target_attr:
        fields["elementTarget"] = target_attr
    return PlannedEvent("link_click", leave - rng.randint(150, 900), view, fields)
