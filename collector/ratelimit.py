"""Rate limits per client IP and per app id: token buckets held in each worker process.

A request over the limit is answered 429 before anything is stored, so nothing already answered 2xx is ever
dropped, and trackers retry a 429 later. Per-process buckets keep the hot path free of any network round trip;
with N workers the effective limit is up to N times the setting. With COLLECTOR_RATE_LIMIT_REDIS the limits are
counted in Redis instead, shared by all workers, at the cost of one round trip (see docs/privacy.md).
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)
MAX_KEYS = 100_000


class TokenBuckets:
    """`per_minute` requests per key, with bursts up to `per_minute`; 0 means unlimited."""

    __slots__ = ("buckets", "capacity", "rate")

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one token for `key`; False when the bucket is empty."""
        if not self.capacity:
            return True
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        if len(self.buckets) >= MAX_KEYS and key not in self.buckets:
            self._forget_full(now)
        self.buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        return allowed

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled (they hold no information); all of them if none has."""
        full = [k for k, (tokens, last) in self.buckets.items() if tokens + (now - last) * self.rate >= self.capacity]
        for key in full or list(self.buckets):
            del self.buckets[key]


class RedisWindows:
    """The same limits shared by every worker and machine: fixed one-minute windows counted in Redis.

    One pipelined round trip (INCR and EXPIRE per key) per limited request. If Redis cannot be reached the request
    is let through (and logged): a limiter outage must not stop collection.
    """

    PREFIX = "spdj:ratelimit:"

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = None
        self._loop = None

    def _get_client(self):
        import asyncio

        import redis.asyncio as aredis

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = aredis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
            self._loop = loop
        return self._client

    async def allow(self, limits: list[tuple[str, int]], now: float | None = None) -> bool:
        """`limits`: (key, per_minute) pairs; True when every key is still within its limit this minute."""
        import redis

        window = int((time.time() if now is None else now) // 60)
        try:
            async with self._get_client().pipeline(transaction=False) as pipe:
                for key, _ in limits:
                    name = f"{self.PREFIX}{key}:{window}"
                    pipe.incr(name)
                    pipe.expire(name, 120)
                replies = await pipe.execute()
        except (redis.RedisError, OSError) as error:
            logger.warning("rate limiter could not reach Redis, letting the request through: %r", error)
            return True
        return all(count <= limit for count, (_, limit) in zip(replies[0::2], limits, strict=True))
