"""Signed-request verification for the vendors that sign their webhook calls (beyond Snowplow, which trusts any
caller). Each verifier answers for one vendor's scheme; `check_signature` picks it by vendor.

- Mandrill: `X-Mandrill-Signature` = base64(HMAC-SHA1(webhook key, URL + sorted POST fields as key+value)).
- SendGrid: `X-Twilio-Email-Event-Webhook-Signature` = ECDSA P-256 over timestamp header + raw body, checked
  with the verification public key.
- Mailgun: the body's `signature` block, hex(HMAC-SHA256(signing key, timestamp + token)).
- HubSpot: v1 `X-HubSpot-Signature` = hex(SHA-256(secret + body)); v2 adds method and URL; v3
  `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(secret, method + URL + body + timestamp)), at most 5 minutes old.
- PagerDuty (v3 webhooks): `X-PagerDuty-Signature` = `v1=` hex(HMAC-SHA256(secret, body)), possibly several.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from webhooks import ecdsa
from webhooks.requests import parse_pairs

HUBSPOT_MAX_AGE_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class SignedRequest:
    """What a signature covers: method, the URLs the vendor may have signed, headers (lower-cased), raw body."""

    method: str
    urls: tuple[str, ...]
    headers: dict[str, str]
    body: str
    received_ms: int


@dataclass(frozen=True)
class SignatureResult:
    """The verdict; `reason` says why a signature was refused, `value` is the signature that was checked."""

    valid: bool
    reason: str = ""
    value: str | None = None


def _ok(value: str | None = None) -> SignatureResult:
    return SignatureResult(True, "", value)


def _refused(reason: str, value: str | None = None) -> SignatureResult:
    return SignatureResult(False, reason, value)


def verify_mandrill(secret: str, request: SignedRequest) -> SignatureResult:
    signature = request.headers.get("x-mandrill-signature")
    if not signature:
        return _refused("missing X-Mandrill-Signature header")
    fields = "".join(f"{name}{value or ''}" for name, value in sorted(dict(parse_pairs(request.body)).items()))
    for url in request.urls:
        digest = hmac.new(secret.encode(), f"{url}{fields}".encode(), hashlib.sha1).digest()
        if hmac.compare_digest(base64.b64encode(digest).decode(), signature):
            return _ok(signature)
    return _refused("X-Mandrill-Signature does not match the webhook key and URL", signature)


def verify_sendgrid(secret: str, request: SignedRequest) -> SignatureResult:
    signature = request.headers.get("x-twilio-email-event-webhook-signature")
    timestamp = request.headers.get("x-twilio-email-event-webhook-timestamp")
    if not signature or not timestamp:
        return _refused("missing X-Twilio-Email-Event-Webhook-Signature or -Timestamp header", signature)
    try:
        key, signed = base64.b64decode(secret, validate=True), base64.b64decode(signature, validate=True)
        valid = ecdsa.verify(key, (timestamp + request.body).encode(), signed)
    except (binascii.Error, ValueError) as error:
        return _refused(f"signature or verification key unreadable: {error}", signature)
    return _ok(signature) if valid else _refused("SendGrid signature does not verify with the public key", signature)


def verify_mailgun(secret: str, request: SignedRequest) -> SignatureResult:
    block = mailgun_signature_block(request.body)
    if block is None:
        return _refused("missing signature block (timestamp, token, signature)")
    expected = hmac.new(secret.encode(), f"{block['timestamp']}{block['token']}".encode(), hashlib.sha256)
    if hmac.compare_digest(expected.hexdigest(), block["signature"]):
        return _ok(block["signature"])
    return _refused("Mailgun signature does not match the signing key", block["signature"])


def mailgun_signature_block(body: str) -> dict[str, str] | None:
    """The signature fields of a JSON webhook, or of a legacy form-encoded one."""
    try:
        parsed = json.loads(body)
        block = parsed.get("signature") if isinstance(parsed, dict) else None
    except ValueError:
        block = dict(parse_pairs(body))
    if not isinstance(block, dict) or not all(isinstance(block.get(k), str | int) for k in ("timestamp", "token")):
        return None
    if not isinstance(block.get("signature"), str):
        return None
    return {"timestamp": str(block["timestamp"]), "token": str(block["token"]), "signature": block["signature"]}


def verify_hubspot(secret: str, request: SignedRequest) -> SignatureResult:
    v3 = request.headers.get("x-hubspot-signature-v3")
    if v3:
        return _hubspot_v3(secret, request, v3)
    signature = request.headers.get("x-hubspot-signature")
    if not signature:
        return _refused("missing X-HubSpot-Signature or X-HubSpot-Signature-v3 header")
    version = request.headers.get("x-hubspot-signature-version", "v1").lower()
    sources = [secret + request.body] if version == "v1" else [
        secret + request.method + url + request.body for url in request.urls]
    for source in sources:
        if hmac.compare_digest(hashlib.sha256(source.encode()).hexdigest(), signature.lower()):
            return _ok(signature)
    return _refused(f"X-HubSpot-Signature ({version}) does not match the client secret", signature)


def _hubspot_v3(secret: str, request: SignedRequest, signature: str) -> SignatureResult:
    timestamp = request.headers.get("x-hubspot-request-timestamp", "")
    if not timestamp.isdigit() or abs(request.received_ms - int(timestamp)) > HUBSPOT_MAX_AGE_MS:
        return _refused("X-HubSpot-Request-Timestamp missing or more than 5 minutes from the request", signature)
    for url in request.urls:
        source = f"{request.method}{unquote(url)}{request.body}{timestamp}"
        digest = base64.b64encode(hmac.new(secret.encode(), source.encode(), hashlib.sha256).digest()).decode()
        if hmac.compare_digest(digest, signature):
            return _ok(signature)
    return _refused("X-HubSpot-Signature-v3 does not match the client secret", signature)


def verify_pagerduty(secret: str, request: SignedRequest) -> SignatureResult:
    header = request.headers.get("x-pagerduty-signature")
    if not header:
        return _refused("missing X-PagerDuty-Signature header")
    expected = "v1=" + hmac.new(secret.encode(), request.body.encode(), hashlib.sha256).hexdigest()
    if any(hmac.compare_digest(expected, part.strip()) for part in header.split(",")):
        return _ok(header)
    return _refused("X-PagerDuty-Signature does not match the signing secret", header)


VERIFIERS: dict[str, Callable[[str, SignedRequest], SignatureResult]] = {
    "com.mandrill": verify_mandrill,
    "com.sendgrid": verify_sendgrid,
    "com.mailgun": verify_mailgun,
    "com.hubspot": verify_hubspot,
    "com.pagerduty": verify_pagerduty,
}


def check_signature(vendor: str, secret: str, request: SignedRequest) -> SignatureResult:
    """Verify a request against the vendor's scheme; vendors that do not sign are always valid."""
    verifier = VERIFIERS.get(vendor)
    if verifier is None or not secret:
        return _ok()
    return verifier(secret, request)


def candidate_urls(public_url: str, host: str | None, path: str, query: str) -> tuple[str, ...]:
    """The URLs the vendor may have signed: the configured public base URL, else https and http on the host."""
    suffix = path + (f"?{query}" if query else "")
    if public_url:
        return (public_url.rstrip("/") + suffix,)
    return (f"https://{host}{suffix}", f"http://{host}{suffix}") if host else ()
