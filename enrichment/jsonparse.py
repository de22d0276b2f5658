"""JSON parsing with Snowplow's depth limit, so a hostile payload cannot exhaust the worker."""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 40


class JsonTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__("maximum allowed JSON depth exceeded")


def parse_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON; raise ValueError when invalid and JsonTooDeep beyond `max_depth` nested containers."""
    if _nesting_exceeds(text, max_depth):
        raise JsonTooDeep
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTooDeep from None


def _nesting_exceeds(text: str | bytes, max_depth: int) -> bool:
    """Cheap upper bound on nesting from bracket counts; exact check only when the bound is exceeded."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    opens = text.count("{") + text.count("[")
    if opens <= max_depth:
        return False
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                return True
        elif char in "}]":
            depth -= 1
    return False
