"""Snowplow raw archives: Thrift CollectorPayload records in the framings Snowplow's pipelines stored them
(log-formats spec 5.3): Elephant Bird blocks inside lzop (`.lzo`), records each followed by a newline (S3 Loader
gzip, or plain), and one base64 record per line (the stream collector's stdout sink). Legacy SnowplowRawEvent
records (before R60) are converted to CollectorPayloads, as enrich up to 6.0 did."""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
from collections.abc import Iterator
from typing import BinaryIO

import thriftpy2
from thriftpy2.protocol import TCyBinaryProtocolFactory
from thriftpy2.utils import deserialize

from collector.payload import SCHEMA, CollectorPayload, payload_serialize
from enrichment.badrows import BadRowData, base64_payload, iso_timestamp
from imports import tbinary
from imports.lzop import MAGIC as LZOP_MAGIC
from imports.lzop import LzopError, lzop_blocks

LOADER = "thrift"
# Elephant Bird's block marker and the protobuf `SerializedBlock` that follows it (spec 5.3, EB SerializedBlock).
BLOCK_MARKER = bytes.fromhex("29d8d50658cd4c29b2bc57992171bdff")
_LE_U32 = struct.Struct("<I")
COLLECTOR_PAYLOAD_FIRST_BYTES = b"\x0b\x7a\x69"
SCHEMA_FIELD_ID = 31337
READ_SIZE = 1 << 20
# Elephant Bird blocks hold 100 records by default; anything near this size is damage, not a block to wait for.
MAX_BLOCK_BYTES = 256 << 20
_BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=_\-\s]*")

Record = bytes | BadRowData

_LEGACY_IDL = """
enum PayloadProtocol { Http = 1 }
enum PayloadFormat { HttpGet = 1, HttpPostUrlencodedForm = 10, HttpPostMultipartForm = 11 }
struct TrackerPayload { 1: PayloadProtocol protocol 2: PayloadFormat format 3: string data }
struct SnowplowRawEvent {
  1: i64 timestamp 20: string collector 30: string encoding 40: string ipAddress
  41: optional TrackerPayload payload 45: optional string hostname 50: optional string userAgent
  60: optional string refererUri 70: optional list<string> headers 80: optional string networkUserId
}
"""
_legacy = thriftpy2.load_fp(io.StringIO(_LEGACY_IDL), module_name="snowplow_raw_event_thrift")
_protocol = TCyBinaryProtocolFactory()


def sniff_framing(head: bytes) -> str:
    """Guess the framing from a file's first decoded bytes: `lzo`, `binary` or `base64`."""
    if head.startswith(LZOP_MAGIC):
        return "lzo"
    if _BASE64_TEXT.fullmatch(head):
        return "base64"
    return "binary"


def thrift_records(stream: BinaryIO, framing: str = "auto") -> Iterator[Record]:
    """Yield each record's CollectorPayload bytes, or a bad row for what cannot be read, in file order."""
    if framing == "auto":
        framing = sniff_framing(stream.peek(64)[:64] if hasattr(stream, "peek") else b"")  # type: ignore[attr-defined]
    readers = {"lzo": lzo_records, "binary": binary_records, "base64": base64_records}
    if framing not in readers:
        raise ValueError(f"unknown Thrift framing {framing!r}; expected one of {sorted(readers)}")
    for record in readers[framing](stream):
        yield record if isinstance(record, BadRowData) else legacy_convert(record)


# --- framings -------------------------------------------------------------------------------------------------


def lzo_records(stream: BinaryIO) -> Iterator[Record]:
    """Records of Elephant Bird blocks in an lzop file. A damaged block becomes one bad row and reading resumes
    at the next block marker, as Elephant Bird's reader does."""
    buffer = bytearray()
    blocks = lzop_blocks(stream)
    exhausted = False
    while True:
        start = buffer.find(BLOCK_MARKER)
        if start > 0 or (start < 0 and len(buffer) > MAX_BLOCK_BYTES):
            cut = start if start > 0 else len(buffer) - len(BLOCK_MARKER)
            yield lost_bytes(bytes(buffer[:cut]), "bytes before a block marker")
            del buffer[:cut]
            continue
        block = _block_complete(buffer) if start == 0 else None
        if block is not None:
            size, blobs = block
            del buffer[: len(BLOCK_MARKER) + 4 + size]
            yield from blobs
            continue
        if exhausted:
            if buffer:
                yield lost_bytes(bytes(buffer), "truncated block at the end of the file")
            return
        try:
            buffer += next(blocks)
        except StopIteration:
            exhausted = True
        except LzopError as error:
            yield lost_bytes(bytes(buffer), f"unreadable lzop data: {error}")
            buffer.clear()
            exhausted = True


def _block_complete(buffer: bytearray) -> tuple[int, list[Record]] | None:
    """(size, records) of the block at the start of the buffer, or None while it is incomplete. A size no block
    can have is damage: the marker alone is consumed, as a bad row, and the search goes on after it."""
    header = len(BLOCK_MARKER) + 4
    if len(buffer) < header:
        return None
    (size,) = _LE_U32.unpack_from(buffer, len(BLOCK_MARKER))
    if size > MAX_BLOCK_BYTES:
        return 0, [lost_bytes(bytes(buffer[:header]), f"block size {size} out of range")]
    if len(buffer) < header + size:
        return None
    body = bytes(buffer[header: header + size])
    try:
        return size, [blob for blob in serialized_block_blobs(body) if blob]
    except ValueError as error:
        return size, [lost_bytes(body, f"unreadable block: {error}")]


