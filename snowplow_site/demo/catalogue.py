"""The demo shop's fixed data: pages, products, browsers, places, referrers and campaigns.

Everything here is plain data (no randomness), so a seed alone decides what a demo run sends. The IP networks are
ordinary public unicast ranges of ISPs in each country (no private, shared or documentation ranges); they are only
strings put into the `ip` parameter, and the demo never connects to them. The demo GeoIP database (geoip.py) maps
exactly these /24 networks to the cities below; a real GeoIP database may place them elsewhere inside the country.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote_plus

SITE_ROOT = "https://www.demo-shop.example"
SHOP_NAME = "Demo Shop"
CURRENCY = "USD"


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    nouns: tuple[str, ...]
    base_price: float


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    slug: str
    category: Category
    price: float


@dataclass(frozen=True)
class Page:
    """One page of the shop; `kind` drives navigation and engagement (home, category, product, blog, ...)."""

    path: str
    title: str
    kind: str
    category: Category | None = None
    product: Product | None = None

    @property
    def url(self) -> str:
        return SITE_ROOT + self.path


CATEGORIES: tuple[Category, ...] = (
    Category("footwear", "Footwear", ("Trail Runner", "Hiking Boot", "Approach Shoe", "Camp Sandal"), 119.0),
    Category("jackets", "Jackets", ("Rain Shell", "Down Jacket", "Fleece", "Softshell"), 149.0),
    Category("backpacks", "Backpacks", ("Daypack", "Trekking Pack", "Hydration Pack", "Travel Pack"), 99.0),
    Category("tents", "Tents", ("Two-Person Tent", "Ultralight Tent", "Family Tent", "Bivy"), 249.0),
    Category("sleeping", "Sleeping", ("Sleeping Bag", "Sleeping Pad", "Camp Pillow", "Quilt"), 89.0),
    Category("camp-kitchen", "Camp Kitchen", ("Stove", "Cook Set", "Insulated Mug", "Water Filter"), 39.0),
    Category("lighting", "Lighting", ("Headlamp", "Lantern", "Flashlight", "Solar Light"), 29.0),
    Category("accessories", "Accessories", ("Trekking Poles", "Beanie", "Gloves", "Sunglasses"), 24.0),
)
PRODUCT_LINES = ("Summit", "Ridge", "Alpine", "Canyon", "Glacier", "Coastal")

STATIC_PAGES: tuple[tuple[str, str], ...] = (
    ("/about", "About us"),
    ("/contact", "Contact"),
    ("/faq", "Frequently asked questions"),
    ("/shipping", "Shipping"),
    ("/returns", "Returns and exchanges"),
    ("/stores", "Find a store"),
    ("/gift-cards", "Gift cards"),
    ("/sale", "Sale"),
    ("/new-arrivals", "New arrivals"),
    ("/account/login", "Sign in"),
    ("/account/register", "Create an account"),
)
CHECKOUT_PAGES: tuple[tuple[str, str], ...] = (
    ("/cart", "Your cart"),
    ("/checkout", "Checkout"),
    ("/checkout/shipping", "Checkout: shipping"),
    ("/checkout/payment", "Checkout: payment"),
    ("/checkout/confirmation", "Thank you for your order"),
)
BLOG_TITLES: tuple[str, ...] = (
    "Your first overnight hike: a checklist",
    "Hiking in the rain without getting soaked",
    "Ten day hikes you can do by train",
    "Layering explained: base, mid and shell",
    "How to pack a backpack so it carries well",
    "Camp cooking in under fifteen minutes",
    "Leave no trace: seven principles in practice",
    "Winter camping for beginners",
    "Trail running on technical ground",
    "How we test our tents in the wind tunnel",
    "Choosing a trail for your fitness level",
    "Hydration on long summer hikes",
    "Night hiking safely with a headlamp",
    "Repairing a down jacket at home",
    "Family camping with small children",
    "Going ultralight without going cold",
    "The best sunrise hikes in the Alps",
    "A week on the coast path: gear list",
    "Blister prevention that actually works",
    "Reading a topographic map",
    "What to do when the weather turns",
    "Bikepacking: the basics",
    "Caring for your sleeping bag",
    "Our repair programme: one year on",
)
SEARCH_TERMS: tuple[str, ...] = (
    "rain jacket",
    "tent",
    "headlamp",
    "hiking boots women",
    "sleeping bag",
    "water filter",
    "gift card",
    "trail runners",
    "backpack 30l",
    "down jacket",
    "stove",
    "trekking poles",
    "insulated mug",
    "ultralight tent",
    "sandals",
    "fleece",
    "gloves",
    "lantern",
    "sunglasses",
    "returns",
    "sale",
    "kids jacket",
    "waterproof boots",
    "sleeping pad",
    "cook set",
    "bivy",
    "quilt",
    "beanie",
    "hydration pack",
    "solar light",
)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _title(text: str) -> str:
    return f"{text} | {SHOP_NAME}"


@cache
def products() -> tuple[Product, ...]:
    """Return the 192 products: every product line crossed with every noun of every category."""
    items = []
    for c_index, category in enumerate(CATEGORIES):
        for n_index, noun in enumerate(category.nouns):
            for l_index, line in enumerate(PRODUCT_LINES):
                name = f"{line} {noun}"
                price = round(category.base_price * (0.7 + 0.12 * l_index + 0.05 * n_index)) - 0.01
                sku = f"DS-{c_index + 1}{n_index + 1}{l_index + 1:02d}"
                items.append(Product(sku, name, _slug(name), category, price))
    return tuple(items)


@cache
def pages() -> dict[str, tuple[Page, ...]]:
    """Return every page of the shop grouped by kind (a little over 300 distinct URLs)."""
    return {
        "home": (Page("/", f"{SHOP_NAME}: outdoor gear for every trail", "home"),),
        "category": tuple(Page(f"/c/{c.slug}", _title(c.name), "category", c) for c in CATEGORIES),
        "category_more": tuple(
            Page(f"/c/{c.slug}?page={number}", _title(f"{c.name} (page {number})"), "category", c)
            for c in CATEGORIES
            for number in (2, 3)
        ),
        "product": tuple(
            Page(f"/p/{p.category.slug}/{p.slug}", _title(f"{p.name} - {p.category.name}"), "product", p.category, p)
            for p in products()
        ),
        "blog": _blog_pages(),
        "static": tuple(Page(path, _title(title), "static") for path, title in STATIC_PAGES),
        "checkout": tuple(Page(path, _title(title), "checkout") for path, title in CHECKOUT_PAGES),
        "search": tuple(search_page(term) for term in SEARCH_TERMS),
    }


def _blog_pages() -> tuple[Page, ...]:
    posts = [Page(f"/blog/{_slug(title)}", _title(title), "blog") for title in BLOG_TITLES]
    for category in CATEGORIES:
        for title in (f"How to choose {category.name.lower()}", f"{category.name}: care and repair guide"):
            posts.append(Page(f"/blog/{_slug(title)}", _title(title), "blog", category))
    return tuple(posts)


def search_page(term: str) -> Page:
    """Return the shop's search-results page for a term, linked to the category the term is about, if any."""
    words = _stems(term)
    scores = {c: max(len(words & _stems(text)) for text in (c.name, *c.nouns)) for c in CATEGORIES}
    best = max(CATEGORIES, key=lambda c: scores[c])
    category = best if scores[best] else None
    return Page(f"/search?q={quote_plus(term)}", _title(f"Search results for \u201c{term}\u201d"), "search", category)


