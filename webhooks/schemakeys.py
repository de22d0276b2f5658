"""Iglu URIs as iglu-core's SchemaKey.fromUri judges them, with its two error codes."""

from __future__ import annotations

import re
from typing import Any

from iglu import api as iglu

_LOOSE_URI = re.compile(r"^iglu:[a-zA-Z0-9\-_.]+/[a-zA-Z0-9\-_]+/[a-zA-Z0-9\-_]+/[^/]+$")


def schema_key_error(uri: Any) -> str | None:
    """None for a valid Iglu URI; INVALID_SCHEMAVER when only the version is wrong; else INVALID_IGLUURI."""
    try:
        iglu.parse_schema_key(uri)
    except iglu.InvalidSchemaKey:
        return "INVALID_SCHEMAVER" if isinstance(uri, str) and _LOOSE_URI.match(uri) else "INVALID_IGLUURI"
    return None


def self_describing_error(value: Any) -> str | None:
    """iglu-core's ParseError code for a JSON that should be self-describing, or None when it is."""
    if not isinstance(value, dict) or not isinstance(value.get("schema"), str) or "data" not in value:
        return "INVALID_DATA_PAYLOAD"
    return schema_key_error(value["schema"])
