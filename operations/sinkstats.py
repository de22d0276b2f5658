"""The raw sink seen from outside: pending payloads, the age of the oldest one, consumers and their claims."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from django.db import connection

from collector.sinks import RawSink, get_sink

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerStats:
    """A Redis consumer-group member: entries it claimed but has not acknowledged, and its idle time."""

    name: str
    pending: int
    idle_seconds: float


@dataclass(frozen=True)
class SinkStats:
    kind: str
    pending: int
    oldest_at: datetime | None  # when the oldest unprocessed payload was received
    received_total: int | None
    consumers: list[ConsumerStats] = field(default_factory=list)
    error: str = ""

    def lag_seconds(self, now: datetime) -> float | None:
        """How long the oldest unprocessed payload has waited at `now` (None when nothing waits)."""
        return max(0.0, (now - self.oldest_at).total_seconds()) if self.oldest_at else None

    @property
    def claimed(self) -> int:
        return sum(consumer.pending for consumer in self.consumers)


def get_sink_stats(sink: RawSink | None = None) -> SinkStats:
    """Read the sink's state; an unreachable sink is reported, never raised."""
    sink = sink or get_sink()
    try:
        if sink.name == "redis":
            return _redis_stats(sink)
        return _postgres_stats()
    except (redis.RedisError, OSError) as error:
        logger.warning("could not read the raw sink's state: %s", error)
        return SinkStats(sink.name, 0, None, None, error=str(error))


def _postgres_stats() -> SinkStats:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(received_at) FROM collector_rawpayload")
        pending, oldest = cursor.fetchone()
        cursor.execute("SELECT last_value, is_called FROM collector_rawpayload_id_seq")
        last_value, is_called = cursor.fetchone()
    return SinkStats("postgres", int(pending), oldest, int(last_value) if is_called else 0)


def _redis_stats(sink: RawSink) -> SinkStats:
    client: redis.Redis = sink.client
    sink.ensure_group()
    info = client.xinfo_stream(sink.stream)
    first = info.get("first-entry")
    # Entry ids start with Redis' clock in milliseconds at XADD time.
    oldest = datetime.fromtimestamp(int(first[0].split(b"-")[0]) / 1000, UTC) if first else None
    consumers = [
        ConsumerStats(_text(c["name"]), int(c["pending"]), int(c["idle"]) / 1000)
        for c in client.xinfo_consumers(sink.stream, sink.group)
    ]
    received = info.get("entries-added")  # Redis 7+; older servers leave the collected chart empty
    return SinkStats("redis", int(info["length"]), oldest, int(received) if received is not None else None, consumers)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def idle_consumers_forget(max_idle_seconds: float = 86_400, sink: RawSink | None = None) -> int:
    """Remove consumer-group members that hold nothing and were idle for a day (pool processes long gone).

    Every worker process joins the group under its own name, so without this the group lists every process
    that ever ran. A member still holding entries is kept: its entries wait to be reclaimed.
    """
    sink = sink or get_sink()
    stats = get_sink_stats(sink)
    forgotten = 0
    for consumer in stats.consumers:
        if consumer.pending == 0 and consumer.idle_seconds > max_idle_seconds:
            sink.client.xgroup_delconsumer(sink.stream, sink.group, consumer.name)
            forgotten += 1
    return forgotten
