"""API request: call an HTTP API with values from the event and attach parts of its JSON answer as contexts.

Enrich's contract (spec 3): `{{key}}` placeholders of the URI are filled with URL-encoded inputs; if any input is
missing the request is skipped; POST and PUT send the input map as a JSON body; answers are cached (size, ttl)
keyed by URL and body, errors for a tenth of the ttl; each output's JSONPath must find a value, which becomes a
context with the output's schema. Failures fail the event unless `ignoreOnError`.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from enrichment.enrichments.base import ConfigInvalid, Enrichment, EnrichmentFailure, sdj
from enrichment.enrichments.inputs import Input, as_text, parse_inputs, read_input
from enrichment.enrichments.jsonpath import JsonPath, JsonPathError, compile_path
from enrichment.enrichments.ttlcache import MISSING, TtlCache

PLACEHOLDER = re.compile(r"\{\{\s*([^}\s]+)\s*\}\}")
MAX_RESPONSE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Output:
    schema: str
    path: JsonPath


@dataclass(frozen=True)
class ApiRequestConfig:
    inputs: tuple[Input, ...]
    method: str
    uri: str
    timeout_seconds: float
    authorization: str | None
    outputs: tuple[Output, ...]
    cache_size: int
    cache_ttl: int
    ignore_on_error: bool


def parse_outputs(items: list[dict[str, Any]], errors: list[str]) -> tuple[Output, ...]:
    outputs = []
    for index, item in enumerate(items):
        try:
            outputs.append(Output(item["schema"], compile_path(item["json"]["jsonPath"])))
        except (KeyError, TypeError, JsonPathError) as error:
            errors.append(f"parameters.outputs[{index}]: {error}")
    return tuple(outputs)


class ApiRequestEnrichment(Enrichment):
    name = "api_request_enrichment_config"
    identifier = "api-request"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/api_request_enrichment_config/jsonschema/1-*-*"
    can_fail = True

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> ApiRequestConfig:
        parameters = data.get("parameters") or {}
        inputs, errors = parse_inputs(parameters.get("inputs") or [], "key", "parameters.inputs")
        http = (parameters.get("api") or {}).get("http") or {}
        outputs = parse_outputs(parameters.get("outputs") or [], errors)
        unknown = set(PLACEHOLDER.findall(http.get("uri", ""))) - {spec.name for spec in inputs}
        if unknown:
            errors.append(f"parameters.api.http.uri: placeholders without an input: {', '.join(sorted(unknown))}")
        if errors:
            raise ConfigInvalid(errors)
        basic = ((http.get("authentication") or {}).get("httpBasic")) or None
        authorization = None
        if basic:
            token = f"{basic.get('username') or ''}:{basic.get('password') or ''}".encode()
            authorization = "Basic " + base64.b64encode(token).decode()
        cache = parameters.get("cache") or {}
        return ApiRequestConfig(tuple(inputs), http.get("method", "GET"), http["uri"],
                                http.get("timeout", 5000) / 1000, authorization, outputs,
                                int(cache.get("size", 1000)), int(cache.get("ttl", 60)),
                                bool(parameters.get("ignoreOnError", False)))

    def __init__(self, config: ApiRequestConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.cache = TtlCache(config.cache_size, config.cache_ttl)

    def enrich(self, ctx: Any) -> None:
        values = {}
        for spec in self.config.inputs:
            value = read_input(ctx, spec)
            if value is None:
                return
            values[spec.name] = as_text(value)
        url = PLACEHOLDER.sub(lambda match: quote(values[match.group(1)], safe=""), self.config.uri)
        body = json.dumps(values, sort_keys=True) if self.config.method in {"POST", "PUT"} else None
        outcome = self.cache.get((url, body))
        if outcome is MISSING:
            outcome = self._request(url, body)
            ttl = self.config.cache_ttl / 10 if isinstance(outcome, EnrichmentFailure) else None
            self.cache.put((url, body), outcome, ttl)
        if isinstance(outcome, EnrichmentFailure):
            if not self.config.ignore_on_error:
                raise outcome
            return
        ctx.derived_contexts.extend(sdj(schema, json.loads(json.dumps(data))) for schema, data in outcome)

    def _request(self, url: str, body: str | None) -> list[tuple[str, Any]] | EnrichmentFailure:
        """The output contexts of the API's answer, or the failure to report (cached alike)."""
        request = urllib.request.Request(url, data=body.encode() if body is not None else None,
                                         method=self.config.method)
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if self.config.authorization:
            request.add_header("Authorization", self.config.authorization)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout_seconds) as response:
                document = json.loads(response.read(MAX_RESPONSE_BYTES))
        except (urllib.error.URLError, OSError, ValueError) as error:
            return EnrichmentFailure.simple(f"API request to {url} failed: {error}")
        contexts = []
        for output in self.config.outputs:
            value = output.path.first(document)
            if value is None:
                return EnrichmentFailure.simple(f"JSONPath {output.path.text} found nothing in the answer of {url}")
            contexts.append((output.schema, value))
        return contexts
