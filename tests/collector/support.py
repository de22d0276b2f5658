"""Helpers for collector tests: an in-process ASGI client, an in-memory sink, real server and Redis processes."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from collector.payload import CollectorPayload, payload_deserialize
from collector.sinks.base import ClaimedPayload, RawSink, SinkUnavailable

ROOT = Path(__file__).resolve().parents[2]
PIXEL_HEX = "47494638396101000100f00000ffffff00000021f90405000000002c00000000010001000002024401003b"
TP2 = "/com.snowplowanalytics.snowplow/tp2"
PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"


@dataclass
class Answer:
    """A response as the client saw it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value.decode("latin-1") for key, value in self.headers if key.decode().lower() == name.lower()]

    @property
    def names(self) -> set[str]:
        return {key.decode().lower() for key, _ in self.headers}


def call(method: str, path: str, query: bytes | str = b"", headers: list[tuple[str, str]] | None = None,
         body: bytes | list[bytes] = b"", client: tuple[str, int] | None = ("198.51.100.7", 40000)) -> Answer:
    """Send one request through `snowplow_site.asgi.application` in-process, as uvicorn would."""
    from snowplow_site.asgi import application

    query = query.encode() if isinstance(query, str) else query
    chunks = body if isinstance(body, list) else [body]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "headers": [(name.lower().encode(), value.encode("latin-1") if isinstance(value, str) else value)
                    for name, value in (headers or [])],
        "client": client, "server": ("127.0.0.1", 8000),
    }
    messages = [{"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
                for i, chunk in enumerate(chunks)]
    sent: list[dict] = []

    async def receive() -> dict:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays connected until the response is sent
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(application(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body_bytes = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Answer(start["status"], list(start["headers"]), body_bytes)


class MemorySink(RawSink):
    """Stores records in a list; `down` makes every write fail as an unreachable store would."""

    name = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.records: list[bytes] = []
        self.down = False

    async def write_batch_async(self, records: list[bytes]) -> None:
        if self.down:
            raise SinkUnavailable("memory sink is down")
        self.records.extend(records)

    def write_batch(self, records: list[bytes]) -> list[str]:
        self.records.extend(records)
        return [str(i) for i in range(len(self.records) - len(records), len(self.records))]

    def claim(self, count: int, consumer: str) -> list[ClaimedPayload]:
        return [ClaimedPayload(str(i), r) for i, r in enumerate(self.records[:count])]

    def ack(self, claimed: list[ClaimedPayload]) -> None:
        del self.records[: len(claimed)]

    def pending_count(self) -> int:
        return len(self.records)

    async def healthy(self) -> bool:
        return not self.down

    @property
    def payloads(self) -> list[CollectorPayload]:
        return [payload_deserialize(record) for record in self.records]


def reset_collector() -> None:
    """Forget the collector's cached settings, sink and routes, so the next request reads the settings anew."""
    from collector.conf import get_collector_config
    from collector.sinks import get_sink
    from snowplow_site.asgi import collector_application

    get_collector_config.cache_clear()
    get_sink.cache_clear()
    collector_application.reset()


def memory_sink(monkeypatch) -> MemorySink:
    """Make the collector write into a list instead of a store (for a `sink` fixture)."""
    memory = MemorySink()
    monkeypatch.setattr("collector.asgi.get_sink", lambda: memory)
    return memory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@dataclass
class CollectorServer:
    """`uvicorn snowplow_site.asgi:application` with httptools and uvloop, as production runs it."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CollectorServer:
        command = [sys.executable, "-m", "uvicorn", "snowplow_site.asgi:application", "--host", "127.0.0.1",
                   "--port", str(self.port), "--http", "httptools", "--loop", "uvloop", "--no-access-log"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **self.env}, stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class RedisServer:
    """A private redis-server with AOF, in a temporary directory, on its own port."""

    directory: Path
    appendfsync: str = "always"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "yes", "--appendfsync", self.appendfsync],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def stream_payloads(url: str, key: str) -> list[CollectorPayload]:
    """Every CollectorPayload in a Redis stream, oldest first."""
    client = redis.Redis.from_url(url)
    try:
        return [payload_deserialize(fields[b"p"]) for _, fields in client.xrange(key)]
    finally:
        client.close()


def query_params(payload: CollectorPayload) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(payload.querystring.decode()))
