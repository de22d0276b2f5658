"""Raw sink on a Redis Stream: XADD to write, a consumer group to drain, XAUTOCLAIM for dead consumers.

Durability comes from Redis persistence: with `appendonly yes` and `appendfsync always` an acknowledged
XADD survives a crash; `everysec` may lose up to about one second of writes on a power loss or kernel
crash (not on a Redis process crash); `no` leaves it to the operating system (about 30 seconds).
"""

from __future__ import annotations

import asyncio
import logging

import redis
import redis.asyncio as aredis
from django.conf import settings
from django.db import transaction

from collector.sinks.base import ClaimedPayload, RawSink
from collector.sinks.resp import XaddWriter

logger = logging.getLogger(__name__)
FIELD = b"p"
RECLAIM_IDLE_MS = 60_000


class RedisStreamSink(RawSink):
    name = "redis"

    def __init__(self, url: str, stream: str, group: str) -> None:
        super().__init__()
        self.url = url
        self.stream = stream
        self.group = group
        self._async: aredis.Redis | None = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._sync: redis.Redis | None = None
        self._group_ready = False

    @property
    def client(self) -> redis.Redis:
        if self._sync is None:
            self._sync = redis.Redis.from_url(self.url, socket_timeout=10)
        return self._sync

    def _async_client(self) -> aredis.Redis:
        loop = asyncio.get_running_loop()
        if self._async is None or self._async_loop is not loop:
            self._async = aredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
            self._async_loop = loop
        return self._async

    def group_writer(self) -> XaddWriter:
        """XADDs pipelined over a raw protocol whose reply parser answers the waiting requests (resp.py)."""
        return XaddWriter(self.url, self.stream, FIELD)

    async def write_batch_async(self, records: list[bytes]) -> None:
        """The records in one round trip of their own; raises SinkUnavailable (RespError) on any failure."""
        writer = self._writer
        if writer is None or not writer.usable():
            writer = self._writer = self.group_writer()
        await writer.write_batch(records)

    def write_batch(self, records: list[bytes]) -> list[str]:
        pipe = self.client.pipeline(transaction=False)
        for record in records:
            pipe.xadd(self.stream, {FIELD: record})
        return [entry_id.decode() for entry_id in pipe.execute()]

    def ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._group_ready = True

    def claim(self, count: int, consumer: str) -> list[ClaimedPayload]:
        """Reclaim entries idle in dead consumers first, then read new ones."""
        self.ensure_group()
        idle_ms = getattr(settings, "RAW_RECLAIM_IDLE_MS", RECLAIM_IDLE_MS)
        _, reclaimed, *_ = self.client.xautoclaim(
            self.stream, self.group, consumer, min_idle_time=idle_ms, start_id="0-0", count=count
        )
        entries = [(entry_id, fields) for entry_id, fields in reclaimed if fields]
        if len(entries) < count:
            response = self.client.xreadgroup(self.group, consumer, {self.stream: ">"}, count=count - len(entries))
            for _, stream_entries in response or []:
                entries.extend(stream_entries)
        return [ClaimedPayload(entry_id.decode(), fields[FIELD]) for entry_id, fields in entries]

    def ack(self, claimed: list[ClaimedPayload]) -> None:
        """Acknowledge and delete only after the load transaction commits (DESIGN contract 2)."""
        ids = [payload.id for payload in claimed]
        if ids:
            transaction.on_commit(lambda: self._ack_now(ids))

    def _ack_now(self, ids: list[str]) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.xack(self.stream, self.group, *ids)
        pipe.xdel(self.stream, *ids)
        pipe.execute()

    def pending_count(self) -> int:
        return int(self.client.xlen(self.stream))

    async def healthy(self) -> bool:
        try:
            return bool(await self._async_client().ping())
        except (redis.RedisError, OSError):
            return False
