"""Snowplow tracker protocol adapters: tp1 (GET /i), tp2 (payload_data POST or GET) and the r/tp2 redirect.

Better than Snowplow: in a tp2 POST each invalid event becomes its own bad row (holding a CollectorPayload
with only that event) and the batch's valid events are kept; Snowplow rejects the whole batch.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass
from typing import Any

from enrichment.adapters.base import Adapter, AdapterResult, input_data
from enrichment.jsonparse import JsonTooDeep, parse_json
from enrichment.raw import LoadedPayload, RawEvent
from iglu import api as iglu

PAYLOAD_DATA_CRITERION = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-*"
URI_REDIRECT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/uri_redirect/jsonschema/1-0-0"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"


@functools.cache
def _payload_data_criterion() -> iglu.SchemaCriterion:
    return iglu.SchemaCriterion.parse(PAYLOAD_DATA_CRITERION)


def is_json_content_type(content_type: str | None) -> bool:
    """Accept application/json with an optional UTF-8 charset, in any case and spacing (pitfall 7.10)."""
    if not content_type:
        return False
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "application/json":
        return False
    params = params.strip().lower().replace(" ", "")
    return params in {"", "charset=utf-8"}


class Tp1Adapter(Adapter):
    vendor, version = "com.snowplowanalytics.snowplow", "tp1"

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        if not payload.querystring:
            return AdapterResult(failures=[self.failure(payload, [input_data(
                "querystring", None, "empty querystring: not a valid URI redirect")])])
        return AdapterResult(events=[RawEvent(self.vendor, self.version, dict(payload.querystring), payload)])


class Tp2Adapter(Adapter):
    vendor, version = "com.snowplowanalytics.snowplow", "tp2"
    failure_type = "tracker_protocol_violations"

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        query = dict(payload.querystring)
        if not payload.body:
            if not query:
                return AdapterResult(failures=[self.failure(payload, [
                    input_data("body", None, "empty body: not a valid tracker protocol event"),
                    input_data("querystring", None, "empty querystring: not a valid tracker protocol event"),
                ])])
            return AdapterResult(events=[RawEvent(self.vendor, self.version, query, payload)])
        content_type = payload.thrift.contentType
        if not is_json_content_type(content_type):
            return AdapterResult(failures=[self.failure(payload, [input_data(
                "contentType", content_type,
                "expected one of application/json, application/json; charset=utf-8, application/json; charset=UTF-8",
            )])])
        return self.events_from_body(payload, query, content_type)

    def events_from_body(self, payload: LoadedPayload, query: dict[str, str], content_type: str) -> AdapterResult:
        try:
            envelope = parse_json(payload.body)
        except (ValueError, JsonTooDeep) as error:
            return AdapterResult(failures=[self.failure(payload, [
                {"field": "body", "value": payload.body, "error": f"invalid json: {error}"}])])
        problem = self.check_envelope(envelope)
        if problem:
            return AdapterResult(failures=[self.failure(payload, [problem])])
        if not envelope["data"]:
            return AdapterResult(failures=[self.failure(payload, [input_data("data", "[]", "empty list of events")])])
        result = AdapterResult()
        for event in envelope["data"]:
            self.add_event(result, payload, envelope["schema"], event, query, content_type, len(envelope["data"]))
        return result

    def check_envelope(self, envelope: Any) -> dict[str, Any] | None:
        if not isinstance(envelope, dict) or set(envelope) != {"schema", "data"}:
            return {"json": envelope, "error": "INVALID_DATA_PAYLOAD"}
        try:
            key = iglu.parse_schema_key(envelope["schema"])
        except iglu.InvalidSchemaKey:
            return {"json": envelope, "error": "INVALID_IGLUURI"}
        if not _payload_data_criterion().matches(key):
            return {"schemaKey": key.uri, "schemaCriterion": PAYLOAD_DATA_CRITERION}
        if not isinstance(envelope["data"], list):
            return {"schemaKey": key.uri, "error": {"error": "ValidationError", "dataReports": [
                {"message": "$.data: is not an array", "path": "$", "keyword": "type", "targets": ["array"]}]}}
        return None

    def add_event(self, result: AdapterResult, payload: LoadedPayload, schema: str, event: Any,
                  query: dict[str, str], content_type: str, batch_size: int) -> None:
        """Validate one event of the batch on its own; a failure is that event's bad row only."""
        record = flat_string_record(schema)
        if record is not None and record.accepts(event):
            reports = []
        else:
            reports = iglu.validate_instance({"schema": schema, "data": [event]})
        if reports:
            single_body = json.dumps({"schema": schema, "data": [event]}, ensure_ascii=False, separators=(",", ":"))
            app_id = event.get("aid", "") if isinstance(event, dict) and isinstance(event.get("aid"), str) else ""
            original = payload.with_body(single_body) if batch_size > 1 else payload.raw
            result.failures.append(self.failure(payload, [iglu.iglu_error_message(schema, reports)],
                                                original=original, body=single_body, app_id=app_id))
            return
        parameters = {**event, **query}
        single = (schema, event) if batch_size > 1 else None
        result.events.append(RawEvent(self.vendor, self.version, parameters, payload, content_type, single))


