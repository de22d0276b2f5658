"""The JSONPath subset Snowplow enrichment configurations use: `$`, `.name`, `['name']`, `[n]`, `[*]`, `.*`.

Used by the API request, SQL query and PII enrichments to read inputs from self-describing JSONs, to pick outputs
from API responses and to find the values to pseudonymise. A path is compiled once, at configuration time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"""\.(\*|[A-Za-z_$@][\w$@-]*)|\[\s*(\*|-?\d+|'[^']*'|"[^"]*")\s*\]""")
WILDCARD = object()


class JsonPathError(ValueError):
    """A path outside the supported subset."""


@dataclass(frozen=True)
class JsonPath:
    text: str
    steps: tuple[Any, ...]

    def find(self, document: Any) -> list[Any]:
        """Every value the path selects in `document`."""
        return list(_walk(document, self.steps))

    def first(self, document: Any) -> Any:
        found = self.find(document)
        return found[0] if found else None

    def replace(self, document: Any, function: Callable[[Any], Any]) -> None:
        """Apply `function` to every selected value in place (the root itself cannot be replaced)."""
        if self.steps:
            _replace(document, self.steps, function)


def compile_path(text: str) -> JsonPath:
    if not text.startswith("$"):
        raise JsonPathError(f"JSONPath {text!r} must start with $")
    steps: list[Any] = []
    position = 1
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise JsonPathError(f"JSONPath {text!r}: unsupported syntax at {text[position:]!r}")
        name, bracket = match.groups()
        steps.append(_step(name if name is not None else bracket))
        position = match.end()
    return JsonPath(text, tuple(steps))


def _step(token: str) -> Any:
    if token == "*":
        return WILDCARD
    if token[0] in "'\"":
        return token[1:-1]
    if token.lstrip("-").isdigit():
        return int(token)
    return token


def _children(value: Any, step: Any) -> Iterator[tuple[Any, Any]]:
    """(container key, child) pairs a step selects in `value`."""
    if step is WILDCARD:
        if isinstance(value, dict):
            yield from value.items()
        elif isinstance(value, list):
            yield from enumerate(value)
    elif isinstance(step, int):
        if isinstance(value, list) and -len(value) <= step < len(value):
            yield step, value[step]
    elif isinstance(value, dict) and step in value:
        yield step, value[step]


def _walk(value: Any, steps: tuple[Any, ...]) -> Iterator[Any]:
    if not steps:
        yield value
        return
    for _, child in _children(value, steps[0]):
        yield from _walk(child, steps[1:])


def _replace(value: Any, steps: tuple[Any, ...], function: Callable[[Any], Any]) -> None:
    for key, child in list(_children(value, steps[0])):
        if len(steps) == 1:
            value[key] = function(child)
        else:
            _replace(child, steps[1:], function)
