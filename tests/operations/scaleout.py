"""Start a collector, N Celery workers and beat on one Redis Stream, and send tracker traffic: for the
kill-a-worker test and bench/bench_scaleout.py."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import redis

from snowplow_site.supervisor import ManagedProcess, Supervisor
from tests.e2e.stack import ROOT, free_port, wait_for

PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
TP2 = "/com.snowplowanalytics.snowplow/tp2"


@dataclass
class ScaleoutStack:
    base: str
    supervisor: Supervisor
    workers: list[ManagedProcess]
    redis_url: str
    stream: str
    env: dict[str, str] = field(default_factory=dict)
    group: str = "enrich"
    killed: list[int] = field(default_factory=list)
    extra: list[Supervisor] = field(default_factory=list)

    @property
    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url)

    def consumers(self) -> list[dict]:
        try:
            return self.redis.xinfo_consumers(self.stream, self.group)
        except redis.ResponseError:  # the group does not exist before the first drain
            return []

    def worker_of(self, consumer: str) -> ManagedProcess | None:
        """The worker whose process group holds the pool process named in a consumer (`host-pid`)."""
        try:
            group = os.getpgid(int(consumer.rsplit("-", 1)[1]))
        except (ProcessLookupError, ValueError):
            return None
        return next((w for w in self.workers if w.process and w.process.pid == group), None)

    def kill_worker(self, worker: ManagedProcess) -> None:
        os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait()
        self.killed.append(worker.process.pid)

    def workers_add(self, count: int) -> None:
        """Start more workers on the same stream (for example after a backlog was collected)."""
        started = [worker_process(len(self.workers) + i, self.stream) for i in range(count)]
        supervisor = Supervisor(started, self.env)
        supervisor.start()
        self.workers.extend(started)
        self.extra.append(supervisor)

    def stop(self) -> None:
        for supervisor in self.extra:
            supervisor.stop()
        self.supervisor.stop()
        self.redis.delete(self.stream)


def worker_process(number: int, stream: str) -> ManagedProcess:
    """One Celery worker with one pool process, named after the stream so that runs never share names."""
    return ManagedProcess(f"worker {number}", [
        sys.executable, "-m", "celery", "-A", "snowplow_site", "worker", "--loglevel", "WARNING", "--concurrency",
        "1", "--without-gossip", "--without-mingle", "-n", f"w{number}-{stream[-8:]}@%h"])


def start_scaleout_stack(env: dict[str, str], var_dir: Path, workers: int, redis_url: str) -> ScaleoutStack:
    """Collector (uvicorn), `workers` Celery workers of one process each, and beat, on a fresh stream."""
    stream = f"ops:scaleout:{uuid.uuid4()}"
    port, python = free_port(), sys.executable
    full_env = {**os.environ, **env, "SNOWPLOW_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1", "RAW_SINK": "redis",
                "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url, "RAW_STREAM_KEY": stream}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    server = ManagedProcess("web server", [python, "-m", "uvicorn", "snowplow_site.asgi:application", "--host",
                                           "127.0.0.1", "--port", str(port), "--no-access-log", "--http", "httptools",
                                           "--loop", "uvloop"])
    worker_processes = [worker_process(i, stream) for i in range(workers)]
    beat = ManagedProcess("beat", [python, "-m", "celery", "-A", "snowplow_site", "beat", "--loglevel", "WARNING",
                                   "--schedule", str(var_dir / "beat-schedule")])
    supervisor = Supervisor([server, *worker_processes, beat], full_env)
    os.chdir(ROOT)
    supervisor.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health")
    except TimeoutError:
        supervisor.stop()
        raise
    return ScaleoutStack(base, supervisor, worker_processes, redis_url, stream, full_env)


def page_views(app_id: str, count: int) -> list[dict]:
    now = str(int(time.time() * 1000))
    return [{"e": "pv", "eid": str(uuid.uuid4()), "p": "web", "tv": "ops-test", "aid": app_id,
             "url": f"https://shop.example/p/{i}", "dtm": now, "stm": now} for i in range(count)]


class TrackerClient:
    """tp2 POSTs over one keep-alive connection, as a tracker batching events sends them."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=10)

    def post(self, events: list[dict]) -> None:
        body = json.dumps({"schema": PAYLOAD_DATA, "data": events})
        self.connection.request("POST", TP2, body, {"Content-Type": "application/json; charset=UTF-8"})
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"collector answered {response.status}")

    def close(self) -> None:
        self.connection.close()