def serialized_block_blobs(body: bytes) -> list[bytes]:
    """The `proto_blobs` (field 3) of an Elephant Bird SerializedBlock protobuf message."""
    blobs, offset = [], 0
    while offset < len(body):
        key, offset = _varint(body, offset)
        field_number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, offset = _varint(body, offset)
        elif wire_type == 2:
            length, offset = _varint(body, offset)
            if offset + length > len(body):
                raise ValueError("protobuf field runs past the block")
            if field_number == 3:
                blobs.append(body[offset: offset + length])
            offset += length
        else:
            raise ValueError(f"unexpected protobuf wire type {wire_type}")
    return blobs


def _varint(body: bytes, offset: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if offset >= len(body) or shift > 63:
            raise ValueError("bad protobuf varint")
        byte = body[offset]
        value |= (byte & 0x7F) << shift
        offset += 1
        shift += 7
        if not byte & 0x80:
            return value, offset


def binary_records(stream: BinaryIO) -> Iterator[Record]:
    """Self-delimiting binary records, each optionally followed by a newline (S3 Loader's gzip serializer)."""
    buffer, offset, eof = bytearray(), 0, False

    def refill() -> None:
        nonlocal buffer, offset, eof
        del buffer[:offset]  # compact once per read, not once per record
        offset = 0
        chunk = stream.read(READ_SIZE)
        eof = not chunk
        buffer += chunk

    while offset < len(buffer) or not eof:
        try:
            end = tbinary.struct_end(buffer, offset)
        except tbinary.IncompleteRecord:
            if eof:
                yield lost_bytes(bytes(buffer[offset:]), "truncated record at the end of the file")
                return
            refill()
            continue
        except tbinary.CorruptRecord as error:
            skip = _next_record_start(buffer, offset)
            if skip is None and not eof and len(buffer) - offset < tbinary.MAX_RECORD_BYTES:
                refill()
                continue
            stop = skip if skip is not None else len(buffer)
            yield lost_bytes(bytes(buffer[offset:stop]), f"not a Thrift record: {error}")
            offset = stop
            continue
        if end == len(buffer) and not eof:
            refill()  # the separating newline may be in the next chunk
            continue
        yield bytes(buffer[offset:end])
        offset = end + 1 if buffer[end: end + 1] == b"\n" else end


def _next_record_start(buffer: bytearray, offset: int) -> int | None:
    position = buffer.find(b"\n" + COLLECTOR_PAYLOAD_FIRST_BYTES, offset + 1)
    return position + 1 if position >= 0 else None


def base64_records(stream: BinaryIO) -> Iterator[Record]:
    """One base64 record per line (standard alphabet, `=` padding optional); blank lines are skipped."""
    for raw in stream:
        line = raw.strip()
        if not line:
            continue
        try:
            yield base64.b64decode(line + b"=" * (-len(line) % 4), altchars=b"-_" if b"-" in line or b"_" in line
                                   else None, validate=True)
        except (binascii.Error, ValueError) as error:
            text = line.decode("utf-8", "replace")
            yield BadRowData(type="collector_payload_format_violation", payload=text, failure={
                "timestamp": iso_timestamp(), "loader": LOADER,
                "message": {"payloadField": "base64", "value": text[:512], "expectation": f"base64: {error}"}})


# --- records --------------------------------------------------------------------------------------------------


def lost_bytes(data: bytes, error: str) -> BadRowData:
    """One bad row for bytes that hold no readable record (its payload is their base64, as enrich's)."""
    return BadRowData(type="collector_payload_format_violation", payload=base64_payload(data),
                      failure={"timestamp": iso_timestamp(), "loader": LOADER, "message": {"error": error}})


def legacy_convert(record: bytes) -> bytes:
    """A pre-R60 SnowplowRawEvent becomes the tp1 CollectorPayload enrich made of it; anything else is returned
    as it is, for enrichment's loader to accept or reject."""
    if record.startswith(COLLECTOR_PAYLOAD_FIRST_BYTES):
        return record
    try:
        if SCHEMA_FIELD_ID in tbinary.top_level_ids(record):
            return record
        legacy = deserialize(_legacy.SnowplowRawEvent(), record, _protocol)
    except Exception:  # not legacy either: enrichment's loader reports the decode error as a bad row
        return record
    if legacy.timestamp is None or legacy.payload is None:
        return record
    return payload_serialize(CollectorPayload(
        schema=SCHEMA, ipAddress=legacy.ipAddress, timestamp=legacy.timestamp, encoding=legacy.encoding,
        collector=legacy.collector, userAgent=legacy.userAgent, refererUri=legacy.refererUri, path="/i",
        querystring=(legacy.payload.data or "").encode("utf-8"), headers=legacy.headers,
        hostname=legacy.hostname, networkUserId=legacy.networkUserId,
    ))
