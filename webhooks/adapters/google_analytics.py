"""Google Analytics measurement protocol (`/com.google.analytics/v1`): one URL-encoded hit per body line.

Each hit becomes an unstruct event of its hit type (`t`), with the other parameters as context entities
(general, user, session, traffic source, products, custom dimensions, ...; tables in `ga_parameters`) and
some also on tracker-protocol fields (`dl` -> url, `uip` -> ip, ...), as enrich does. Decisions: a batch
(`/batch` bodies, several lines) keeps its good hits and reports the bad ones in one bad row; a value of
the wrong type (`ev=abc`) fails its hit with a message naming the parameter.
"""

from __future__ import annotations

import re
from typing import Any

from webhooks.adapters import ga_parameters as ga
from webhooks.adapters.base import CONTEXTS_SCHEMA, Adapted, WebhookAdapter, WebhookEvent, compact_json
from webhooks.checks import check_body
from webhooks.messages import Rejected, input_data, schema_mapping
from webhooks.requests import WebhookRequest, parse_pairs

_INTEGER = re.compile(r"^[+-]?\d+$")


class GoogleAnalyticsAdapter(WebhookAdapter):
    vendor, version = "com.google.analytics", "v1"
    tracker_version = "com.google.analytics.measurement-protocol-v1"
    default_schemas = {hit: ga.schema_uri(name) for hit, name in ga.HIT_TYPES.items()}

    def adapt(self, request: WebhookRequest) -> Adapted:
        body = check_body(request, "empty body")
        hits = [line for line in body.splitlines() if line.strip()]
        return self.adapt_batch(hits, self.hit)

    def hit(self, index: int, line: str) -> WebhookEvent:
        parameters = {name: value for name, value in parse_pairs(line) if value is not None}
        hit_type = parameters.get("t")
        if not hit_type:
            raise Rejected(input_data("t", None, "no t parameter provided: cannot determine hit type"))
        if hit_type not in self.schemas:
            raise Rejected(schema_mapping(hit_type, self.schemas, f"no matching hit type at index {index}"))
        name = ga.HIT_TYPES[hit_type]
        data = typed_fields(parameters, ga.EVENT_FIELDS[name])
        entities = context_entities(parameters, name)
        overrides = direct_parameters(parameters, hit_type)
        if entities:
            overrides["co"] = compact_json({"schema": CONTEXTS_SCHEMA, "data": entities})
        return WebhookEvent(self.schemas[hit_type], data, overrides=overrides)

    def failed_body(self, elements: list[Any]) -> str:
        return "\n".join(elements)


def typed_fields(parameters: dict[str, str], table: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {field: typed(name, parameters[name], kind) for name, (field, kind) in table.items() if name in parameters}


def typed(name: str, value: str, kind: str) -> Any:
    """A parameter value as its schema type; Rejected naming the parameter when it does not convert."""
    try:
        if kind == ga.INTEGER and _INTEGER.match(value):
            return int(value)
        if kind == ga.NUMBER:
            return float(value)
        if kind == ga.BOOLEAN and value in {"0", "1"}:
            return value == "1"
        if kind == ga.STRING:
            return value
    except ValueError:
        pass
    raise Rejected(input_data(name, value, f"cannot convert to {kind}"))


def context_entities(parameters: dict[str, str], event_name: str) -> list[dict[str, Any]]:
    entities = []
    for name, table in ga.CONTEXT_FIELDS.items():
        fields = typed_fields(parameters, table)
        if fields:
            entities.append({"schema": ga.schema_uri(name), "data": fields})
    return entities + indexed_entities(parameters, event_name)


def indexed_entities(parameters: dict[str, str], event_name: str) -> list[dict[str, Any]]:
    """cd1, pr2nm, il1pi3id, promo1cr, ...: one entity per (schema, indexes), fields gathered in order."""
    found: dict[tuple[str, tuple[int, ...]], dict[str, Any]] = {}
    for name, value in parameters.items():
        if event_name == "screen_view" and name == "cd":
            continue
        for pattern, schema, index_fields, table in ga.INDEXED:
            match = pattern.match(name)
            if not match:
                continue
            groups = match.groups()
            indexes = tuple(int(group) for group in groups[: len(index_fields)])
            entity = found.setdefault((schema, indexes), dict(zip(index_fields, indexes, strict=True)))
            field, kind = table if isinstance(table, tuple) else table[groups[len(index_fields)]]
            entity[field] = typed(name, value, kind)
            if schema in ga.WITH_CURRENCY and "cu" in parameters:
                entity["currencyCode"] = parameters["cu"]
            break
    return [{"schema": ga.schema_uri(schema), "data": data} for (schema, _), data in found.items()]


def direct_parameters(parameters: dict[str, str], hit_type: str) -> dict[str, str]:
    direct = {target: parameters[name] for name, target in ga.DIRECT.items() if name in parameters}
    if "ti" in parameters:
        direct["tr_id" if hit_type == "transaction" else "ti_id"] = parameters["ti"]
    if "cu" in parameters:
        direct["tr_cu" if hit_type == "transaction" else "ti_cu"] = parameters["cu"]
    if "je" in parameters and parameters["je"] in {"0", "1"}:
        direct["f_java"] = parameters["je"]
    return direct
