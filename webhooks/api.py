"""The webhooks app's public interface for the collector: refuse a badly signed request before recording it.

The collector calls `check_webhook_request` for a `/{vendor}/{version}` request (in a thread: it reads the
cached admin configuration). None means "record as usual". A result that is not valid means: answer 401,
do not record the payload, and store `refused_request_badrow(payload, result)` with
`enrichment.api.badrows_record`, so the refusal is visible in the admin with its reason.
"""

from __future__ import annotations

from enrichment.badrows import BadRowData
from enrichment.raw import LoadedPayload, load_payload
from webhooks.config import get_endpoint_config
from webhooks.guard import signature_failure
from webhooks.requests import header_map
from webhooks.signatures import VERIFIERS, SignatureResult, SignedRequest, candidate_urls, check_signature

__all__ = ["SignatureResult", "check_webhook_request", "refused_request_badrow"]


def check_webhook_request(vendor: str, version: str, method: str, host: str | None, path: str, query: str,
                          headers: list[tuple[str, str]], body: bytes | None, received_ms: int
                          ) -> SignatureResult | None:
    """The signature verdict for a webhook whose admin row has a signing secret; None when nothing is checked."""
    if vendor not in VERIFIERS:
        return None
    config = get_endpoint_config(vendor, version)
    if config is None or not config.signing_secret:
        return None
    request = SignedRequest(method.upper(), candidate_urls(config.public_url, host, path, query),
                            header_map([f"{name}: {value}" for name, value in headers]),
                            (body or b"").decode("utf-8", "replace"), received_ms)
    return check_signature(vendor, config.signing_secret, request)


def refused_request_badrow(payload: bytes, result: SignatureResult) -> BadRowData:
    """The adapter_failures bad row of a request refused with 401 (payload: the CollectorPayload it would be)."""
    loaded = load_payload(payload)
    if not isinstance(loaded, LoadedPayload):
        return loaded  # a payload that does not even load is its own format-violation bad row
    return signature_failure(loaded, result)
