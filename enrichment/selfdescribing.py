"""Phase 1 checks of `contexts` and `unstruct_event`: JSON, self-describing, envelope criterion, Iglu validation."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from enrichment.jsonparse import JsonTooDeep, parse_json
from iglu import api as iglu

CONTEXTS_CRITERION = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-*"
UNSTRUCT_CRITERION = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-*"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"


@dataclass
class Checked:
    """The valid self-describing JSONs found, and a Snowplow failure message for each problem."""

    valid: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


def check_envelope(field_name: str, text: str, criterion: str) -> tuple[Any, list[dict[str, Any]]]:
    """Parse and validate the outer envelope; return its `data` or the failure messages."""
    try:
        envelope = parse_json(text)
    except (ValueError, JsonTooDeep) as error:
        return None, [{"field": field_name, "value": text, "error": f"invalid json: {error}"}]
    problem = not_self_describing(envelope)
    if problem:
        return None, [{"json": envelope, "error": problem}]
    if not criterion_matches(criterion, envelope["schema"]):
        return None, [{"schemaKey": envelope["schema"], "schemaCriterion": criterion}]
    return envelope["data"], validation_messages(envelope)


@functools.lru_cache(maxsize=1024)
def criterion_matches(criterion: str, schema_uri: str) -> bool:
    """Envelope schemas repeat endlessly, so each (criterion, URI) answer is computed once."""
    return iglu.SchemaCriterion.parse(criterion).matches(iglu.parse_schema_key(schema_uri))


def not_self_describing(value: Any) -> str | None:
    """Snowplow's NotIglu error code, or None when `value` is a well-formed self-describing JSON."""
    if not isinstance(value, dict) or "schema" not in value or "data" not in value or len(value) != 2:
        return "INVALID_DATA_PAYLOAD"
    schema = value["schema"]
    if not isinstance(schema, str):
        return "INVALID_SCHEMA"
    if schema in _WELL_FORMED_KEYS:
        return None
    try:
        iglu.parse_schema_key(schema)
    except iglu.InvalidSchemaKey:
        return "INVALID_IGLUURI"
    if len(_WELL_FORMED_KEYS) < 10_000:
        _WELL_FORMED_KEYS.add(schema)
    return None


_WELL_FORMED_KEYS: set[str] = set()  # schema URIs already parsed: they repeat in nearly every event


def validation_messages(sdj: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate through the resolver; a registry that cannot be reached propagates (payload retried later)."""
    try:
        reports = iglu.validate_instance(sdj)
    except iglu.SchemaNotFound as error:
        return [iglu.iglu_error_message(sdj["schema"], error)]
    return [iglu.iglu_error_message(sdj["schema"], reports)] if reports else []


def check_contexts(text: str) -> Checked:
    data, messages = check_envelope("contexts", text, CONTEXTS_CRITERION)
    checked = Checked(messages=messages)
    if messages or not isinstance(data, list):
        return checked
    for item in data:
        problem = not_self_describing(item)
        if problem:
            checked.messages.append({"json": item, "error": problem})
            continue
        item_messages = validation_messages(item)
        checked.messages.extend(item_messages)
        if not item_messages:
            checked.valid.append(item)
    return checked


def check_unstruct(text: str) -> Checked:
    data, messages = check_envelope("unstruct", text, UNSTRUCT_CRITERION)
    checked = Checked(messages=messages)
    if messages:
        return checked
    problem = not_self_describing(data)
    if problem:
        checked.messages.append({"json": data, "error": problem})
        return checked
    inner = validation_messages(data)
    checked.messages.extend(inner)
    if not inner:
        checked.valid.append(data)
    return checked


def contexts_envelope(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    return {"schema": CONTEXTS_SCHEMA, "data": items} if items else None


def unstruct_envelope(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return {"schema": UNSTRUCT_SCHEMA, "data": item} if item else None
