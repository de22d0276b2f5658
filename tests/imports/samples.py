"""Sample files of every historical format, written the way Snowplow's collectors and archivers wrote them."""

from __future__ import annotations

import base64
import gzip
import struct
import uuid
import zlib
from pathlib import Path

from lzallright import LZOCompressor

from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize
from imports.lzop import MAGIC as LZOP_MAGIC
from imports.thrift_archives import BLOCK_MARKER

# The CloudFront fields in log order (log-formats spec 2.1), with an invented value each; `-` where empty.
CLOUDFRONT_FIELDS = [
    ("date", "2014-06-02"), ("time", "08:30:00"), ("x-edge-location", "AMS1"), ("sc-bytes", "480"),
    ("c-ip", "192.0.2.99"), ("cs-method", "GET"), ("cs(Host)", "d111111abcdef8.cloudfront.net"), ("cs-uri-stem", "/i"),
    ("sc-status", "200"), ("cs(Referer)", "https://www.example.com/shop/"), ("cs(User-Agent)", "curl/7.35.0"),
    ("cs-uri-query", "e=pv&aid=site1&p=web&tv=js-2.0.0"), ("cs(Cookie)", "-"), ("x-edge-result-type", "Hit"),
    ("x-edge-request-id", "Nq5EXAMPLEr2=="), ("x-host-header", "d111111abcdef8.cloudfront.net"),
    ("cs-protocol", "https"), ("cs-bytes", "612"), ("time-taken", "0.001"), ("x-forwarded-for", "-"),
    ("ssl-protocol", "TLSv1.2"), ("ssl-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), ("x-edge-response-result-type", "Hit"),
    ("cs-protocol-version", "HTTP/1.1"), ("fle-status", "-"), ("fle-encrypted-fields", "-"), ("c-port", "52311"),
    ("time-to-first-byte", "0.001"), ("x-edge-detailed-result-type", "Hit"), ("sc-content-type", "image/gif"),
    ("sc-content-len", "43"), ("sc-range-start", "-"), ("sc-range-end", "-"),
]


def cloudfront_line(count: int, separator: str = "\t", **values: str) -> str:
    """A CloudFront line of the first `count` fields; keyword names are field names with `-()` as `_`."""
    fields = []
    for name, default in CLOUDFRONT_FIELDS[:count]:
        key = name.replace("-", "_").replace("(", "_").replace(")", "").lower()
        fields.append(values.get(key, default))
    return separator.join(fields)


def cloudfront_header(count: int) -> list[str]:
    return ["#Version: 1.0", "#Fields: " + " ".join(name for name, _ in CLOUDFRONT_FIELDS[:count])]


def page_view_query(eid: str | None = None, **extra: str) -> str:
    parts = {"e": "pv", "aid": "site1", "p": "web", "tv": "js-2.0.0", "eid": eid or str(uuid.uuid4()),
             "url": "https%3A%2F%2Fwww.example.com%2Fshop%2F", **extra}
    return "&".join(f"{key}={value}" for key, value in parts.items())


def clj_line(version: str, query: str, method: str = "GET", path: str = "/i", content_type: str = "-",
             body: str = "-", date: str = "2019-01-01", time: str = "00:00:01", ip: str = "192.0.2.21",
             host: str = "192.0.2.21", cookie: str = "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e",
             useragent: str = "Mozilla%2F5.0+%28X11%3B+Linux+x86_64%29+Firefox%2F64.0") -> str:
    """A Clojure collector line as the valve of `version` wrote it (log-formats spec 4.2)."""
    major = tuple(int(part) for part in version.split("."))
    if major < (0, 3, 0):
        suffix = f"&uid={cookie}"
    elif major < (0, 5, 0):
        suffix = f"&nuid={cookie}"
    else:
        suffix = f"&cv=clj-{version}-tom-0.2.0&nuid={cookie}"
    fields = [date, time, "-", "43", ip, method, host, path, "200", "https://www.example.com/blog/", useragent,
              query + suffix, "-", "-", "-"]
    if major >= (0, 7, 0):
        fields += [content_type, body]
    return "\t".join(fields)


def urlsafe_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def write_text(path: Path, lines: list[str], compress: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


# --- Thrift -----------------------------------------------------------------------------------------------------


def thrift_payload(query: str, timestamp: int = 1546300800456, **overrides) -> bytes:
    fields = {"schema": SCHEMA, "ipAddress": "192.0.2.33", "timestamp": timestamp, "encoding": ENCODING,
              "collector": "ssc-0.15.0-kinesis", "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/64.0",
              "refererUri": "https://www.example.com/", "path": "/i", "querystring": query.encode(),
              "headers": ["Host: collector.example.com", "X-Forwarded-For: 203.0.113.8"],
              "hostname": "collector.example.com", "networkUserId": "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"}
    fields.update(overrides)
    return payload_serialize(CollectorPayload(**fields))


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def elephant_bird_block(records: list[bytes]) -> bytes:
    """Marker, little-endian size, SerializedBlock{1: version 1, 2: "byte[]", 3: blobs} (EB RawBlockWriter)."""
    message = b"\x08\x01" + b"\x12" + _varint(6) + b"byte[]"
    for record in records:
        message += b"\x1a" + _varint(len(record)) + record
    return BLOCK_MARKER + struct.pack("<I", len(message)) + message


def lzop(data: bytes, block_size: int = 256 * 1024, flags: int = 0) -> bytes:
    """An lzop file as hadoop-lzo's LzopOutputStream writes it (version 0x1010, LZO1X-1, no file name)."""
    header = struct.pack(">HHHBBI", 0x1010, 0x2060, 0x0940, 1, 5, flags) + struct.pack(">III", 0o100644, 0, 0)
    header += b"\x00"
    out = bytearray(LZOP_MAGIC + header + struct.pack(">I", zlib.adler32(header)))
    compressor = LZOCompressor()
    for start in range(0, len(data), block_size):
        block = data[start: start + block_size]
        packed = compressor.compress(block)
        stored = packed if len(packed) < len(block) else block
        out += struct.pack(">II", len(block), len(stored))
        if flags & 0x1:
            out += struct.pack(">I", zlib.adler32(block))
        if flags & 0x2 and stored is packed:
            out += struct.pack(">I", zlib.adler32(packed))
        out += stored
    out += struct.pack(">I", 0)
    return bytes(out)


def legacy_raw_event(query: str, timestamp: int = 1400000000000) -> bytes:
    """A pre-R60 SnowplowRawEvent: fields 1 timestamp, 20 collector, 30 encoding, 40 ip, 41 payload{1,2,3}."""
    def string(field_id: int, text: str) -> bytes:
        raw = text.encode()
        return struct.pack(">bhi", 11, field_id, len(raw)) + raw

    payload = struct.pack(">bhi", 8, 1, 1) + struct.pack(">bhi", 8, 2, 1) + string(3, query) + b"\x00"
    return (struct.pack(">bhq", 10, 1, timestamp) + string(20, "ssc-0.1.0-stdout") + string(30, "UTF-8")
            + string(40, "192.0.2.60") + struct.pack(">bh", 12, 41) + payload + b"\x00")
