"""A single-purpose asyncio Redis connection that pipelines XADDs, for the collector's hot path.

redis-py's asyncio client spends about 20 microseconds per command packing arguments in Python, as much
as the rest of a pixel request; here one batch of XADDs is encoded with a few joins and its replies read
straight from the stream. Everything else (drains, health checks) keeps using redis-py.
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import unquote, urlsplit


class RespError(Exception):
    """Redis could not be reached, or answered an error; the connection is closed afterwards."""


def encode_command(*args: bytes) -> bytes:
    """RESP array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


class XaddConnection:
    """One connection used only to append to one stream; opened lazily on the running loop, dropped on error."""

    def __init__(self, url: str, stream: str, field: bytes, timeout: float = 5.0) -> None:
        self.url, self.timeout = url, timeout
        self._prefix = b"*5\r\n$4\r\nXADD\r\n" + b"$%d\r\n%s\r\n" % (len(stream.encode()), stream.encode())
        self._prefix += b"$1\r\n*\r\n" + b"$%d\r\n%s\r\n" % (len(field), field)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def xadd_many(self, records: list[bytes]) -> list[bytes]:
        """Append each record as one stream entry in one round trip; return the entry ids."""
        try:
            async with asyncio.timeout(self.timeout):
                if self._writer is None or self._loop is not asyncio.get_running_loop():
                    await self._open()
                prefix = self._prefix
                self._writer.write(b"".join([b"%s$%d\r\n%s\r\n" % (prefix, len(r), r) for r in records]))
                return await self._read_replies(len(records))
        except (OSError, EOFError, TimeoutError, RespError, ValueError, asyncio.LimitOverrunError) as error:
            self.close()
            raise RespError(f"{type(error).__name__}: {error}") from error

    async def _open(self) -> None:
        self.close()
        parts = urlsplit(self.url)
        if parts.scheme == "unix":
            self._reader, self._writer = await asyncio.open_unix_connection(parts.path)
        else:
            context = ssl.create_default_context() if parts.scheme == "rediss" else None
            self._reader, self._writer = await asyncio.open_connection(
                parts.hostname or "localhost", parts.port or 6379, ssl=context
            )
        self._loop = asyncio.get_running_loop()
        for command in self._handshake(parts):
            self._writer.write(command)
            await self._read_simple()

    @staticmethod
    def _handshake(parts) -> list[bytes]:
        commands = []
        if parts.password:
            user = unquote(parts.username) if parts.username else None
            credentials = [user.encode()] if user else []
            commands.append(encode_command(b"AUTH", *credentials, unquote(parts.password).encode()))
        database = (parts.path or "/0").strip("/") or "0"
        if database != "0":
            commands.append(encode_command(b"SELECT", database.encode()))
        return commands

    async def _read_simple(self) -> None:
        line = await self._reader.readuntil(b"\r\n")
        if line[:1] == b"-":
            raise RespError(line[1:-2].decode("utf-8", "replace"))

    async def _read_replies(self, count: int) -> list[bytes]:
        """Read `count` bulk-string replies, parsing whatever arrived rather than awaiting each reply."""
        buffer, ids = b"", []
        while len(ids) < count:
            chunk = await self._reader.read(65536)
            if not chunk:
                raise EOFError("Redis closed the connection")
            buffer += chunk
            buffer = _parse_bulk_replies(buffer, ids)
        return ids

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = self._loop = None


def _parse_bulk_replies(buffer: bytes, ids: list[bytes]) -> bytes:
    """Append every complete `$n` reply in `buffer` to `ids` and return the incomplete rest; raise on `-ERR`."""
    position = 0
    while True:
        end = buffer.find(b"\r\n", position)
        if end < 0:
            return buffer[position:]
        kind = buffer[position:position + 1]
        if kind == b"-":
            # The other replies of the pipeline still come; the connection is closed rather than resynchronised.
            raise RespError(buffer[position + 1:end].decode("utf-8", "replace"))
        if kind != b"$":
            raise RespError(f"unexpected reply {buffer[position:end][:40]!r}")
        length = int(buffer[position + 1:end])
        if length < 0:
            raise RespError("XADD answered nil")
        start = end + 2
        stop = start + length
        if len(buffer) < stop + 2:
            return buffer[position:]
        ids.append(buffer[start:stop])
        position = stop + 2
