"""Rate limits per client IP and per app id: token buckets held in each worker process.

A request over the limit is answered 429 before anything is stored, so nothing already answered 2xx is ever
dropped, and trackers retry a 429 later. Per-process buckets keep the hot path free of any network round trip;
with N workers the effective limit is up to N times the setting (see docs/privacy.md).
"""

from __future__ import annotations

import time

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
