"""The dashboards' tables, declared once: each page lists its tables; pages, CSV, zip and email render them alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dashboards import crashes, ecommerce, selectors
from dashboards.filters import DIMENSIONS
from dashboards.query import DashboardQuery

DEFAULT_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # text, int, percent, seconds, money


@dataclass(frozen=True)
class Table:
    """One breakdown table; `dimension` also names the filter a click on a value adds."""

    id: str
    title: str
    dimension: str
    columns: tuple[Column, ...]
    fetch: Callable[[DashboardQuery, str, int, int], list] = selectors.list_breakdown

    def rows(self, query: DashboardQuery, limit: int = DEFAULT_ROWS, offset: int = 0) -> list:
        return self.fetch(query, self.dimension, limit, offset)

    @property
    def filterable(self) -> bool:
        """Whether a click on a value can add it as a filter (products and crash messages are no dimension)."""
        return self.dimension in DIMENSIONS


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    tables: tuple[Table, ...] = field(default_factory=tuple)


def _value(label: str) -> Column:
    return Column("value", label, "text")


VISITORS = Column("visitors", "Visitors")
VIEWS = Column("page_views", "Page views")
SESSIONS = Column("sessions", "Sessions")
ENGAGED = Column("engaged_seconds", "Avg. engaged", "seconds")
BOUNCE = Column("bounce_rate", "Bounce rate", "percent")
CONVERSIONS = Column("conversions", "Conversions")
PAGE_COLUMNS = (VIEWS, VISITORS, ENGAGED, BOUNCE)
AUDIENCE = (VISITORS, SESSIONS, VIEWS)
CRASHES = (Column("crashes", "Crashes"), Column("sessions", "Sessions"), VISITORS)


def _table(id_: str, title: str, dimension: str, label: str, columns: tuple[Column, ...] = AUDIENCE) -> Table:
    return Table(id_, title, dimension, (_value(label), *columns))


PAGES: dict[str, Page] = {page.slug: page for page in (
    Page("overview", "Overview", (
        _table("top-pages", "Top pages", "page", "Page", PAGE_COLUMNS),
        _table("top-sources", "Top sources", "source", "Source"),
        _table("top-countries", "Top countries", "country", "Country"),
        _table("top-devices", "Devices", "device", "Device"),
    )),
    Page("pages", "Pages", (
        _table("pages", "Top pages", "page", "Page", PAGE_COLUMNS),
        _table("entry-pages", "Entry pages", "entry_page", "Entry page", PAGE_COLUMNS),
        _table("exit-pages", "Exit pages", "exit_page", "Exit page", PAGE_COLUMNS),
    )),
    Page("acquisition", "Acquisition", (
        _table("channels", "Channels", "channel", "Channel"),
        _table("referrers", "Referrers", "referrer", "Referrer"),
        _table("sources", "Sources", "source", "Source"),
        _table("mediums", "Mediums", "medium", "Medium"),
        _table("campaigns", "UTM campaigns", "campaign", "Campaign"),
        _table("terms", "UTM terms", "term", "Term"),
        _table("contents", "UTM contents", "content", "Content"),
    )),
    Page("geography", "Geography", (
        _table("countries", "Countries", "country", "Country"),
        _table("regions", "Regions", "region", "Region"),
        _table("cities", "Cities", "city", "City"),
    )),
    Page("technology", "Technology", (
        _table("browsers", "Browsers", "browser", "Browser"),
        _table("os", "Operating systems", "os", "OS"),
        _table("devices", "Device types", "device", "Device"),
        _table("screen-sizes", "Screen sizes", "screen_size", "Screen size"),
        _table("languages", "Languages", "language", "Language"),
    )),
    Page("events", "Events", (
        _table("event-names", "Events", "event_name", "Event"),
    )),
    Page("goals", "Goals", (
        Table("goals", "Goal conversions", "goal", (_value("Goal"), CONVERSIONS, SESSIONS, VISITORS)),
        _table("goal-sources", "Sources", "source", "Source", (VISITORS, SESSIONS, CONVERSIONS)),
        _table("goal-campaigns", "Campaigns", "campaign", "Campaign", (VISITORS, SESSIONS, CONVERSIONS)),
        _table("goal-pages", "Entry pages", "entry_page", "Entry page", (VISITORS, SESSIONS, CONVERSIONS)),
    )),
    Page("ecommerce", "Ecommerce", (
        Table("products", "Top products", "product", (
            _value("Product (SKU)"), Column("name", "Name", "text"), Column("category", "Category", "text"),
            Column("quantity", "Quantity"), Column("revenue", "Revenue", "money"), Column("orders", "Orders")),
            fetch=ecommerce.list_products),
    )),
    Page("apps", "Apps", (
        _table("app-versions", "App versions", "app_version", "App version"),
        Table("crash-messages", "Crashes by message", "crash_message", (_value("Message"), *CRASHES),
              fetch=crashes.list_crashes),
        Table("crash-exceptions", "Crashes by exception", "crash_exception", (_value("Exception"), *CRASHES),
              fetch=crashes.list_crashes),
        Table("crash-versions", "Crashes by app version", "crash_app_version", (_value("App version"), *CRASHES),
              fetch=crashes.list_crashes),
    )),
)}


def get_table(table_id: str) -> tuple[Page, Table] | None:
    """Find a table by id on any page."""
    for page in PAGES.values():
        for table in page.tables:
            if table.id == table_id:
                return page, table
    return None


def cell(row: object, column: Column) -> object:
    return getattr(row, column.key, None)
