"""Clojure collector Tomcat access logs, every valve version (0.1.0 to 2.1.3), GET and POST lines, into
CollectorPayloads as enrich 3.9.0's `CljTomcatLoader` did (log-formats spec 4), plus the spec's fix-ups."""

from __future__ import annotations

import base64
import binascii
import logging
import re
from urllib.parse import unquote_plus

from enrichment.badrows import BadRowData
from imports.loader import (
    LineFailures,
    NoteSink,
    absent,
    check_path,
    fallback,
    first_ip,
    format_violation,
    log_payload,
    to_millis,
)

logger = logging.getLogger(__name__)


LOADER = "clj-tomcat"
_WHITESPACE = re.compile(r"\s+")
# Up to late January 2013 (clj 0.1.0) the valve wrote the hour with `hh`: 01-12, no AM/PM (snowplow#146).
HH_BUG_FIXED = "2013-02-01"
_UID_SUFFIX = re.compile(r"&uid=([^&]*)$")
_NUID_ABSENT = re.compile(r"&nuid=-$")
_CV_070 = "cv=clj-0.7.0-"
POST_ONLY = "operation must be POST if content type and/or body are provided"


def clj_tomcat_line(line: str, warnings: NoteSink | None = None) -> bytes | BadRowData | None:
    """Return the line's CollectorPayload bytes or a bad row keeping the line (None: blank line).

    `warnings` collects a note per line whose time is ambiguous (the 0.1.0 `hh` clock)."""
    if not line.strip():
        return None
    fields = _WHITESPACE.split(line.strip())
    if not _matches(fields):
        return fallback(LOADER, line, "does not match the raw event format")
    verb = fields[5]
    content_type = absent(fields[15]) if len(fields) == 17 else None
    body = absent(fields[16]) if len(fields) == 17 else None
    if body is not None and verb.upper() != "POST":
        return format_violation(LOADER, line, [{"payloadField": "verb", "value": verb, "expectation": POST_ONLY}])
    return _payload(line, fields, content_type, body, warnings)


def _matches(fields: list[str]) -> bool:
    """12 fields, or 15 ending `- - -`, or 17 with content type and body; field 3 is always `-`."""
    if len(fields) not in (12, 15, 17) or fields[2] != "-":
        return False
    return len(fields) == 12 or fields[12:15] == ["-", "-", "-"]


def _payload(line: str, fields: list[str], content_type: str | None, body: str | None,
             warnings: NoteSink | None) -> bytes | BadRowData:
    failures = LineFailures()
    timestamp = to_millis(fields[0], fields[1], failures)
    decoded_type = _decode_content_type(content_type, failures)
    decoded_body = _decode_body(body, failures)
    path = fields[7]
    check_path(path, failures)
    if failures.messages or timestamp is None:
        return format_violation(LOADER, line, failures.messages)
    querystring, cookie_uid = _querystring(fields[11])
    if cookie_uid is not None and warnings is not None and fields[0] < HH_BUG_FIXED:
        warnings.append(f"ambiguous 12-hour time {fields[0]} {fields[1]} (clj 0.1.0 `hh` clock)")
    return log_payload(
        LOADER, path, querystring=querystring, timestamp=timestamp, ip=_client_ip(fields),
        useragent=_useragent(fields[10]), referer=absent(fields[9]),
        content_type=decoded_type, body=decoded_body,
    )


def _querystring(raw: str) -> tuple[str | None, str | None]:
    """Return the querystring to process and the 0.1.x cookie id, if any.

    The valve appended `&cv=…&nuid=<sp cookie>` (0.5.0 on), `&nuid=` (0.3.0) or `&uid=` (0.1.0). A `nuid=-` (no
    cookie) is dropped rather than becoming a network user id of "-"; the 0.1.x `uid` is the cookie, so it is
    renamed `nuid` instead of landing in the tracker's user id."""
    query = absent(raw)
    if query is None:
        return None, None
    query = _NUID_ABSENT.sub("", query)
    match = _UID_SUFFIX.search(query)
    if match is None:
        return query or None, None
    cookie = absent(match.group(1))
    query = query[: match.start()] + (f"&nuid={cookie}" if cookie else "")
    return query.lstrip("&") or None, cookie or ""


def _client_ip(fields: list[str]) -> str | None:
    # clj 0.7.0 logged X-Forwarded-For in field 7 (snowplow#992): its first entry is the client there.
    if _CV_070 in fields[11]:
        forwarded = first_ip(unquote_plus(fields[6]))
        if forwarded:
            return forwarded
    return absent(fields[4])


def _useragent(raw: str) -> str | None:
    """The valve form-encoded the UA (Java URLEncoder); decode it as Spark Enrich did, `+` to space."""
    value = absent(raw)
    return unquote_plus(value, errors="replace") if value else None


def _decode_content_type(raw: str | None, failures: LineFailures) -> str | None:
    if raw is None:
        return None
    try:
        return unquote_plus(raw, errors="strict")
    except UnicodeDecodeError as error:
        failures.add("contentType", raw, f"could not decode content type: {error}")
        return None


def _decode_body(raw: str | None, failures: LineFailures) -> bytes | None:
    """The valve wrote the body as URL-safe base64 without padding."""
    if raw is None:
        return None
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        failures.add("body", raw, f"could not base64 decode: {error}")
        return None
