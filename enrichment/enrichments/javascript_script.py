"""JavaScript enrichment: Snowplow's `process(event, params, headers)` scripts, run in sandbox processes (spec 3).

`event` has the getters and setters of Snowplow's EnrichedEvent bean that existing scripts call
(`getApp_id()`, `setUser_id(v)`, `getContexts()` ...), with enrich's representations: timestamps as
"yyyy-MM-dd HH:mm:ss.SSS" strings, JSON fields as JSON strings, booleans as 1/0. `event.drop()` drops the event,
`event.eraseDerived_contexts()` discards the contexts earlier enrichments added. The returned array of
self-describing JSONs become derived contexts. A script that throws, times out (ENRICHMENT_JS_TIMEOUT_MS) or
allocates past ENRICHMENT_JS_MEMORY_MB fails that event as an enrichment failure; see `sandbox.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from enrichment.conversions import ConversionError, decode_base64url
from enrichment.enrichments.base import ConfigInvalid, Enrichment, EnrichmentFailure
from enrichment.enrichments.sandbox import Sandbox, SandboxError
from enrichment.events import BOOLEAN, DOUBLE, FIELDS, INTEGER, JSON, TIMESTAMP

DEFAULT_TIMEOUT_MS = 1000
DEFAULT_MEMORY_MB = 256
KINDS = {field.name: field.kind for field in FIELDS}
PRELUDE = """
var __sp_params = %(params)s;
function __SpEvent(fields) { this.__f = fields; this.__dropped = false; this.__erase = false; }
%(names)s.forEach(function (name) {
  var cap = name.charAt(0).toUpperCase() + name.slice(1);
  __SpEvent.prototype["get" + cap] = function () { var v = this.__f[name]; return v === undefined ? null : v; };
  __SpEvent.prototype["set" + cap] = function (v) { this.__f[name] = v === undefined ? null : v; };
});
__SpEvent.prototype.drop = function () { this.__dropped = true; };
__SpEvent.prototype.eraseDerived_contexts = function () { this.__erase = true; };
function __sp_run(fields, headers) {
  var event = new __SpEvent(fields);
  var out = process(event, __sp_params, headers);
  return JSON.stringify({contexts: out === undefined ? null : out, fields: event.__f,
                         dropped: event.__dropped, erase: event.__erase});
}
"""
EPILOGUE = """
if (typeof process !== "function") { throw new Error("the script must define function process(event, params)"); }
"""


@dataclass(frozen=True)
class JavascriptConfig:
    source: str  # prelude + script, ready to compile
    timeout_seconds: float
    memory_mb: int


def full_source(script: str, params: dict[str, Any]) -> str:
    names = json.dumps([field.name for field in FIELDS])
    return PRELUDE % {"params": json.dumps(params), "names": names} + script + EPILOGUE


def to_js(name: str, value: Any) -> Any:
    """A field value as enrich's EnrichedEvent bean holds it."""
    if value is None:
        return None
    kind = KINDS[name]
    if kind == TIMESTAMP:
        moment = dt.datetime.fromtimestamp(value / 1000, dt.UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{value % 1000:03d}"
    if kind == JSON:
        return json.dumps(value, separators=(",", ":"))
    if kind == BOOLEAN:
        return 1 if value else 0
    return value


def from_js(name: str, value: Any) -> Any:
    """The canonical value of what a script set; raise ValueError when it cannot be one."""
    if value is None:
        return None
    kind = KINDS[name]
    if kind == TIMESTAMP:
        text = str(value).replace("T", " ").rstrip("Z")
        moment = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1000)
    if kind == JSON:
        return json.loads(value) if isinstance(value, str) else value
    if kind == BOOLEAN:
        return value in (1, "1", True, "true")
    if kind == INTEGER:
        return int(value)
    if kind == DOUBLE:
        return float(value)
    return str(value)


class JavascriptScriptEnrichment(Enrichment):
    name = "javascript_script_config"
    identifier = "javascript-script"
    criterion = "iglu:com.snowplowanalytics.snowplow/javascript_script_config/jsonschema/1-*-*"
    can_fail = True

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> JavascriptConfig:
        parameters = data.get("parameters") or {}
        try:
            script = decode_base64url(parameters.get("script", ""))
        except ConversionError:
            raise ConfigInvalid(["parameters.script: not base64"]) from None
        config = JavascriptConfig(
            full_source(script, parameters.get("config") or {}),
            getattr(settings, "ENRICHMENT_JS_TIMEOUT_MS", DEFAULT_TIMEOUT_MS) / 1000,
            getattr(settings, "ENRICHMENT_JS_MEMORY_MB", DEFAULT_MEMORY_MB))
        probe = Sandbox(config.source, config.memory_mb, config.timeout_seconds)
        try:
            probe.start()
        except SandboxError as error:
            raise ConfigInvalid([f"parameters.script: {error}"]) from None
        finally:
            probe.stop()
        return config

    def __init__(self, config: JavascriptConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.sandbox = Sandbox(config.source, config.memory_mb, config.timeout_seconds)

    def close(self) -> None:
        self.sandbox.stop()

    def enrich(self, ctx: Any) -> None:
        fields = {name: to_js(name, value) for name, value in ctx.event.items() if name in KINDS}
        fields["derived_contexts"] = to_js("derived_contexts", {"schema": "iglu:com.snowplowanalytics.snowplow/"
                                           "contexts/jsonschema/1-0-1", "data": ctx.derived_contexts})
        headers = list(ctx.raw.payload.thrift.headers or [])
        try:
            answer = json.loads(self.sandbox.call({"event": fields, "headers": headers})["result"])
        except SandboxError as error:
            raise EnrichmentFailure.simple(str(error)) from None
        if answer.get("dropped"):
            ctx.dropped = True
            return
        self._apply_fields(ctx, fields, answer.get("fields") or {})
        if answer.get("erase"):
            ctx.derived_contexts.clear()
        ctx.derived_contexts.extend(self._contexts(answer.get("contexts")))

    @staticmethod
    def _apply_fields(ctx: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
        for name, value in after.items():
            if name == "derived_contexts" or name not in KINDS or before.get(name) == value:
                continue
            try:
                ctx.event[name] = from_js(name, value)
            except (ValueError, TypeError) as error:
                raise EnrichmentFailure.simple(f"JavaScript set {name} to an invalid value: {error}") from None

    @staticmethod
    def _contexts(value: Any) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(
                isinstance(item, dict) and isinstance(item.get("schema"), str) and "data" in item for item in value):
            raise EnrichmentFailure.simple("JavaScript must return an array of self-describing JSONs or null")
        return value
