"""The raw-sink contract shared by the Redis Stream and PostgreSQL table implementations (DESIGN contract 2)."""

from __future__ import annotations

import abc
from collections.abc import Awaitable
from dataclasses import dataclass

from collector.sinks.group_commit import GroupCommitWriter


class SinkUnavailable(Exception):
    """The sink could not durably store a payload; the collector answers 503 so trackers retry."""


@dataclass(frozen=True)
class ClaimedPayload:
    """A payload taken from the sink by a drain; `id` is the manifest key (stream entry id or row id)."""

    id: str
    data: bytes


class RawSink(abc.ABC):
    name: str = "sink"

    def __init__(self) -> None:
        self._writer: GroupCommitWriter | None = None  # or any object with usable() and write(record)

    def write(self, record: bytes) -> Awaitable[None]:
        """Store one record durably: the awaitable resolves once stored. Concurrent calls share one round trip."""
        writer = self._writer
        if writer is None or not writer.usable():
            writer = self._writer = self.group_writer()
        return writer.write(record)

    def group_writer(self) -> GroupCommitWriter:
        """The group commit for the running event loop: by default, batches handed to `write_batch_async`."""
        return GroupCommitWriter(self.write_batch_async)

    @abc.abstractmethod
    async def write_batch_async(self, records: list[bytes]) -> None:
        """Store records in one round trip; raise SinkUnavailable on any failure."""

    @abc.abstractmethod
    def write_batch(self, records: list[bytes]) -> list[str]:
        """Synchronous write for imports, replays and tests; return the new ids."""

    @abc.abstractmethod
    def claim(self, count: int, consumer: str) -> list[ClaimedPayload]:
        """Take up to `count` unprocessed payloads, oldest first. Called inside the load transaction."""

    @abc.abstractmethod
    def ack(self, claimed: list[ClaimedPayload]) -> None:
        """Mark payloads done. Called inside the load transaction; takes effect only if it commits."""

    @abc.abstractmethod
    def pending_count(self) -> int:
        """How many payloads wait to be processed (including claimed, unacknowledged ones)."""

    @abc.abstractmethod
    async def healthy(self) -> bool:
        """True when a write would succeed now."""
