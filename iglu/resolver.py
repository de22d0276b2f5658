"""Resolve a schema key through ordered repositories, caching hits and misses (iglu-scala-client's algorithm)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from iglu.errors import LookupHistory, RegistryUnavailable, RepoError, SchemaNotFound
from iglu.keys import SchemaKey, SchemaVer
from iglu.repositories import LookupFailure, Repository
from iglu.validation import schema_hash

MAX_SUPERSEDED_HOPS = 10  # a chain of $supersededBy longer than this is a loop or a mistake


@dataclass(frozen=True)
class ResolvedSchema:
    """A schema found for `key`; `schema` is the superseding version's when `superseded_by` is set."""

    key: SchemaKey
    schema: dict[str, Any]
    digest: str
    repository: str
    superseded_by: str | None = None
    cached_at: float = 0.0


@dataclass
class _Miss:
    histories: dict[str, LookupHistory]


@dataclass
class _Entry:
    value: ResolvedSchema | _Miss
    stored_at: float = field(default=0.0)


def retry_backoff_seconds(attempts: int) -> float:
    """iglu-scala-client's backoff before asking a failing repository again: min(500 ms + 4^n ms, 60 s)."""
    return min(0.5 + (4 ** min(attempts, 10)) / 1000, 60.0)


class Resolver:
    """Ask repositories in Snowplow's order; remember answers for `cache_ttl` seconds (None: until cleared)."""

    def __init__(
        self,
        repositories: Sequence[Repository],
        cache_size: int = 500,
        cache_ttl: float | None = 600,
        max_retries: int = 2,
        max_wait: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.repositories = list(repositories)
        self.cache_size = max(int(cache_size), 0)
        self.cache_ttl = cache_ttl
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def ordered_repositories(self, vendor: str) -> list[Repository]:
        return sorted(self.repositories, key=lambda repo: repo.order_key(vendor))

    def resolve(self, key: SchemaKey) -> ResolvedSchema:
        """Return the schema (following `$supersededBy`), or raise SchemaNotFound / RegistryUnavailable."""
        resolved = self._lookup(key)
        hops = 0
        while isinstance(resolved.schema.get("$supersededBy"), str) and hops < MAX_SUPERSEDED_HOPS:
            target = _superseding_version(resolved.key, resolved.schema["$supersededBy"])
            if target is None:
                break
            newer = self._lookup(resolved.key.with_version(target))
            cached_at = min(resolved.cached_at, newer.cached_at)
            resolved = ResolvedSchema(key, newer.schema, newer.digest, newer.repository, target, cached_at)
            hops += 1
        return resolved

    def _lookup(self, key: SchemaKey) -> ResolvedSchema:
        now = self._clock()
        entry = self._cache_get(key.uri, now)
        if entry is not None and isinstance(entry.value, ResolvedSchema):
            return entry.value
        if entry is None:
            return self._ask_repositories(key, {}, now, now)
        return self._ask_repositories(key, entry.value.histories, now, entry.stored_at)

    def _ask_repositories(
        self, key: SchemaKey, histories: dict[str, LookupHistory], now: float, missed_at: float
    ) -> ResolvedSchema:
        """Ask every repository that is due; a miss keeps the time of the first miss so that it expires."""
        histories = {name: _copy(history) for name, history in histories.items()}
        for repo in self.ordered_repositories(key.vendor):
            history = histories.setdefault(repo.name, LookupHistory(repo.name))
            if not _due(history, now):
                continue
            schema = self._ask(repo, key, history)
            if schema is not None:
                resolved = ResolvedSchema(key, schema, schema_hash(schema), repo.name, cached_at=now)
                self._cache_put(key.uri, _Entry(resolved, now))
                return resolved
        ordered = [histories[repo.name] for repo in self.ordered_repositories(key.vendor)]
        self._cache_put(key.uri, _Entry(_Miss(histories), missed_at))
        if all(h.not_found for h in ordered):
            raise SchemaNotFound(key, ordered)
        raise RegistryUnavailable(key, ordered)

    def _ask(self, repo: Repository, key: SchemaKey, history: LookupHistory) -> dict[str, Any] | None:
        """One repository, retried with a short backoff on failures that are not "not found"."""
        for attempt in range(self.max_retries + 1):
            history.attempts += 1
            history.last_attempt = datetime.now(UTC)
            history.last_attempt_clock = self._clock()
            try:
                return repo.lookup(key)
            except LookupFailure as failure:
                history.errors.append(RepoError(failure.kind, failure.message))
                if failure.kind == "NotFound" or attempt == self.max_retries:
                    return None
                self._sleep(min(self.max_wait, 0.1 * 2**attempt))
        return None

    def list_versions(self, vendor: str, name: str, model: int) -> list[SchemaKey]:
        """Versions of one model from the first repository that knows the family (SchemaCriterion lookups)."""
        for repo in self.ordered_repositories(vendor):
            try:
                keys = repo.list_versions(vendor, name, model)
            except (LookupFailure, NotImplementedError):
                continue
            if keys:
                return keys
        return []

    def expires_at(self, resolved: ResolvedSchema) -> float:
        """When the cached answer behind `resolved` stops being trusted (inf without a TTL)."""
        return float("inf") if self.cache_ttl is None else resolved.cached_at + self.cache_ttl

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def _cache_get(self, uri: str, now: float) -> _Entry | None:
        entry = self._cache.get(uri)
        if entry is None:
            return None
        if self.cache_ttl is not None and now - entry.stored_at >= self.cache_ttl:
            with self._lock:
                self._cache.pop(uri, None)
            return None
        return entry

    def _cache_put(self, uri: str, entry: _Entry) -> None:
        if self.cache_size == 0:
            return
        with self._lock:
            self._cache[uri] = entry
            self._cache.move_to_end(uri)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)


def _due(history: LookupHistory, now: float) -> bool:
    """A repository is asked again unless it said "not found" or is still in its backoff window."""
    if not history.errors:
        return True
    if history.not_found:
        return False
    last = history.last_attempt_clock
    return last is None or now - last >= retry_backoff_seconds(history.attempts)


def _copy(history: LookupHistory) -> LookupHistory:
    return LookupHistory(
        history.repository, list(history.errors), history.attempts, history.last_attempt, history.last_attempt_clock
    )


def _superseding_version(key: SchemaKey, target: str) -> str | None:
    """Follow `$supersededBy` only to a later version, as the Iglu Server enforces on publication."""
    try:
        return target if SchemaVer.parse(target) > key.schemaver else None
    except ValueError:
        return None