def _stems(text: str) -> set[str]:
    return {word.rstrip("s") for word in text.lower().replace("-", " ").split()}


def page_by_path(path: str) -> Page:
    """Return the page at a path of the shop (a KeyError names a path the catalogue does not have)."""
    return _pages_by_path()[path]


@cache
def _pages_by_path() -> dict[str, Page]:
    return {page.path: page for group in pages().values() for page in group}


# --- Browsers ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Browser:
    """A real browser user agent with its device class and how common it is among visitors."""

    user_agent: str
    device: str  # desktop, mobile or tablet
    weight: int


_WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
_CHROME_WIN = f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_WEBKIT} Chrome/{{v}}.0.0.0 Safari/537.36"
_CHROME_MAC = f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {_WEBKIT} Chrome/{{v}}.0.0.0 Safari/537.36"
_CHROME_ANDROID = f"Mozilla/5.0 (Linux; Android 10; K) {_WEBKIT} Chrome/{{v}}.0.0.0 Mobile Safari/537.36"
BROWSERS: tuple[Browser, ...] = (
    Browser(_CHROME_WIN.format(v=141), "desktop", 14),
    Browser(_CHROME_WIN.format(v=140), "desktop", 7),
    Browser(_CHROME_MAC.format(v=141), "desktop", 7),
    Browser(_CHROME_MAC.format(v=140), "desktop", 3),
    Browser(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        "desktop",
        2,
    ),
    Browser(
        f"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) {_WEBKIT} Chrome/140.0.0.0 Safari/537.36",
        "desktop",
        1,
    ),
    Browser(_CHROME_WIN.format(v=141) + " Edg/141.0.0.0", "desktop", 6),
    Browser(_CHROME_WIN.format(v=140) + " Edg/140.0.0.0", "desktop", 2),
    Browser(_CHROME_MAC.format(v=141) + " Edg/141.0.0.0", "desktop", 1),
    Browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0", "desktop", 3),
    Browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:143.0) Gecko/20100101 Firefox/143.0", "desktop", 1),
    Browser("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:144.0) Gecko/20100101 Firefox/144.0", "desktop", 1),
    Browser("Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0", "desktop", 1),
    Browser(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.0 Safari/605.1.15",
        "desktop",
        4,
    ),
    Browser(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.6 Safari/605.1.15",
        "desktop",
        2,
    ),
    Browser(_CHROME_WIN.format(v=140) + " OPR/123.0.0.0", "desktop", 1),
    Browser(_CHROME_ANDROID.format(v=141), "mobile", 13),
    Browser(_CHROME_ANDROID.format(v=140), "mobile", 5),
    Browser(
        "Mozilla/5.0 (Linux; Android 15; SAMSUNG SM-S931B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
        "mobile",
        3,
    ),
    Browser("Mozilla/5.0 (Android 15; Mobile; rv:144.0) Gecko/144.0 Firefox/144.0", "mobile", 1),
    Browser(_CHROME_ANDROID.format(v=141) + " EdgA/141.0.0.0", "mobile", 1),
    Browser(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.0 Mobile/15E148 Safari/604.1",
        "mobile",
        10,
    ),
    Browser(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.6 Mobile/15E148 Safari/604.1",
        "mobile",
        5,
    ),
    Browser(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/141.0.7390.96 Mobile/15E148 Safari/604.1",
        "mobile",
        2,
    ),
    Browser(
        "Mozilla/5.0 (iPad; CPU OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.6 Mobile/15E148 Safari/604.1",
        "tablet",
        2,
    ),
    Browser(
        "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/141.0.0.0 Safari/537.36",
        "tablet",
        1,
    ),
)

