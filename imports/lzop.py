"""Streaming reader of lzop files (hadoop-lzo `LzopCodec`), the container of Snowplow's LZO raw archives.

The LZO1X blocks are decompressed by `lzallright` (Rust, manylinux wheels, maintained by the unblob team).
`python-lzo` 1.15 would do too, but ships no wheels and needs liblzo2 headers to build."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

MAGIC = b"\x89LZO\x00\r\n\x1a\n"
F_ADLER32_D, F_ADLER32_C, F_H_EXTRA_FIELD = 0x1, 0x2, 0x40
F_CRC32_D, F_CRC32_C, F_H_FILTER = 0x100, 0x200, 0x800
MAX_BLOCK = 64 << 20
_U32 = struct.Struct(">I")


class LzopError(ValueError):
    """The file is not lzop, is truncated, or a block does not decompress."""


def lzop_blocks(stream: BinaryIO) -> Iterator[bytes]:
    """Yield the decompressed blocks of an lzop stream, header checked, checksums verified when present."""
    decompress = _decompressor()
    flags = _header(stream)
    while True:
        plain_size = _u32(stream)
        if plain_size == 0:
            return
        stored_size = _u32(stream)
        if plain_size > MAX_BLOCK or stored_size > plain_size:
            raise LzopError(f"block sizes {stored_size}/{plain_size} out of range")
        plain_check = _u32(stream) if flags & (F_ADLER32_D | F_CRC32_D) else None
        if flags & F_ADLER32_D and flags & F_CRC32_D:
            _u32(stream)
        stored_check = None
        if stored_size < plain_size and flags & (F_ADLER32_C | F_CRC32_C):
            stored_check = _u32(stream)
            if flags & F_ADLER32_C and flags & F_CRC32_C:
                _u32(stream)
        data = _read(stream, stored_size)
        if stored_check is not None:
            _verify(data, stored_check, flags & F_ADLER32_C)
        if stored_size < plain_size:
            try:
                data = decompress(data, plain_size)
            except Exception as error:  # lzallright raises its own LZOError types
                raise LzopError(f"LZO block does not decompress: {error}") from error
        if plain_check is not None:
            _verify(data, plain_check, flags & F_ADLER32_D)
        yield data


def _decompressor():
    try:
        from lzallright import LZOCompressor
    except ImportError as error:
        raise LzopError("reading LZO archives needs the lzallright package: pip install lzallright") from error
    return lambda data, size: LZOCompressor.decompress(data, output_size_hint=size)


def _header(stream: BinaryIO) -> int:
    """Check the magic and skip the header; return its flags."""
    if _read(stream, len(MAGIC)) != MAGIC:
        raise LzopError("not an lzop file (bad magic)")
    version = struct.unpack(">H", _read(stream, 2))[0]
    _read(stream, 2)  # library version
    if version >= 0x0940:
        _read(stream, 2)  # version needed to extract
    _read(stream, 1)  # method
    if version >= 0x0940:
        _read(stream, 1)  # level
    flags = _u32(stream)
    if flags & F_H_FILTER:
        _u32(stream)
    _read(stream, 8)  # mode, mtime low
    if version >= 0x0940:
        _u32(stream)  # mtime high
    name_length = _read(stream, 1)[0]
    _read(stream, name_length)
    _u32(stream)  # header checksum
    if flags & F_H_EXTRA_FIELD:
        _read(stream, _u32(stream))
        _u32(stream)
    return flags


def _verify(data: bytes, expected: int, adler: int) -> None:
    actual = zlib.adler32(data) if adler else zlib.crc32(data)
    if actual & 0xFFFFFFFF != expected:
        raise LzopError("block checksum mismatch")


def _u32(stream: BinaryIO) -> int:
    return _U32.unpack(_read(stream, 4))[0]


def _read(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise LzopError("truncated lzop file")
    return data
