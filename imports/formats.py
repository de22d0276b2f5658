"""The import formats, keyed like Snowplow's collector format strings (`cloudfront`, `clj-tomcat`, `thrift`,
`tsv/com.amazon.aws.cloudfront/wd_access_log`) plus the enriched TSV archive: how a file splits into records and
how one record is decoded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO

from enrichment.badrows import BadRowData
from imports.clj_tomcat import clj_tomcat_line
from imports.cloudfront import cloudfront_line
from imports.enriched_tsv import tsv_event
from imports.loader import NoteSink
from imports.sources import text_lines
from imports.thrift_archives import thrift_records
from imports.tsv import CLOUDFRONT_ACCESS_LOG, cloudfront_access_log_line
from warehouse.api import LoadableEvent

Decoded = bytes | LoadableEvent | BadRowData | None


@dataclass(frozen=True)
class ImportFormat:
    """`records` splits a decoded file into records in a stable order (the position of a record is its
    payload id's suffix); `decode` turns one record into CollectorPayload bytes, an event, a bad row, or None
    for a header, appending notes (ambiguous values) to the list it is given."""

    name: str
    records: Callable[[BinaryIO], Iterator[Any]]
    decode: Callable[[Any, NoteSink], Decoded]
    description: str


def _as_is(record: Any, notes: NoteSink) -> Decoded:
    return record


FORMATS: dict[str, ImportFormat] = {
    "cloudfront": ImportFormat("cloudfront", text_lines, cloudfront_line,
                               "CloudFront collector access logs (12 to 33 fields)"),
    "clj-tomcat": ImportFormat("clj-tomcat", text_lines, clj_tomcat_line,
                               "Clojure collector Tomcat access logs (clj 0.1.0 to 2.1.3)"),
    "thrift": ImportFormat("thrift", thrift_records, _as_is,
                           "Thrift raw archives, framing sniffed (LZO blocks, newline-separated, base64 lines)"),
    "thrift-lzo": ImportFormat("thrift-lzo", partial(thrift_records, framing="lzo"), _as_is,
                               "Thrift raw archives: Elephant Bird blocks in lzop"),
    "thrift-binary": ImportFormat("thrift-binary", partial(thrift_records, framing="binary"), _as_is,
                                  "Thrift raw archives: records each followed by a newline (S3 Loader gzip)"),
    "thrift-base64": ImportFormat("thrift-base64", partial(thrift_records, framing="base64"), _as_is,
                                  "Thrift raw archives: one base64 record per line"),
    "enriched": ImportFormat("enriched", text_lines, lambda line, notes: tsv_event(line),
                             "Enriched TSV archives (131 fields), loaded without re-enrichment"),
    CLOUDFRONT_ACCESS_LOG: ImportFormat(CLOUDFRONT_ACCESS_LOG, text_lines, cloudfront_access_log_line,
                                        "CloudFront access logs, one wd_access_log event per request of any kind "
                                        "(12 to 26 fields)"),
}


def get_format(name: str) -> ImportFormat:
    """Return the registered format; raise KeyError naming the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown import format {name!r}; expected one of {', '.join(FORMATS)}") from None
