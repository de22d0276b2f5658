"""Snowplow's TsvLoader (`tsv/<vendor>/<version>`, log-formats spec 3): each line whole, as the body of a
CollectorPayload for the adapter of that vendor and version. Here only `tsv/com.amazon.aws.cloudfront/wd_access_log`,
CloudFront access logs as one event per request, has an adapter (enrichment/adapters/cloudfront_access_log.py)."""

from __future__ import annotations

import time

from imports.loader import cached_millis, log_payload

LOADER = "tsv"
CLOUDFRONT_ACCESS_LOG = "tsv/com.amazon.aws.cloudfront/wd_access_log"


def tsv_line(line: str, api_path: str) -> bytes | None:
    """The line's CollectorPayload (`source = tsv`, body = the line), or None for a `#Version:`/`#Fields:` header.

    enrich's TsvLoader sets no time or address; the adapter takes both from the line. A CollectorPayload here
    needs a timestamp, so it gets the line's own date and time when they parse (else the time of the import),
    which the adapter then sets again."""
    if line.startswith(("#Version:", "#Fields:")):
        return None
    date, _, rest = line.partition("\t")
    timestamp = cached_millis(date, rest.partition("\t")[0])
    if timestamp is None:
        timestamp = int(time.time() * 1000)
    return log_payload(LOADER, api_path, querystring=None, timestamp=timestamp, ip=None, useragent=None,
                       referer=None, body=line.encode("utf-8"))


def cloudfront_access_log_line(line: str, notes: object = None) -> bytes | None:
    return tsv_line(line, "/com.amazon.aws.cloudfront/wd_access_log")
