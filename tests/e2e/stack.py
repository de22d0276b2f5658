"""Start the real product processes (uvicorn, Celery worker and beat) for end-to-end tests."""

from __future__ import annotations

import os
import socket
import sys
import time
import urllib.request
from pathlib import Path

from snowplow_site.supervisor import ManagedProcess, Supervisor

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def product_processes(port: int, var_dir: Path) -> list[ManagedProcess]:
    python = sys.executable
    return [
        ManagedProcess("web server", [python, "-m", "uvicorn", "snowplow_site.asgi:application", "--host",
                                      "127.0.0.1", "--port", str(port), "--no-access-log", "--http", "httptools",
                                      "--loop", "uvloop", "--no-proxy-headers"]),
        ManagedProcess("celery worker", [python, "-m", "celery", "-A", "snowplow_site", "worker", "--loglevel",
                                         "WARNING", "--concurrency", "1", "--without-gossip", "--without-mingle"]),
        ManagedProcess("celery beat", [python, "-m", "celery", "-A", "snowplow_site", "beat", "--loglevel", "WARNING",
                                       "--schedule", str(var_dir / "beat-schedule")]),
    ]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_stack(env: dict[str, str], var_dir: Path) -> tuple[str, Supervisor]:
    port = free_port()
    full_env = {**os.environ, **env, "SNOWPLOW_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1",
                "DRAIN_INTERVAL_SECONDS": "1"}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    supervisor = Supervisor(product_processes(port, var_dir), full_env)
    os.chdir(ROOT)
    supervisor.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health")
    except TimeoutError:
        supervisor.stop()
        raise
    return base, supervisor


def poll(fetch, predicate, timeout: float = 60.0, interval: float = 0.3):
    """Call `fetch` until `predicate(result)` holds; return the last result (the test then asserts on it)."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not predicate(result) and time.monotonic() < deadline:
        time.sleep(interval)
        result = fetch()
    return result
