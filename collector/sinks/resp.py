"""A single-purpose asyncio Redis connection that pipelines XADDs, for the collector's hot path.

redis-py's asyncio client spends about 20 microseconds per command packing arguments in Python, as much
as the rest of a pixel request; here one batch of XADDs is encoded with a few joins and its replies read
straight from the socket. Everything else (drains, health checks) keeps using redis-py.

`XaddWriter` is the collector's group commit for Redis (see group_commit.py for the general one) built on a
raw `asyncio.Protocol`: the reply parser resolves the batch's shared future from `data_received` and sends
the records that arrived meanwhile as the next batch, so there is no flusher task, no StreamReader and no
timeout context per batch (one watchdog timer checks the batch in flight).
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from urllib.parse import unquote, urlsplit

from collector.sinks.base import SinkUnavailable
from collector.sinks.group_commit import BatchWritten


class RespError(SinkUnavailable):
    """Redis could not be reached, or answered an error; the connection is closed afterwards."""


def encode_command(*args: bytes) -> bytes:
    """RESP array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


def handshake_commands(parts) -> list[bytes]:
    """AUTH and SELECT for a redis:// URL, as needed."""
    commands = []
    if parts.password:
        user = unquote(parts.username) if parts.username else None
        credentials = [user.encode()] if user else []
        commands.append(encode_command(b"AUTH", *credentials, unquote(parts.password).encode()))
    database = (parts.path or "/0").strip("/") or "0"
    if database != "0":
        commands.append(encode_command(b"SELECT", database.encode()))
    return commands


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


class XaddWriter:
    """Group commit of XADDs over one connection: at most one batch in flight, the next one filled meanwhile.

    An idle collector sends a record on the next turn of the event loop (with whatever else arrived in that
    turn); a busy one sends everything that arrived during a round trip as soon as its replies are read.
    Every record of one batch shares one future, resolved only once Redis answered each XADD of the batch;
    if anything fails (error reply, connection lost, no answer within `timeout`) the batch's future fails,
    the connection is closed and the next batch opens a new one.
    """

    def __init__(self, url: str, stream: str, field: bytes, timeout: float = 5.0, max_batch: int = 512) -> None:
        self.url, self.timeout, self.max_batch = url, timeout, max_batch
        self._prefix = b"*5\r\n$4\r\nXADD\r\n" + b"$%d\r\n%s\r\n" % (len(stream.encode()), stream.encode())
        self._prefix += b"$1\r\n*\r\n" + b"$%d\r\n%s\r\n" % (len(field), field)
        self._loop = asyncio.get_running_loop()
        self._pending: list[bytes] = []
        self._done: asyncio.Future[None] | None = None
        self._queued: deque[tuple[list[bytes], asyncio.Future[None]]] = deque()  # full batches not yet sent
        self._protocol: _XaddProtocol | None = None
        self._connecting = False
        self._scheduled = False
        self._in_flight: asyncio.Future[None] | None = None
        self._expected = 0  # replies still to come for the batch in flight
        self._sent_at = 0.0
        self._watchdog: asyncio.TimerHandle | None = None
        self.round_trips = 0

    def usable(self) -> bool:
        """False once the event loop it was made on is no longer the running one (tests run several loops)."""
        return self._loop is asyncio.get_running_loop()

    def write(self, record: bytes) -> asyncio.Future[None]:
        """Queue `record`; the returned future resolves once the batch holding it was stored."""
        pending = self._pending
        if not pending or len(pending) >= self.max_batch:
            if pending:
                self._queued.append((pending, self._done))
            self._pending = pending = []
            self._done = BatchWritten(loop=self._loop)
        pending.append(record)
        done = self._done
        if self._in_flight is None and not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._send)
        return done

    def write_batch(self, records: list[bytes]) -> asyncio.Future[None]:
        """Queue `records` as one batch of their own (one round trip)."""
        done = BatchWritten(loop=self._loop)
        if not records:
            done.set_result(None)
            return done
        self._queued.append((list(records), done))
        if self._in_flight is None and not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._send)
        return done

    def _send(self) -> None:
        self._scheduled = False
        if self._in_flight is not None or self._connecting:
            return
        if self._queued:
            batch, done = self._queued.popleft()
        elif self._pending:
            batch, done = self._pending, self._done
            self._pending, self._done = [], None
        else:
            return
        protocol = self._protocol
        if protocol is None or protocol.transport is None or protocol.transport.is_closing():
            self._queued.appendleft((batch, done))  # sent once connected
            self._connecting = True
            self._loop.create_task(self._connect())
            return
        prefix = self._prefix
        self._in_flight, self._expected = done, len(batch)
        self._sent_at = self._loop.time()
        self.round_trips += 1
        parts = []
        for record in batch:
            parts += (prefix, b"$%d\r\n" % len(record), record, b"\r\n")
        protocol.transport.write(b"".join(parts))
        if self._watchdog is None:
            self._watchdog = self._loop.call_later(self.timeout, self._check_timeout)

    def _replies(self, count: int) -> None:
        """`count` XADD replies were read: resolve the batch once all are in, then send the next one."""
        self._expected -= count
        if self._expected > 0:
            return
        done, self._in_flight = self._in_flight, None
        if self._expected < 0 or done is None:
            self._fail(RespError("more replies than commands sent"))
            return
        if not done.done():
            done.set_result(None)
        if self._pending or self._queued:
            self._send()

    def _fail(self, error: Exception) -> None:
        """Fail the batch in flight and drop the connection; later batches open a new one."""
        protocol, self._protocol = self._protocol, None
        if protocol is not None:
            protocol.close()
        done, self._in_flight = self._in_flight, None
        if done is not None and not done.done():
            done.set_exception(error)
        if (self._pending or self._queued) and not self._scheduled and not self._connecting:
            self._scheduled = True
            self._loop.call_soon(self._send)

    def _fail_waiting(self, error: Exception) -> None:
        """The connection could not be opened: every batch waiting for it fails."""
        waiting = list(self._queued)
        self._queued.clear()
        if self._pending:
            waiting.append((self._pending, self._done))
            self._pending, self._done = [], None
        for _, done in waiting:
            if not done.done():
                done.set_exception(error)

    def _check_timeout(self) -> None:
        self._watchdog = None
        if self._in_flight is None:
            return
        waited = self._loop.time() - self._sent_at
        if waited >= self.timeout:
            self._fail(RespError(f"TimeoutError: no reply from Redis within {self.timeout}s"))
        else:
            self._watchdog = self._loop.call_later(self.timeout - waited, self._check_timeout)

    async def _connect(self) -> None:
        protocol = None
        try:
            async with asyncio.timeout(self.timeout):
                parts = urlsplit(self.url)
                if parts.scheme == "unix":
                    _, protocol = await self._loop.create_unix_connection(lambda: _XaddProtocol(self), parts.path)
                else:
                    context = ssl.create_default_context() if parts.scheme == "rediss" else None
                    _, protocol = await self._loop.create_connection(
                        lambda: _XaddProtocol(self), parts.hostname or "localhost", parts.port or 6379, ssl=context)
                await protocol.handshake(handshake_commands(parts))
        except (OSError, EOFError, TimeoutError, RespError, ValueError) as error:
            if protocol is not None:
                protocol.close()
            self._connecting = False
            self._fail_waiting(error if isinstance(error, RespError) else RespError(f"{type(error).__name__}: {error}"))
            return
        except BaseException:
            self._connecting = False
            raise
        self._protocol = protocol
        self._connecting = False
        self._send()


