"""Filters kept in the URL (`f=country:is:FR`, `f=prop:plan:is:pro`), validated once into typed values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboards.errors import QueryError

# Dimension -> label. The same names are used by pages, exports, the API and saved segments.
DIMENSIONS: dict[str, str] = {
    "page": "Page", "entry_page": "Entry page", "exit_page": "Exit page",
    "source": "Source", "medium": "Medium", "campaign": "Campaign", "term": "UTM term", "content": "UTM content",
    "channel": "Channel", "referrer": "Referrer",
    "country": "Country", "region": "Region", "city": "City",
    "browser": "Browser", "os": "OS", "device": "Device", "screen_size": "Screen size", "language": "Language",
    "event_name": "Event", "goal": "Goal",
}
OPERATORS = {"is": "is", "is_not": "is not", "contains": "contains"}
MAX_FILTERS = 20
MAX_VALUE_LENGTH = 500
PROPERTY_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Filter:
    """One condition: `dimension op value`; custom properties have dimension 'prop' and a `prop` name."""

    dimension: str
    op: str
    value: str
    prop: str = ""

    @property
    def expression(self) -> str:
        head = f"prop:{self.prop}" if self.prop else self.dimension
        return f"{head}:{self.op}:{self.value}"

    @property
    def label(self) -> str:
        name = self.prop if self.prop else DIMENSIONS[self.dimension]
        return f"{name} {OPERATORS[self.op]} {self.value}"


def parse_filter(expression: str) -> Filter:
    """Parse one `dimension:op:value` expression; raise QueryError with what to write instead."""
    prop = ""
    if expression.startswith("prop:"):
        parts = expression.split(":", 3)
        if len(parts) != 4:
            raise QueryError("f", f"Write a property filter as prop:NAME:is:VALUE, not {expression[:80]!r}.")
        _, prop, op, value = parts
        if not PROPERTY_NAME.match(prop):
            raise QueryError("f", "A property name has 1-100 letters, digits, '_', '.' or '-'.")
        dimension = "prop"
    else:
        parts = expression.split(":", 2)
        if len(parts) != 3:
            raise QueryError("f", f"Write a filter as dimension:is:value, not {expression[:80]!r}.")
        dimension, op, value = parts
        if dimension not in DIMENSIONS:
            raise QueryError("f", unknown_dimension(dimension))
    return Filter(dimension, check_operator(op), check_value(value), prop)


def check_operator(op: str) -> str:
    if op not in OPERATORS:
        raise QueryError("f", f"Unknown filter operator {op[:20]!r}; use is, is_not or contains.")
    return op


def check_value(value: str) -> str:
    if not value:
        raise QueryError("f", "A filter needs a value.")
    if len(value) > MAX_VALUE_LENGTH or _CONTROL.search(value):
        raise QueryError("f", f"A filter value has at most {MAX_VALUE_LENGTH} characters and no control characters.")
    return value


def parse_filters(expressions: list[str]) -> tuple[Filter, ...]:
    """Parse every `f=` parameter; duplicates collapse, order is kept (it is the URL's)."""
    if len(expressions) > MAX_FILTERS:
        raise QueryError("f", f"Use at most {MAX_FILTERS} filters.")
    return tuple(dict.fromkeys(parse_filter(e) for e in expressions if e))


def check_dimension(name: str) -> str:
    """Return a breakdown dimension name or raise QueryError (custom properties: prop:NAME)."""
    if name in DIMENSIONS:
        return name
    if name.startswith("prop:") and PROPERTY_NAME.match(name[5:]):
        return name
    raise QueryError("dimension", unknown_dimension(name))


def unknown_dimension(name: str) -> str:
    return f"Unknown dimension {name[:40]!r}; use one of {', '.join(DIMENSIONS)} or prop:NAME."
