"""Collector fixtures: settings overrides, the in-memory sink, and real uvicorn/Redis processes."""

from __future__ import annotations

import os
import sys
import types
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis

from tests.collector.support import CollectorServer, MemorySink, RedisServer, memory_sink, reset_collector

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture(autouse=True)
def fresh_collector_config() -> Iterator[None]:
    """Each test reads the settings it set; nothing cached leaks into the next one."""
    reset_collector()
    yield
    reset_collector()


@pytest.fixture
def configure(settings) -> Callable[..., None]:
    """Override COLLECTOR_* settings for one test: `configure(COOKIE_DOMAINS=["acme.com"])`."""

    def apply(**overrides) -> None:
        for name, value in overrides.items():
            setattr(settings, f"COLLECTOR_{name}", value)
        reset_collector()

    return apply


@pytest.fixture
def sink(monkeypatch) -> MemorySink:
    """The collector writes into a list instead of a store."""
    return memory_sink(monkeypatch)


@pytest.fixture
def bad_rows(monkeypatch) -> list:
    """Size violations handed to `enrichment.api.record_size_violations`, captured instead of stored."""
    recorded: list = []
    try:
        import enrichment.api as api
    except ImportError:  # the enrichment engineer's module may not exist yet; the name is the contract
        api = types.ModuleType("enrichment.api")
        monkeypatch.setitem(sys.modules, "enrichment.api", api)
    monkeypatch.setattr(api, "record_size_violations", recorded.extend, raising=False)
    return recorded


@pytest.fixture(scope="session")
def test_database_url(django_db_setup, django_db_blocker) -> str:
    """A DATABASE_URL for the test database, so server subprocesses write where the tests read."""
    from django.db import connection

    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}"


@pytest.fixture
def stream_key() -> Iterator[str]:
    """A Redis stream of our own in DB 3, deleted afterwards."""
    key = f"collector-test:{uuid.uuid4().hex[:12]}"
    yield key
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(key)
    client.close()


@pytest.fixture
def start_collector(test_database_url, tmp_path) -> Iterator[Callable[..., CollectorServer]]:
    """Start real collector servers with the given environment; all are stopped after the test."""
    servers: list[CollectorServer] = []

    def start(**env: str) -> CollectorServer:
        base = {"DATABASE_URL": test_database_url, "LOG_LEVEL": "WARNING", "SNOWPLOW_VAR_DIR": str(tmp_path / "var")}
        server = CollectorServer({**base, **env}, tmp_path / f"uvicorn-{len(servers)}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def redis_collector(start_collector, stream_key) -> CollectorServer:
    """A real collector writing to the shared Redis (DB 3, our own stream), with Chromium-friendly defaults."""
    return start_collector(RAW_SINK="redis", REDIS_URL=REDIS_URL, RAW_STREAM_KEY=stream_key)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    """A redis-server of the test's own, AOF with `appendfsync always`, that the test may SIGKILL."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory).start()
    yield server
    server.stop()
