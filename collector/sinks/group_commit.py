"""Group commit: concurrent requests' records written in one round trip before each request is answered."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class GroupCommitWriter:
    """Collect records while a flush is in flight and write them together in the next one.

    An idle collector writes each record at once (no added latency); a busy one amortises the round
    trip over every request that arrived during the previous write. Each caller returns only after the
    batch holding its record was written, and sees the exception if that write failed.
    """

    def __init__(self, flush: Callable[[list[bytes]], Awaitable[None]], max_batch: int = 512) -> None:
        self._flush = flush
        self._max_batch = max_batch
        self._pending: list[tuple[bytes, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._loop = asyncio.get_running_loop()

    def usable(self) -> bool:
        """False once the event loop it was made on is no longer the running one (tests run several loops)."""
        return self._loop is asyncio.get_running_loop()

    async def write(self, record: bytes) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((record, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_pending())
        await future

    async def _flush_pending(self) -> None:
        while self._pending:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                await self._flush([record for record, _ in batch])
            except Exception as error:  # every waiting request must learn its write failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            else:
                for _, future in batch:
                    if not future.done():
                        future.set_result(None)
