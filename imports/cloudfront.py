"""CloudFront collector access logs: one `/i` pixel request per line into a CollectorPayload, as enrich 3.9.0's
`CloudfrontLoader` did (log-formats spec 2), with the UA decoded as historical Spark Enrich did."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

from enrichment.badrows import BadRowData
from imports.loader import (
    LineFailures,
    absent,
    cached_millis,
    check_path,
    fallback,
    first_ip,
    format_violation,
    is_api_path,
    log_payload,
    single_encode_pcts,
    to_millis,
)

LOADER = "cloudfront"
# Field counts of the formats enrich accepted: 12 (original), 15 (Sep 2012), 18 (Oct 2013), 19 (Apr 2014), and
# from 23 on (Jul 2014: 23; Sep 2016: 24; 2018: 26; today 33) with a free tail.
EXACT_COUNTS = frozenset({12, 15, 18, 19})
OPEN_FROM = 23
X_FORWARDED_FOR = 19  # 0-based index of field 20


def cloudfront_line(line: str, notes: object = None) -> bytes | BadRowData | None:
    """Return the line's CollectorPayload bytes, a bad row keeping the line, or None for a header line.

    Fields are split on runs of whitespace (`str.split()`: the same characters as a `\\s+` split of the stripped
    line), as enrich's regex does; every field is then non-empty."""
    if line.startswith(("#Version:", "#Fields:")):
        return None
    fields = line.split()
    count = len(fields)
    if count >= 12 and fields[5] != "GET" and fields[5].upper() != "GET":
        return format_violation(LOADER, line, [
            {"payloadField": "verb", "value": fields[5].upper(), "expectation": "operation must be GET"}])
    if not (count in EXACT_COUNTS or count >= OPEN_FROM):
        return fallback(LOADER, line, "does not match header or data row formats")
    timestamp = cached_millis(fields[0], fields[1])
    path = fields[7]
    if timestamp is None or not is_api_path(path):
        failures = LineFailures()
        to_millis(fields[0], fields[1], failures)
        check_path(path, failures)
        return format_violation(LOADER, line, failures.messages)
    forwarded = first_ip(absent(fields[X_FORWARDED_FOR])) if count >= OPEN_FROM else None
    querystring = fields[11]
    referer = fields[9]
    return log_payload(
        LOADER, path,
        querystring=single_encode_pcts(querystring) if querystring != "-" else None,
        timestamp=timestamp,
        ip=forwarded or absent(fields[4]),
        useragent=useragent_decode(fields[10]),
        referer=_clean_uri(single_encode_pcts(referer)) if referer != "-" else None,
    )


@lru_cache(maxsize=4096)  # a log holds few distinct user agents
def useragent_decode(raw: str) -> str | None:
    """Percent-decode the logged UA after the `%25` fix-up, keeping a literal `+` (old enrich made it a space)."""
    value = absent(raw)
    return unquote(single_encode_pcts(value), errors="replace") if value else None


def _clean_uri(uri: str) -> str:
    # CloudFront sometimes logs a referer cut after a lone `%`; enrich drops one trailing `%`.
    return uri[:-1] if uri.endswith("%") else uri
