"""PII pseudonymisation: hash listed atomic fields and JSON paths inside entities, with a salt (spec 3).

A value becomes lowercase hex(hash(UTF-8(value + salt))); arrays of strings are hashed element by element;
numbers, booleans and objects are left alone (6.2.1 #128). With `anonymousOnly` the enrichment acts only on
requests carrying an `SP-Anonymous` header. With `emitEvent` the changes are described in a
`pii_transformation` event (parent_event context pointing at this event) put on `raw.extra["pii_events"]`: enrich
writes those to a separate PII stream, which this product has not got yet (see the issue report).
"""

from __future__ import annotations

import copy
import hashlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import ConfigInvalid, Enrichment, sdj
from enrichment.enrichments.inputs import entities, matching
from enrichment.enrichments.jsonpath import JsonPath, JsonPathError, compile_path
from iglu.api import InvalidSchemaKey, SchemaCriterion

POJO_FIELDS = frozenset({
    "user_id", "user_ipaddress", "user_fingerprint", "domain_userid", "network_userid", "ip_organization",
    "ip_domain", "tr_orderid", "ti_orderid", "mkt_term", "mkt_content", "se_category", "se_action", "se_label",
    "se_property", "mkt_clickid", "refr_domain_userid", "domain_sessionid",
})
HASH_FUNCTIONS = {"MD2": "md2", "MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384",
                  "SHA-512": "sha512"}
TRANSFORMATION_SCHEMA = "iglu:com.snowplowanalytics.snowplow/pii_transformation/jsonschema/1-0-0"
PARENT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/parent_event/jsonschema/1-0-0"
UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"


@dataclass(frozen=True)
class JsonField:
    field: str
    criterion: SchemaCriterion
    path: JsonPath


@dataclass(frozen=True)
class PiiConfig:
    pojo_fields: tuple[str, ...]
    json_fields: tuple[JsonField, ...]
    hash_function: str
    algorithm: str
    salt: str
    emit_event: bool
    anonymous_only: bool


def parse_fields(items: list[dict[str, Any]]) -> tuple[list[str], list[JsonField], list[str]]:
    pojo, json_fields, errors = [], [], []
    for index, item in enumerate(items):
        if "pojo" in item:
            field = item["pojo"].get("field")
            if field in POJO_FIELDS:
                pojo.append(field)
            else:
                errors.append(f"parameters.pii[{index}].pojo.field: {field!r} cannot be pseudonymised")
            continue
        spec = item.get("json") or {}
        try:
            json_fields.append(JsonField(spec["field"], SchemaCriterion.parse(spec["schemaCriterion"]),
                                         compile_path(spec["jsonPath"])))
        except (KeyError, ValueError, InvalidSchemaKey, JsonPathError) as error:
            errors.append(f"parameters.pii[{index}].json: {error}")
    return pojo, json_fields, errors


class PiiEnrichment(Enrichment):
    name = "pii_enrichment_config"
    identifier = "pii"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/pii_enrichment_config/jsonschema/2-*-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> PiiConfig:
        parameters = data.get("parameters") or {}
        pojo, json_fields, errors = parse_fields(parameters.get("pii") or [])
        strategy = (parameters.get("strategy") or {}).get("pseudonymize") or {}
        function = strategy.get("hashFunction", "SHA-256")
        algorithm = HASH_FUNCTIONS.get(function)
        try:
            hashlib.new(algorithm or "")
        except ValueError:
            errors.append(f"parameters.strategy.pseudonymize.hashFunction: {function} is not available here")
        if errors:
            raise ConfigInvalid(errors)
        return PiiConfig(tuple(pojo), tuple(json_fields), function, algorithm or "", strategy.get("salt") or "",
                         bool(data.get("emitEvent")), bool(data.get("anonymousOnly")))

    def enrich(self, ctx: Any) -> None:
        if self.config.anonymous_only and not _anonymous(ctx.raw.payload.thrift.headers or []):
            return
        changes: dict[str, list[dict[str, Any]]] = {"pojo": [], "json": []}
        event = ctx.event
        for field in self.config.pojo_fields:
            value = event.get(field)
            if isinstance(value, str) and value:
                event[field] = self.pseudonymise(value)
                changes["pojo"].append({"fieldName": field, "originalValue": value, "modifiedValue": event[field]})
        for spec in self.config.json_fields:
            for item in matching(entities(ctx, spec.field), spec.criterion):
                self._hash_entity(item, spec, changes["json"])
        if self.config.emit_event and (changes["pojo"] or changes["json"]):
            ctx.raw.extra.setdefault("pii_events", []).append(self.pii_event(event, changes))

    def _hash_entity(self, item: dict[str, Any], spec: JsonField, changes: list[dict[str, Any]]) -> None:
        def replace(value: Any) -> Any:
            new = self.pseudonymise_json(value)
            if new != value:
                changes.append({"fieldName": spec.field, "originalValue": copy.deepcopy(value), "modifiedValue": new,
                                "jsonPath": spec.path.text, "schema": item["schema"]})
            return new

        spec.path.replace(item.get("data"), replace)

    def pseudonymise(self, value: str) -> str:
        return hashlib.new(self.config.algorithm, (value + self.config.salt).encode("utf-8")).hexdigest()

    def pseudonymise_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.pseudonymise(value)
        if isinstance(value, list):
            return [self.pseudonymise(item) if isinstance(item, str) else item for item in value]
        return value

    def pii_event(self, event: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        """Enrich's `getPiiEvent`: a server-side unstruct event describing the changes, linked to its parent."""
        transformation = {"pii": {kind: items for kind, items in changes.items() if items},
                          "strategy": {"pseudonymize": {"hashFunction": self.config.hash_function}}}
        return {
            "event_id": str(uuid.uuid4()), "platform": "srv", "event": "unstruct",
            "collector_tstamp": event.get("collector_tstamp"), "etl_tstamp": int(time.time() * 1000),
            "v_collector": event.get("v_collector"), "v_etl": event.get("v_etl"),
            "event_vendor": "com.snowplowanalytics.snowplow", "event_name": "pii_transformation",
            "event_format": "jsonschema", "event_version": "1-0-0",
            "unstruct_event": sdj(UNSTRUCT_SCHEMA, sdj(TRANSFORMATION_SCHEMA, transformation)),
            "contexts": sdj(CONTEXTS_SCHEMA, [sdj(PARENT_SCHEMA, {"parentEventId": event.get("event_id")})]),
        }


def _anonymous(headers: list[str]) -> bool:
    return any(header.partition(":")[0].strip().lower() == "sp-anonymous" for header in headers)
