"""A minimal Thrift binary-protocol walker: where a record ends and which top-level field ids it has.

Raw archives frame records without length prefixes (they are self-delimiting, log-formats spec 5.2), so
finding record boundaries needs only the wire types, not the IDL."""

from __future__ import annotations

import struct

STOP, BOOL, BYTE, DOUBLE, I16, I32, I64, STRING, STRUCT, MAP, SET, LIST = 0, 2, 3, 4, 6, 8, 10, 11, 12, 13, 14, 15
_FIXED = {BOOL: 1, BYTE: 1, DOUBLE: 8, I16: 2, I32: 4, I64: 8}
_I32 = struct.Struct(">i")
# No CollectorPayload comes near this; a larger length is corruption, not a record to wait for.
MAX_RECORD_BYTES = 64 << 20
MAX_DEPTH = 32


class IncompleteRecord(Exception):
    """The buffer ends inside the record: read more and try again."""


class CorruptRecord(ValueError):
    """The bytes cannot be a Thrift binary struct."""


def struct_end(buffer: bytes | bytearray | memoryview, start: int = 0) -> int:
    """Return the offset just past the struct starting at `start` (its STOP byte included)."""
    return _skip(buffer, start, STRUCT, 0)


def top_level_ids(buffer: bytes) -> set[int]:
    """The field ids of the top-level struct, e.g. to tell a CollectorPayload (31337) from a legacy record."""
    ids, offset = set(), 0
    while True:
        field_type = _byte(buffer, offset)
        if field_type == STOP:
            return ids
        ids.add(struct.unpack_from(">h", buffer, offset + 1)[0])
        offset = _skip(buffer, offset + 3, field_type, 1)


def _skip(buffer, offset: int, wire_type: int, depth: int) -> int:
    if depth > MAX_DEPTH:
        raise CorruptRecord("nesting too deep")
    if wire_type in _FIXED:
        return _need(buffer, offset + _FIXED[wire_type])
    if wire_type == STRING:
        return _need(buffer, offset + 4 + _length(buffer, offset))
    if wire_type == STRUCT:
        while True:
            field_type = _byte(buffer, offset)
            if field_type == STOP:
                return offset + 1
            offset = _skip(buffer, _need(buffer, offset + 3), field_type, depth + 1)
    if wire_type in (LIST, SET):
        element, count = _byte(buffer, offset), _length(buffer, offset + 1)
        offset += 5
        for _ in range(count):
            offset = _skip(buffer, offset, element, depth + 1)
        return offset
    if wire_type == MAP:
        key, value, count = _byte(buffer, offset), _byte(buffer, offset + 1), _length(buffer, offset + 2)
        offset += 6
        for _ in range(count):
            offset = _skip(buffer, _skip(buffer, offset, key, depth + 1), value, depth + 1)
        return offset
    raise CorruptRecord(f"unknown wire type {wire_type}")


def _need(buffer, end: int) -> int:
    if end > len(buffer):
        raise IncompleteRecord
    return end


def _byte(buffer, offset: int) -> int:
    _need(buffer, offset + 1)
    return buffer[offset]


def _length(buffer, offset: int) -> int:
    _need(buffer, offset + 4)
    (length,) = _I32.unpack_from(buffer, offset)
    if not 0 <= length <= MAX_RECORD_BYTES:
        raise CorruptRecord(f"length {length} out of range")
    return length
