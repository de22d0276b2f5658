"""Demo test setup: a tiny local HTTP server that records requests and answers like the collector."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class CapturedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def events(self) -> list[dict[str, str]]:
        """The tp2 events of a POST, each with its base64 JSON fields decoded under `_contexts` / `_unstruct`."""
        envelope = json.loads(self.body)
        events = []
        for event in envelope["data"]:
            decoded = dict(event)
            if "cx" in event:
                decoded["_contexts"] = json.loads(_b64(event["cx"]))
            if "ue_px" in event:
                decoded["_unstruct"] = json.loads(_b64(event["ue_px"]))
            events.append(decoded)
        return events


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class CaptureServer:
    url: str
    status: int = 200
    requests: list[CapturedRequest] = field(default_factory=list)

    def events(self) -> list[dict[str, Any]]:
        return [event for request in self.requests for event in request.events()]


@contextmanager
def capture_server_running() -> Iterator[CaptureServer]:
    """Run a collector stand-in on 127.0.0.1 (a free port): it records each request and answers `ok` with `status`."""
    state = CaptureServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.requests.append(CapturedRequest("POST", self.path, dict(self.headers), body))
            self.send_response(state.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def capture_server() -> Iterator[CaptureServer]:
    with capture_server_running() as server:
        yield server
