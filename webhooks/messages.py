"""The four adapter_failures message shapes of Snowplow's bad rows, and the rejection that carries them."""

from __future__ import annotations

from typing import Any


class Rejected(Exception):
    """Raised inside an adapter to refuse the request (or one element) with adapter_failures messages."""

    def __init__(self, *messages: dict[str, Any]) -> None:
        super().__init__("; ".join(str(m.get("expectation") or m.get("error")) for m in messages))
        self.messages = list(messages)


def input_data(field: str, value: Any, expectation: str) -> dict[str, Any]:
    """InputData: a field had a value the adapter cannot use."""
    return {"field": field, "value": None if value is None else str(value), "expectation": expectation}


def not_json(field: str, value: Any, error: str) -> dict[str, Any]:
    """NotJson: a field should have held JSON; `error` is the parser's message."""
    return {"field": field, "value": None if value is None else str(value), "error": f"invalid json: {error}"}


def not_iglu(json_value: Any, error: str) -> dict[str, Any]:
    """NotIglu: a JSON that should have been self-describing; `error` is an iglu-core ParseError code."""
    return {"json": json_value, "error": error}


def schema_mapping(actual: str | None, mapping: dict[str, str], expectation: str) -> dict[str, Any]:
    """SchemaMapping: the event type selects no schema."""
    return {"actual": actual, "expectedMapping": dict(mapping), "expectation": expectation}


def lookup_schema(event_type: Any, mapping: dict[str, str], index: int | None = None) -> str:
    """Return the schema URI for an event type or raise Rejected with enrich's lookupSchema message."""
    suffix = "" if index is None else f" at index {index}"
    if not isinstance(event_type, str):  # enrich reads the type with a String decoder: anything else is absent
        event_type = None
    if event_type is None:
        expectation = f"cannot determine event type: type parameter not provided{suffix}"
        raise Rejected(schema_mapping(None, mapping, expectation))
    if event_type == "":
        raise Rejected(schema_mapping("", mapping, f"cannot determine event type: type parameter empty{suffix}"))
    schema = mapping.get(event_type)
    if schema is None:
        raise Rejected(schema_mapping(event_type, mapping,
                                      f"no schema associated with the provided type parameter{suffix}"))
    return schema
