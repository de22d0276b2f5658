"""CloudFront web-distribution access logs as events (`/com.amazon.aws.cloudfront/wd_access_log`, log-formats spec 3).

Every request a distribution logged (downloads and pages, not only tracker pixels) becomes one `wd_access_log`
unstruct event, as enrich's `CloudfrontAccessLogAdapter` did. The payload's body is one log line: Snowplow's
TsvLoader made it from the line (here `snowplow_import --format tsv/com.amazon.aws.cloudfront/wd_access_log`).

- The body is split on single TABs, empty fields kept; the field count picks the schema version (12 -> 1-0-0 ...
  26 -> 1-0-6), any other count is an adapter failure.
- `date` and `time` merge into `dateTime`; the other fields keep their log order under enrich's names. An empty
  field is JSON null, a `-` stays the string "-". `scBytes`/`csBytes` are integers, `timeTaken` a number,
  `csReferer`/`csUserAgent` are decoded (`%25XX` fix-up, then URL-decoding), `csUriQuery` gets the fix-up only.
- The event: `tv=com.amazon.aws.cloudfront/wd_access_log`, `e=ue`, `p=srv`, `url=<csReferer as logged>`; its
  time is the line's date and time (UTC), its IP `c-ip` (x-forwarded-for is not used), no referer, no headers.
- Failures of all fields are gathered into one adapter_failures bad row, in enrich's order (the timestamp first,
  then the fields from last to first).

Where we differ, on purpose: integers beyond a Java Int (a download over 2 GiB) load, where enrich refused them;
the user agent of the event is stored decoded (as Spark Enrich's UA decoding left it), not percent-encoded.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from typing import Any
from urllib.parse import unquote

from enrichment.adapters.base import Adapter, AdapterResult, input_data
from enrichment.raw import LoadedPayload, RawEvent

VENDOR, VERSION = "com.amazon.aws.cloudfront", "wd_access_log"
TRACKER_VERSION = "com.amazon.aws.cloudfront/wd_access_log"
UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
# Field counts of the log layouts and their schema versions (enrich's reference.conf defaults).
SCHEMA_VERSIONS = {12: "1-0-0", 15: "1-0-1", 18: "1-0-2", 19: "1-0-3", 23: "1-0-4", 24: "1-0-5", 26: "1-0-6"}
FIELD_NAMES = (
    "dateTime", "xEdgeLocation", "scBytes", "cIp", "csMethod", "csHost", "csUriStem", "scStatus", "csReferer",
    "csUserAgent", "csUriQuery", "csCookie", "xEdgeResultType", "xEdgeRequestId", "xHostHeader", "csProtocol",
    "csBytes", "timeTaken", "xForwardedFor", "sslProtocol", "sslCipher", "xEdgeResponseResultType",
    "csProtocolVersion", "fleStatus", "fleEncryptedFields",
)
INTEGER_FIELDS = frozenset({"scBytes", "csBytes"})
DECODED_FIELDS = frozenset({"csReferer", "csUserAgent"})
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DOUBLE_ENCODED = re.compile(r"%25(?=[0-9A-Fa-f]{2})")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def schema_uri(version: str) -> str:
    return f"iglu:{VENDOR}/{VERSION}/jsonschema/{version}"


class CloudfrontAccessLogAdapter(Adapter):
    vendor, version = VENDOR, VERSION

    def to_raw_events(self, payload: LoadedPayload) -> AdapterResult:
        if payload.body is None:
            return AdapterResult(failures=[self.failure(payload, [input_data("body", None, "empty body")])])
        fields = payload.body.split("\t")
        schema_version = SCHEMA_VERSIONS.get(len(fields))
        if schema_version is None:
            return AdapterResult(failures=[self.failure(payload, [input_data(
                "body", payload.body,
                f"access log contained {len(fields)} fields, expected 12, 15, 18, 19, 23, 24 or 26")])])
        values = [f"{fields[0]}T{fields[1]}Z", *fields[2:]]
        data, field_failures = access_log_data(values)
        timestamp, timestamp_failure = access_log_timestamp(fields[0], fields[1])
        failures = ([timestamp_failure] if timestamp_failure else []) + field_failures[::-1]
        if failures:
            return AdapterResult(failures=[self.failure(payload, failures)])
        parameters = {
            "tv": TRACKER_VERSION, "e": "ue", "p": "srv",
            "ue_pr": json.dumps({"schema": UNSTRUCT_SCHEMA, "data": {"schema": schema_uri(schema_version),
                                                                    "data": data}},
                                ensure_ascii=False, separators=(",", ":")),
        }
        if values[8]:
            parameters["url"] = values[8]
        context = _with_context(payload, timestamp, ip=values[3] or None,
                                useragent=data["csUserAgent"] if values[9] else None)
        return AdapterResult(events=[RawEvent(self.vendor, self.version, parameters, context,
                                              payload.thrift.contentType)])


def access_log_data(values: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The schema's JSON object from the line's values (dateTime first), and a failure per unusable value."""
    data: dict[str, Any] = {}
    failures = []
    for name, value in zip(FIELD_NAMES, values, strict=False):
        if value == "":
            data[name] = None
        elif name in INTEGER_FIELDS:
            if _INTEGER.fullmatch(value):
                data[name] = int(value)
            else:
                failures.append(input_data(name, value, "cannot be converted to Int"))
        elif name == "timeTaken":
            number = _double(value)
            if number is None:
                failures.append(input_data(name, value, "cannot be converted to Double"))
            else:
                data[name] = number
        elif name in DECODED_FIELDS:
            decoded = url_decode(single_encode_pcts(value))
            if isinstance(decoded, DecodeError):
                failures.append(input_data(name, value, str(decoded)))
            else:
                data[name] = decoded
        elif name == "csUriQuery":
            data[name] = single_encode_pcts(value)
        else:
            data[name] = value
    return data, failures


