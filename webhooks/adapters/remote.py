"""Remote adapters: a configured `/{vendor}/{version}` is turned into events by an HTTP service (enrich R114).

We POST `{"contentType", "queryString", "headers", "body"}` to the service and expect
`{"events": [{tracker-protocol parameters}, ...]}`; each object becomes one raw event as it is. Anything that
goes wrong (no answer, not JSON, not a list of objects) is an adapter_failures bad row prefixed
`[REMOTE_ADAPTER]`, so the request can be replayed once the service is fixed. Configured in the admin
(`RemoteAdapter` rows); current enrich has lost the ability to configure them, we keep it.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from enrichment.adapters.base import Adapter, AdapterResult
from enrichment.jsonparse import JsonTooDeep, parse_json
from enrichment.raw import LoadedPayload, RawEvent
from webhooks.config import RemoteConfig
from webhooks.messages import input_data, not_json
from webhooks.requests import WebhookRequest

PREFIX = "[REMOTE_ADAPTER]"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MAX_EXPECTATION = 256


class RemoteUnavailable(Exception):
    """The service gave no usable HTTP answer."""


class RemoteAdapter(Adapter):
    """Calls one configured service; built per lookup from its frozen RemoteConfig."""

    def __init__(self, config: RemoteConfig) -> None:
        self.config = config
        self.vendor, self.version = config.vendor, config.version

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        request = WebhookRequest(payload)
        url = self.config.url
        if request.body is None:
            return self.refuse(payload, input_data("body", None, f"empty body: not a valid remote adapter {url} "
                                                                 "payload"))
        try:
            text = self.call(request_document(request))
        except RemoteUnavailable as error:
            return self.refuse(payload, input_data("body", request.body, clip(
                f"{PREFIX} could not get response from remote adapter {url}: {error}")))
        try:
            answer = parse_json(text)
        except (ValueError, JsonTooDeep) as error:
            return self.refuse(payload, not_json("response", text, f"{PREFIX} {error}"))
        events = answer.get("events") if isinstance(answer, dict) else None
        problem = events_problem(events)
        if problem:
            return self.refuse(payload, input_data("response", text, clip(f"{PREFIX} {problem}")))
        return AdapterResult(events=[RawEvent(self.vendor, self.version, parameters(event), payload,
                                              request.content_type) for event in events])

    def refuse(self, payload: LoadedPayload, message: dict[str, Any]) -> AdapterResult:
        return AdapterResult(failures=[self.failure(payload, [message])])

    def call(self, document: dict[str, Any]) -> str:
        """POST the request document; return the answer's text or raise RemoteUnavailable."""
        parts = urlsplit(self.config.url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=self.config.connect_timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.connect()
            connection.sock.settimeout(self.config.read_timeout)
            connection.request("POST", target, json.dumps(document).encode(), {"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read(MAX_RESPONSE_BYTES)
        except (OSError, http.client.HTTPException) as error:
            raise RemoteUnavailable(str(error) or type(error).__name__) from error
        finally:
            connection.close()
        if response.status != 200:
            raise RemoteUnavailable(f"HTTP {response.status}")
        return body.decode("utf-8", "replace")


def request_document(request: WebhookRequest) -> dict[str, Any]:
    return {"contentType": request.content_type, "queryString": request.query,
            "headers": request.payload.headers, "body": request.body}


def events_problem(events: Any) -> str | None:
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return "could not be decoded as a list of json objects: expected {\"events\": [{...}, ...]}"
    if not events:
        return "empty list of events"
    if any(isinstance(v, dict | list) for event in events for v in event.values()):
        return "could not be decoded as a list of json objects: parameter values must be strings"
    return None


def parameters(event: dict[str, Any]) -> dict[str, str]:
    return {name: value if isinstance(value, str) else json.dumps(value) for name, value in event.items()
            if value is not None}


def clip(text: str) -> str:
    return text if len(text) <= MAX_EXPECTATION else text[: MAX_EXPECTATION - 1] + "…"
