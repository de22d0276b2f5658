"""Group commit: concurrent requests' records written in one round trip before each request is answered."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class BatchWritten(asyncio.Future):
    """The future that every request of one batch awaits; one request's cancellation does not cancel it.

    A task cancelled while awaiting it is told so once the batch is written (asyncio retries the
    cancellation when `cancel` returns False), so the other requests of the batch are never affected.
    """

    def cancel(self, msg: object = None) -> bool:
        return False


class GroupCommitWriter:
    """Collect records while a flush is in flight and write them together in the next one.

    An idle collector writes each record at once (no added latency); a busy one amortises the round
    trip over every request that arrived during the previous write. Each caller returns only after the
    batch holding its record was written, and sees the exception if that write failed.
    """

    def __init__(self, flush: Callable[[list[bytes]], Awaitable[None]], max_batch: int = 512) -> None:
        self._flush = flush
        self._max_batch = max_batch
        self._pending: list[bytes] = []
        self._done: asyncio.Future[None] | None = None  # resolved when the pending records are written
        self._batches: list[tuple[list[bytes], asyncio.Future[None]]] = []  # full batches not yet flushed
        self._flusher: asyncio.Task[None] | None = None
        self._loop = asyncio.get_running_loop()

    def usable(self) -> bool:
        """False once the event loop it was made on is no longer the running one (tests run several loops)."""
        return self._loop is asyncio.get_running_loop()

    def write(self, record: bytes) -> asyncio.Future[None]:
        """Queue `record`; the returned future resolves once the batch holding it was written.

        All records of one batch share one future, so a busy collector makes one future per round trip,
        not one per request.
        """
        pending = self._pending
        if not pending or len(pending) >= self._max_batch:
            if pending:  # a full batch: later records go into the next one
                self._batches.append((pending, self._done))
            self._pending = pending = []
            self._done = BatchWritten(loop=self._loop)
        pending.append(record)
        done = self._done
        if self._flusher is None or self._flusher.done():
            self._flusher = self._loop.create_task(self._flush_pending())
        return done

    async def _flush_pending(self) -> None:
        while self._batches or self._pending:
            if self._batches:
                batch, done = self._batches.pop(0)
            else:
                batch, done = self._pending, self._done
                self._pending, self._done = [], None
            try:
                await self._flush(batch)
            except Exception as error:  # every waiting request must learn its write failed
                if not done.done():
                    done.set_exception(error)
            else:
                if not done.done():
                    done.set_result(None)