# Screen sizes (CSS pixels) by device class, with how common each is.
# fmt: off
SCREENS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "desktop": ((1920, 1080, 9), (1536, 864, 4), (2560, 1440, 3), (1366, 768, 3), (1440, 900, 3),
                (1512, 982, 2), (1728, 1117, 1), (1280, 720, 1)),
    "mobile": ((390, 844, 5), (393, 852, 4), (430, 932, 3), (412, 915, 4), (360, 800, 3), (384, 832, 2),
               (375, 812, 1)),
    "tablet": ((820, 1180, 3), (1024, 1366, 1), (800, 1280, 1)),
}
# fmt: on


# --- Places -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """A visitor's city: one public /24 network used by the demo, its geography, language and local search engine."""

    network: str
    city: str
    postal_code: str
    subdivision_code: str
    subdivision_name: str
    country_code: str
    country_name: str
    continent_code: str
    continent_name: str
    latitude: float
    longitude: float
    time_zone: str
    languages: tuple[str, ...]
    google_host: str
    weight: int

    def address(self, host: int) -> str:
        """Return the address with this host number (1-254) inside the location's /24 network."""
        return str(ipaddress.ip_network(self.network)[host])


# fmt: off
_NA, _SA, _EU, _AS, _OC, _AF = (
    ("NA", "North America"), ("SA", "South America"), ("EU", "Europe"), ("AS", "Asia"), ("OC", "Oceania"),
    ("AF", "Africa"),
)
LOCATIONS: tuple[Location, ...] = (
    Location("24.193.40.0/24", "New York", "10001", "NY", "New York", "US", "United States", *_NA,
             40.7128, -74.0060, "America/New_York", ("en-US",), "www.google.com", 13),
    Location("73.162.15.0/24", "San Francisco", "94103", "CA", "California", "US", "United States", *_NA,
             37.7749, -122.4194, "America/Los_Angeles", ("en-US",), "www.google.com", 8),
    Location("98.213.60.0/24", "Chicago", "60601", "IL", "Illinois", "US", "United States", *_NA,
             41.8781, -87.6298, "America/Chicago", ("en-US",), "www.google.com", 6),
    Location("70.113.22.0/24", "Austin", "78701", "TX", "Texas", "US", "United States", *_NA,
             30.2672, -97.7431, "America/Chicago", ("en-US", "es-US"), "www.google.com", 4),
    Location("99.230.18.0/24", "Toronto", "M5H", "ON", "Ontario", "CA", "Canada", *_NA,
             43.6532, -79.3832, "America/Toronto", ("en-CA", "fr-CA"), "www.google.ca", 5),
    Location("187.190.45.0/24", "Mexico City", "06000", "CMX", "Mexico City", "MX", "Mexico", *_NA,
             19.4326, -99.1332, "America/Mexico_City", ("es-MX",), "www.google.com.mx", 3),
    Location("189.100.34.0/24", "S\u00e3o Paulo", "01310-100", "SP", "S\u00e3o Paulo", "BR", "Brazil", *_SA,
             -23.5505, -46.6333, "America/Sao_Paulo", ("pt-BR",), "www.google.com.br", 4),
    Location("86.150.23.0/24", "London", "EC1A", "ENG", "England", "GB", "United Kingdom", *_EU,
             51.5074, -0.1278, "Europe/London", ("en-GB",), "www.google.co.uk", 10),
    Location("86.157.118.0/24", "Manchester", "M1", "ENG", "England", "GB", "United Kingdom", *_EU,
             53.4808, -2.2426, "Europe/London", ("en-GB",), "www.google.co.uk", 3),
    Location("91.4.77.0/24", "Berlin", "10115", "BE", "Land Berlin", "DE", "Germany", *_EU,
             52.5200, 13.4050, "Europe/Berlin", ("de-DE", "en-US"), "www.google.de", 6),
    Location("84.150.33.0/24", "Munich", "80331", "BY", "Bavaria", "DE", "Germany", *_EU,
             48.1351, 11.5820, "Europe/Berlin", ("de-DE",), "www.google.de", 3),
    Location("90.24.112.0/24", "Paris", "75001", "IDF", "\u00cele-de-France", "FR", "France", *_EU,
             48.8566, 2.3522, "Europe/Paris", ("fr-FR",), "www.google.fr", 5),
    Location("83.45.66.0/24", "Madrid", "28013", "MD", "Madrid", "ES", "Spain", *_EU,
             40.4168, -3.7038, "Europe/Madrid", ("es-ES",), "www.google.es", 3),
    Location("84.26.140.0/24", "Amsterdam", "1012", "NH", "North Holland", "NL", "Netherlands", *_EU,
             52.3676, 4.9041, "Europe/Amsterdam", ("nl-NL", "en-GB"), "www.google.nl", 3),
    Location("83.24.91.0/24", "Warsaw", "00-001", "14", "Mazovia", "PL", "Poland", *_EU,
             52.2297, 21.0122, "Europe/Warsaw", ("pl-PL",), "www.google.pl", 2),
    Location("78.72.30.0/24", "Stockholm", "111 20", "AB", "Stockholm County", "SE", "Sweden", *_EU,
             59.3293, 18.0686, "Europe/Stockholm", ("sv-SE", "en-GB"), "www.google.se", 2),
    Location("49.36.101.0/24", "Mumbai", "400001", "MH", "Maharashtra", "IN", "India", *_AS,
             19.0760, 72.8777, "Asia/Kolkata", ("en-IN", "hi-IN"), "www.google.co.in", 5),
    Location("126.77.55.0/24", "Tokyo", "100-0001", "13", "Tokyo", "JP", "Japan", *_AS,
             35.6762, 139.6503, "Asia/Tokyo", ("ja-JP",), "www.google.co.jp", 4),
    Location("101.181.44.0/24", "Sydney", "2000", "NSW", "New South Wales", "AU", "Australia", *_OC,
             -33.8688, 151.2093, "Australia/Sydney", ("en-AU",), "www.google.com.au", 4),
    Location("105.112.30.0/24", "Lagos", "100001", "LA", "Lagos", "NG", "Nigeria", *_AF,
             6.5244, 3.3792, "Africa/Lagos", ("en-NG",), "www.google.com.ng", 2),
    Location("41.13.200.0/24", "Johannesburg", "2001", "GP", "Gauteng", "ZA", "South Africa", *_AF,
             -26.2041, 28.0473, "Africa/Johannesburg", ("en-ZA",), "www.google.co.za", 2),
)
# fmt: on

