"""JSON parsing with Snowplow's depth limit, so a hostile payload cannot exhaust the worker."""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 40


class JsonTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__("maximum allowed JSON depth exceeded")


_scan_once = json.JSONDecoder().scan_once  # json.loads' own C scanner, without its per-call Python wrappers


def parse_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON; raise ValueError when invalid and JsonTooDeep beyond `max_depth` nested containers."""
    try:
        value = _loads(text)
    except RecursionError:
        raise JsonTooDeep from None
    if isinstance(value, (dict, list)) and _may_exceed(text, max_depth) and _depth_exceeds(value, max_depth):
        raise JsonTooDeep
    return value


def _loads(text: str | bytes) -> Any:
    """`json.loads(text)`: a str that is one JSON value with no surrounding whitespace is scanned directly;
    anything else (bytes, whitespace, trailing data, invalid JSON) goes to json.loads for its result or error."""
    if type(text) is str:
        try:
            value, end = _scan_once(text, 0)
        except StopIteration:
            pass
        else:
            if end == len(text):
                return value
    return json.loads(text)


def _may_exceed(text: str | bytes, max_depth: int) -> bool:
    """Cheap bound: fewer opening brackets than the limit cannot nest deeper than it."""
    if isinstance(text, bytes):
        return text.count(b"{") + text.count(b"[") > max_depth
    return text.count("{") + text.count("[") > max_depth


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    """Walk containers breadth-first, level by level, stopping as soon as the limit is passed."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        children = []
        for container in level:
            items = container.values() if isinstance(container, dict) else container
            children.extend(item for item in items if isinstance(item, (dict, list)))
        level = children
    return False
