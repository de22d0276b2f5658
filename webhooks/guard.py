"""The admin's switches around an adapter: a webhook switched off, and signature checks when a secret is set.

A call refused here becomes one adapter_failures bad row with the reason, never an event, and keeps the
whole request, so it can be replayed once the configuration is right. This runs in enrichment, so it works
whatever the collector does; the collector can refuse the same requests up front with 401 (`webhooks.api`).
"""

from __future__ import annotations

from enrichment.adapters.base import Adapter, AdapterResult
from enrichment.badrows import BadRowData, iso_timestamp
from enrichment.raw import LoadedPayload
from webhooks.config import EndpointConfig
from webhooks.messages import input_data
from webhooks.requests import WebhookRequest
from webhooks.signatures import SignatureResult, SignedRequest, candidate_urls, check_signature


class GuardedAdapter(Adapter):
    """Delegates to `adapter` once the endpoint is on and the request's signature (if required) verifies."""

    def __init__(self, adapter: Adapter, config: EndpointConfig) -> None:
        self.adapter, self.config = adapter, config
        self.vendor, self.version = config.vendor, config.version

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        if not self.config.enabled:
            return AdapterResult(failures=[self.failure(payload, [input_data(
                "vendor/version", f"{payload.vendor}/{payload.version}", "webhook is switched off in the admin")])])
        result = check_signature(self.config.vendor, self.config.signing_secret, signed_request(payload, self.config))
        if not result.valid:
            return AdapterResult(failures=[signature_failure(payload, result)])
        return self.adapter.to_raw_events(payload)


def signature_failure(payload: LoadedPayload, result: SignatureResult) -> BadRowData:
    """One adapter_failures bad row for the whole request, saying why its signature was refused."""
    message = input_data("signature", result.value, f"invalid signature: {result.reason}")
    return BadRowData(type="adapter_failures", payload=payload.as_badrow_payload(), original=payload.raw,
                      failure={"timestamp": iso_timestamp(), "vendor": payload.vendor, "version": payload.version,
                               "messages": [message]})


def signed_request(payload: LoadedPayload, config: EndpointConfig) -> SignedRequest:
    """What the vendor signed, rebuilt from the recorded request."""
    request = WebhookRequest(payload)
    thrift = payload.thrift
    query = thrift.querystring.decode("utf-8", "replace") if isinstance(thrift.querystring, bytes) else (
        thrift.querystring or "")
    return SignedRequest(request.method, candidate_urls(config.public_url, thrift.hostname, thrift.path, query),
                         request.headers, payload.body or "", thrift.timestamp)