def access_log_timestamp(date: str, time: str) -> tuple[int | None, dict[str, Any] | None]:
    """Epoch milliseconds of the line's UTC date and time, or the failure enrich reported."""
    try:
        moment = dt.datetime.fromisoformat(f"{date}T{time}+00:00")
    except ValueError as error:
        return None, input_data("dateTime", f"{date} {time}", f"could not convert access log timestamp: {error}")
    return (moment - EPOCH) // dt.timedelta(milliseconds=1), None


def single_encode_pcts(text: str) -> str:
    """CloudFront's double encoding undone: every `%25XX` (XX hex) becomes `%XX`, blindly, as enrich does."""
    return _DOUBLE_ENCODED.sub("%", text) if "%25" in text else text


class DecodeError(str):
    """The message of a value Java's URLDecoder refused."""


def url_decode(text: str) -> str | DecodeError:
    """Java `URLDecoder.decode(text, "UTF-8")` as enrich's `decodeString` used it: `+` is a space, `%XX` bytes
    are UTF-8 (bad bytes replaced), a `%` without two hex digits is an error; then CR and LF are removed and a
    TAB becomes four spaces."""
    bad = _BAD_ESCAPE.search(text)
    if bad:
        problem = ("Incomplete trailing escape (%) pattern" if len(text) - bad.start() < 3
                   else "Illegal hex characters in escape (%) pattern")
        return DecodeError(f"Exception URL-decoding (encoding UTF-8): URLDecoder: {problem}")
    decoded = unquote(text.replace("+", " "), errors="replace") if "%" in text else text.replace("+", " ")
    return decoded.replace("\r", "").replace("\n", "").replace("\t", "    ")


def _double(value: str) -> float | None:
    """Java's Double.parseDouble for what a log holds: a finite decimal number (no NaN or infinity)."""
    if "_" in value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _with_context(payload: LoadedPayload, timestamp: int | None, ip: str | None,
                  useragent: str | None) -> LoadedPayload:
    """The payload as the event's context: the line's time, `c-ip`, the UA; no referer, headers or cookie."""
    thrift = copy.copy(payload.thrift)
    thrift.timestamp = timestamp
    thrift.ipAddress = ip
    thrift.userAgent = useragent
    thrift.refererUri = None
    thrift.headers = None
    thrift.networkUserId = None
    return LoadedPayload(thrift, payload.raw, payload.vendor, payload.version, payload.querystring, payload.body)