# Relative traffic by local hour (0-23), for weekdays and for weekends (a later, flatter weekend morning).
# fmt: off
WEEKDAY_HOURS = (0.15, 0.08, 0.05, 0.04, 0.04, 0.07, 0.2, 0.45, 0.75, 0.95, 1.0, 1.0,
                 1.05, 1.0, 0.95, 0.9, 0.85, 0.85, 0.9, 1.0, 1.05, 0.95, 0.65, 0.35)
WEEKEND_HOURS = (0.25, 0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.18, 0.35, 0.6, 0.8, 0.9,
                 0.95, 0.95, 0.9, 0.9, 0.85, 0.85, 0.9, 0.95, 0.95, 0.85, 0.65, 0.45)
# Relative traffic by local weekday (Monday first): the shop is quieter at the weekend.
WEEKDAYS = (1.0, 1.05, 1.0, 0.95, 0.9, 0.65, 0.6)
# fmt: on


# --- Referrers and campaigns ------------------------------------------------------------------------------------------

# How visits arrive, out of 20 (see sources.SourceDeck): the deck makes small demos show every medium.
SOURCE_DECK = {"direct": 5, "search": 6, "social": 3, "email": 1, "unknown": 2, "campaign": 3}
SEARCH_ENGINES = (("google", 80), ("bing", 12), ("duckduckgo", 8))
SOCIAL_REFERRERS: tuple[tuple[str, int], ...] = (
    ("https://www.facebook.com/", 3),
    ("https://l.facebook.com/", 3),
    ("https://m.facebook.com/", 2),
    ("https://t.co/{code}", 3),
    ("https://x.com/", 1),
    ("https://www.linkedin.com/feed/", 2),
    ("https://lnkd.in/{code}", 1),
    ("https://www.reddit.com/r/{subreddit}/comments/{code}/{slug}/", 3),
)
SUBREDDITS = ("CampingGear", "Ultralight", "hiking", "BuyItForLife", "CampingandHiking")
EMAIL_REFERRERS = ("https://mail.google.com/", "https://outlook.live.com/", "https://outlook.office.com/")
OTHER_REFERRERS = (
    "https://news.ycombinator.com/item?id={number}",
    "https://www.outdoorgearlab.com/topics/camping-and-hiking",
    "https://www.switchbacktravel.com/best-hiking-boots",
    "https://en.wikipedia.org/wiki/Backpacking_(hiking)",
    "https://www.trailrunnermag.com/gear/",
    "https://www.theverge.com/reviews",
    "https://www.producthunt.com/",
    "https://forum.example-hikers.org/t/gear-recommendations/{number}",
)
OUTBOUND_LINKS = (
    "https://www.instagram.com/demoshop/",
    "https://www.youtube.com/@demoshop",
    "https://www.facebook.com/demoshop",
    "https://help.demo-shop.example/hc/en-us",
    "https://www.trustpilot.com/review/demo-shop.example",
)