class _XaddProtocol(asyncio.Protocol):
    """One connection of an XaddWriter; after the handshake every reply is an XADD's entry id."""

    def __init__(self, writer: XaddWriter) -> None:
        self.writer = writer
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self._handshake: tuple[list[int], asyncio.Future[None]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    async def handshake(self, commands: list[bytes]) -> None:
        if not commands:
            return
        waiter = self.writer._loop.create_future()
        self._handshake = ([len(commands)], waiter)
        self.transport.write(b"".join(commands))
        await waiter

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data if self.buffer else data
        if self._handshake is not None:
            self.buffer = self._handshake_replies(buffer)
            return
        if self.writer._protocol is not self:
            return
        # XADD replies are `$<n>\r\n<id>\r\n`; an id holds neither `$` nor CRLF, and no reply starts with `-`
        # unless it is an error. So a buffer of complete replies is told by two counts, without a loop.
        if buffer[-2:] == b"\r\n" and buffer[:1] == b"$" and b"\r\n-" not in buffer:
            replies = buffer.count(b"$")
            if buffer.count(b"\r\n") == 2 * replies:
                self.buffer = b""
                self.writer._replies(replies)
                return
        ids: list[bytes] = []
        try:
            self.buffer = _parse_bulk_replies(buffer, ids)
        except RespError as error:
            self.buffer = b""
            self.writer._fail(error)
            return
        if ids:
            self.writer._replies(len(ids))

    def _handshake_replies(self, buffer: bytes) -> bytes:
        remaining, waiter = self._handshake
        while remaining[0] and (end := buffer.find(b"\r\n")) >= 0:
            line, buffer = buffer[:end], buffer[end + 2:]
            remaining[0] -= 1
            if line[:1] == b"-" and not waiter.done():
                waiter.set_exception(RespError(line[1:].decode("utf-8", "replace")))
        if not remaining[0]:
            self._handshake = None
            if not waiter.done():
                waiter.set_result(None)
        return buffer

    def connection_lost(self, exc: Exception | None) -> None:
        if self._handshake is not None and not self._handshake[1].done():
            self._handshake[1].set_exception(EOFError("Redis closed the connection"))
        self.transport = None
        if self.writer._protocol is self:
            self.writer._fail(RespError(f"Redis closed the connection: {exc!r}" if exc else
                                        "Redis closed the connection"))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