@dataclass(frozen=True)
class FlatStringRecord:
    """An array-of-records schema whose items are objects of string properties, without extra keys."""

    allowed: frozenset[str]
    required: frozenset[str]

    def accepts(self, event: Any) -> bool:
        """Exactly the schema's verdict for one item; the full validator runs only to explain a refusal."""
        return (type(event) is dict and self.required.issubset(event) and self.allowed.issuperset(event)
                and _STRING_ONLY.issuperset(map(type, event.values())))


_STRING_ONLY = frozenset({str})
_TOP_KEYS = {"$schema", "self", "description", "type", "items", "minItems"}
_ITEM_KEYS = {"type", "properties", "required", "additionalProperties", "description"}


@functools.lru_cache(maxsize=64)
def flat_string_record(schema_uri: str) -> FlatStringRecord | None:
    """Recognise Snowplow's payload_data shape (built-in, so immutable) to check events without a validator."""
    if not schema_uri.startswith("iglu:com.snowplowanalytics.snowplow/payload_data/"):
        return None
    try:
        schema = iglu.resolve_schema(schema_uri)
    except iglu.IgluError:
        return None
    items = schema.get("items")
    if (set(schema) - _TOP_KEYS or schema.get("type") != "array" or schema.get("minItems", 0) > 1
            or not isinstance(items, dict) or set(items) - _ITEM_KEYS or items.get("type") != "object"
            or items.get("additionalProperties") is not False):
        return None
    properties = items.get("properties", {})
    if any(spec != {"type": "string"} for spec in properties.values()):
        return None
    return FlatStringRecord(frozenset(properties), frozenset(items.get("required", ())))


class RedirectAdapter(Adapter):
    """`/r/tp2?u=...`: the click becomes a uri_redirect event, or a uri_redirect entity of the given event."""

    vendor, version = "r", "tp2"
    failure_type = "tracker_protocol_violations"

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        query = dict(payload.querystring)
        if not query:
            return AdapterResult(failures=[self.failure(payload, [
                input_data("querystring", None, "empty querystring: not a valid URI redirect")])])
        target = query.get("u")
        if not target:
            return AdapterResult(failures=[self.failure(payload, [
                input_data("querystring", payload.thrift.querystring and payload.thrift.querystring.decode(
                    "utf-8", "replace"), "missing `u` parameter: not a valid URI redirect")])])
        redirect = {"schema": URI_REDIRECT_SCHEMA, "data": {"uri": target}}
        parameters = {k: v for k, v in query.items() if k != "u"}
        if "e" in parameters:
            self.attach_entity(parameters, redirect)
        else:
            parameters["e"] = "ue"
            parameters["ue_pr"] = json.dumps({"schema": UNSTRUCT_SCHEMA, "data": redirect}, separators=(",", ":"))
        parameters["tv"] = "r-tp2"
        parameters.setdefault("p", "web")
        return AdapterResult(events=[RawEvent(self.vendor, self.version, parameters, payload)])

    @staticmethod
    def attach_entity(parameters: dict[str, str], entity: dict[str, Any]) -> None:
        if "cx" in parameters:
            try:
                contexts = json.loads(_b64decode(parameters["cx"]))
                contexts["data"].append(entity)
                encoded = base64.urlsafe_b64encode(json.dumps(contexts, separators=(",", ":")).encode())
                parameters["cx"] = encoded.decode().rstrip("=")
                return
            except (ValueError, KeyError, TypeError, AttributeError):
                pass  # an unreadable cx is kept as it is; enrichment reports it
        contexts = {"schema": CONTEXTS_SCHEMA, "data": []}
        if "co" in parameters:
            try:
                contexts = json.loads(parameters["co"])
            except ValueError:
                contexts = {"schema": CONTEXTS_SCHEMA, "data": []}
        if isinstance(contexts, dict) and isinstance(contexts.get("data"), list):
            contexts["data"].append(entity)
            parameters["co"] = json.dumps(contexts, separators=(",", ":"))


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
