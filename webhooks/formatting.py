"""enrich's buildFormatter: string parameters into typed JSON values (booleans, integers, date-times)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from webhooks.transforms import iso_from_pattern

_INTEGER = re.compile(r"^[+-]?\d+$")
JsonScalar = str | int | bool | None


@dataclass(frozen=True)
class Formatter:
    """Which keys are booleans, integers and date-times (with their strptime pattern)."""

    booleans: frozenset[str] = frozenset()
    integers: frozenset[str] = frozenset()
    datetimes: frozenset[str] = frozenset()
    datetime_pattern: str = "%Y-%m-%d %H:%M:%S"

    def format_value(self, key: str, value: str | None) -> JsonScalar:
        """Empty or missing -> null; typed keys converted when they parse; everything else a string."""
        if value is None or value == "":
            return None
        if key in self.booleans and value in {"true", "false"}:
            return value == "true"
        if key in self.integers and _INTEGER.match(value):
            return int(value)
        if key in self.datetimes:
            return iso_from_pattern(value, self.datetime_pattern)
        return value

    def format_map(self, values: dict[str, str | None]) -> dict[str, JsonScalar]:
        return {key: self.format_value(key, value) for key, value in values.items()}
