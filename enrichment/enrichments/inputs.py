"""Inputs of the API request and SQL query enrichments: an atomic field (`pojo`) or a JSONPath into an entity.

`{"pojo": {"field": "user_id"}}` reads an event field; `{"json": {"field": "contexts" | "derived_contexts" |
"unstruct_event", "schemaCriterion": "iglu:vendor/name/jsonschema/1-*-*", "jsonPath": "$.id"}}` reads the first
matching entity. Parsed once into frozen objects; reading one never raises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.jsonpath import JsonPath, JsonPathError, compile_path
from enrichment.events import FIELDS_BY_NAME
from iglu.api import InvalidSchemaKey, SchemaCriterion, parse_schema_key

JSON_FIELDS = {"contexts", "derived_contexts", "unstruct_event"}


@dataclass(frozen=True)
class Input:
    name: str  # the API key or the SQL placeholder number
    field: str
    criterion: SchemaCriterion | None = None
    path: JsonPath | None = None


def parse_inputs(items: list[dict[str, Any]], name_key: str, where: str) -> tuple[list[Input], list[str]]:
    """Parse the configuration's `inputs`; return them and the problems found, each naming its place."""
    inputs, errors = [], []
    for index, item in enumerate(items):
        place = f"{where}[{index}]"
        name = str(item.get(name_key))
        if "pojo" in item:
            field = item["pojo"].get("field")
            if field not in FIELDS_BY_NAME:
                errors.append(f"{place}.pojo.field: {field!r} is not an atomic field")
                continue
            inputs.append(Input(name, field))
            continue
        spec = item.get("json") or {}
        if spec.get("field") not in JSON_FIELDS:
            errors.append(f"{place}.json.field: must be one of {', '.join(sorted(JSON_FIELDS))}")
            continue
        try:
            inputs.append(Input(name, spec["field"], SchemaCriterion.parse(spec["schemaCriterion"]),
                                compile_path(spec["jsonPath"])))
        except (KeyError, ValueError, InvalidSchemaKey, JsonPathError) as error:
            errors.append(f"{place}.json: {error}")
    return inputs, errors


def entities(ctx: Any, field: str) -> list[dict[str, Any]]:
    """The self-describing JSONs of `contexts`, `derived_contexts` or `unstruct_event` at this point of the run."""
    if field == "derived_contexts":
        return ctx.derived_contexts
    value = ctx.event.get(field)
    if not value:
        return []
    data = value.get("data")
    return data if isinstance(data, list) else [data] if isinstance(data, dict) else []


def matching(items: list[dict[str, Any]], criterion: SchemaCriterion) -> list[dict[str, Any]]:
    found = []
    for item in items:
        try:
            if criterion.matches(parse_schema_key(item.get("schema"))):
                found.append(item)
        except InvalidSchemaKey:
            continue
    return found


def read_input(ctx: Any, spec: Input) -> Any:
    """The input's value for this event, or None when it is absent."""
    if spec.path is None:
        return ctx.event.get(spec.field)
    for item in matching(entities(ctx, spec.field), spec.criterion):
        value = spec.path.first(item.get("data"))
        if value is not None:
            return value
    return None


def as_text(value: Any) -> str:
    """How an input value is written into a URL or a request body."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))
