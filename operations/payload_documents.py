"""A CollectorPayload as a readable JSON document, and back: what the bad-row browser shows and rules patch.

The document has the Thrift fields by name; the querystring becomes an object of parameters, a JSON body is
parsed, and inside both the tracker's encoded JSON parameters are decoded in place: `ue_pr` and `co` (JSON
text) and `ue_px` and `cx` (base64url JSON). Each is encoded back the way its name says, so a patch can fix
`/body/data/0/ue_pr/data/schema` and the payload it produces is what a tracker would have sent.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from collector.payload import CollectorPayload, payload_deserialize, payload_serialize

JSON_PARAMETERS = ("ue_pr", "co")
BASE64_PARAMETERS = ("ue_px", "cx")
TEXT_FIELDS = ("schema", "ipAddress", "encoding", "collector", "userAgent", "refererUri", "path", "contentType",
               "hostname", "networkUserId")


class PayloadDocumentError(ValueError):
    """The bytes are not a CollectorPayload, or the document cannot be written back as one."""


def payload_document(data: bytes) -> dict[str, Any]:
    """Decode Thrift bytes into the document; raises PayloadDocumentError on bytes that are not a payload."""
    try:
        payload = payload_deserialize(data)
    except Exception as error:  # thriftpy2 raises a variety of types on malformed input
        raise PayloadDocumentError(f"not a Thrift CollectorPayload: {type(error).__name__}: {error}") from error
    if not payload.schema:
        raise PayloadDocumentError("not a Thrift CollectorPayload: it has no schema field")
    document: dict[str, Any] = {name: getattr(payload, name) for name in TEXT_FIELDS}
    document["timestamp"] = payload.timestamp
    document["headers"] = list(payload.headers or [])
    document["querystring"] = _querystring_document(payload.querystring)
    document["body"] = _body_document(payload.body)
    return document


def payload_from_document(document: dict[str, Any]) -> bytes:
    """Encode the (patched) document back into Thrift bytes."""
    if not isinstance(document, dict):
        raise PayloadDocumentError("the patched payload is no longer an object")
    fields = {name: document.get(name) for name in TEXT_FIELDS}
    fields["timestamp"] = document.get("timestamp")
    fields["headers"] = document.get("headers") or []
    fields["querystring"] = _querystring_bytes(document.get("querystring"))
    fields["body"] = _body_bytes(document.get("body"))
    try:
        return payload_serialize(CollectorPayload(**fields))
    except Exception as error:  # thriftpy2 raises TypeError, struct.error, OverflowError on wrong types
        raise PayloadDocumentError(f"the patched payload cannot be written as Thrift: {error}") from error


def _querystring_document(raw: bytes | None) -> dict[str, Any] | str | None:
    if raw is None:
        return None
    text = raw.decode("utf-8", "surrogateescape")
    if not text:
        return {}
    pairs = parse_qsl(text, keep_blank_values=True)
    if len({name for name, _ in pairs}) != len(pairs):
        return text  # repeated parameters: keep the exact text rather than lose one
    return _decode_parameters(dict(pairs))


def _querystring_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, dict):
        return urlencode(_encode_parameters(value, stringify=True)).encode("utf-8", "surrogateescape")
    raise PayloadDocumentError("querystring must be an object, a string or null")


def _body_document(raw: bytes | None) -> Any:
    if raw is None:
        return None
    text = raw.decode("utf-8", "surrogateescape")
    try:
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        body["data"] = [_decode_parameters(item) if isinstance(item, dict) else item for item in body["data"]]
    return body


def _body_bytes(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = {**value, "data": [_encode_parameters(item) if isinstance(item, dict) else item
                                   for item in value["data"]]}
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogateescape")


def _decode_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(parameters)
    for name in JSON_PARAMETERS:
        if isinstance(decoded.get(name), str):
            decoded[name] = _try_json(decoded[name], decoded[name])
    for name in BASE64_PARAMETERS:
        if isinstance(decoded.get(name), str):
            decoded[name] = _try_json(_unbase64(decoded[name]), decoded[name])
    return decoded


def _encode_parameters(parameters: dict[str, Any], stringify: bool = False) -> dict[str, Any]:
    """Re-encode the decoded JSON parameters; with `stringify` (a querystring) every value becomes text."""
    encoded = {}
    for name, value in parameters.items():
        if isinstance(value, str):
            encoded[name] = value
        elif name in BASE64_PARAMETERS:
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            encoded[name] = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
        elif name in JSON_PARAMETERS or (stringify and isinstance(value, dict | list)):
            encoded[name] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        elif stringify:
            encoded[name] = "" if value is None else str(value)
        else:
            encoded[name] = value
    return encoded


def _unbase64(text: str) -> str | None:
    try:
        padded = text + "=" * (-len(text) % 4)
        return base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_")).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _try_json(text: str | None, fallback: str) -> Any:
    """Parsed JSON objects and arrays only; anything else stays the original string, round-tripping exactly."""
    if text is None:
        return fallback
    try:
        value = json.loads(text)
    except ValueError:
        return fallback
    return value if isinstance(value, dict | list) else fallback
