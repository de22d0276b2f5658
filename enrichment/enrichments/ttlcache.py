"""A bounded LRU cache whose entries expire: remote lookups (API, SQL, weather) are cached like enrich does."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

MISSING = object()


class TtlCache:
    """Least-recently-used entries go first when full; an entry older than its ttl is a miss."""

    def __init__(self, size: int, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size = max(size, 1)
        self.ttl = ttl_seconds
        self.clock = clock
        self.entries: OrderedDict[Any, tuple[float, Any]] = OrderedDict()

    def get(self, key: Any) -> Any:
        """The cached value, or MISSING."""
        entry = self.entries.get(key)
        if entry is None:
            return MISSING
        expires, value = entry
        if self.clock() >= expires:
            del self.entries[key]
            return MISSING
        self.entries.move_to_end(key)
        return value

    def put(self, key: Any, value: Any, ttl_seconds: float | None = None) -> None:
        self.entries[key] = (self.clock() + (self.ttl if ttl_seconds is None else ttl_seconds), value)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