@dataclass(frozen=True)
class Campaign:
    """A UTM-tagged marketing link: where it lands, and what the browser reports as the referrer."""

    source: str
    medium: str
    name: str
    landing: str  # a path of the shop, or "product:<category>" for a product of that category
    referrers: tuple[str | None, ...]
    term: str | None = None
    content: str | None = None
    weight: int = 1


_GOOGLE = "https://www.google.com/"  # replaced by the visitor's local Google (sources.py)
_FACEBOOK = ("https://l.facebook.com/", "https://m.facebook.com/")
_WEBMAIL = ("https://mail.google.com/", "https://outlook.live.com/")
# fmt: off
CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("google", "cpc", "autumn_sale", "/c/jackets", (_GOOGLE,), "rain jacket", "text_ad_a", weight=4),
    Campaign("google", "cpc", "autumn_sale", "/c/footwear", (_GOOGLE,), "hiking boots", "text_ad_b", weight=2),
    Campaign("bing", "cpc", "brand", "/", ("https://www.bing.com/",), "demo shop", "brand_ad"),
    Campaign("facebook", "paid_social", "autumn_sale", "/c/tents", _FACEBOOK, content="carousel_tents", weight=3),
    Campaign("instagram", "paid_social", "new_arrivals", "/new-arrivals", ("https://l.instagram.com/",),
             content="story_video", weight=2),
    # Many mail clients send no referrer at all.
    Campaign("newsletter", "email", "weekly_digest", "/sale", (*_WEBMAIL, None), content="hero_button", weight=3),
    Campaign("newsletter", "email", "back_in_stock", "product:backpacks", (None, _WEBMAIL[0]), content="product_link"),
    Campaign("linkedin", "paid_social", "corporate_gifting", "/gift-cards", ("https://www.linkedin.com/",),
             content="sponsored_post"),
    Campaign("outdoor_blog", "referral", "affiliate_programme", "product:tents",
             ("https://www.switchbacktravel.com/best-backpacking-tents",), content="review_link"),
)
# fmt: on


def check_catalogue() -> None:
    """Raise ValueError if a demo network is not public unicast (private, shared, documentation, ...)."""
    for location in LOCATIONS:
        network = ipaddress.ip_network(location.network)
        if network.prefixlen != 24 or not network.is_global or network.is_multicast:
            raise ValueError(f"{location.city}: {location.network} is not a public /24 network")
