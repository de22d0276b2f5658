"""A/B of the collector's GET /i: two source trees served side by side, same Redis, alternating wrk rounds.

On a shared, loaded machine requests/s move with everyone else's work; server CPU time per request (from
/proc/<pid>/stat) is much steadier, so that is what this compares. Export the baseline first, e.g.

    mkdir -p /tmp/old && git archive HEAD | tar -x -C /tmp/old
    DATABASE_URL=... .venv/bin/python bench/bench_collector_ab.py /tmp/old . --duration 5 --rounds 6

and it prints each round's CPU µs/request for both trees, then the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_collector import HEADERS, QUERY, server_cpu_seconds, start_redis, stop  # noqa: E402
from bench_collector_load import wrk_load  # noqa: E402

from tests.collector.support import free_port, wait_for_port  # noqa: E402


def start_tree(tree: Path, redis_port: int, key: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING", "RAW_SINK": "redis", "PYTHONPATH": str(tree),
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "RAW_STREAM_KEY": key}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "snowplow_site.asgi:application", "--port", str(port), "--http",
         "httptools", "--loop", "uvloop", "--workers", "1", "--no-access-log", "--no-proxy-headers", "--log-level",
         "warning"],
        cwd=tree, env=env)
    wait_for_port(port, timeout=60.0)
    return process, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    cpu: dict[str, list[float]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory(prefix="bench-ab-redis-") as directory:
        redis, redis_port = start_redis(Path(directory))
        servers = {}
        try:
            for label, tree in trees.items():
                servers[label] = start_tree(tree, redis_port, f"bench:ab:{label}")
            for number in range(args.rounds + 1):
                order = list(servers.items()) if number % 2 == 0 else list(reversed(servers.items()))
                for label, (process, port) in order:
                    url = f"http://127.0.0.1:{port}/i?{QUERY}"
                    before = server_cpu_seconds(process)
                    result = wrk_load(url, "GET", HEADERS, b"", args.duration, args.connections, 2)
                    per_request = (server_cpu_seconds(process) - before) * 1e6 / max(result.requests, 1)
                    if number == 0:
                        continue  # warm-up
                    cpu[label].append(per_request)
                    print(f"round {number} {label}: {per_request:6.1f} us/req  {result.rps:8.0f} req/s  "
                          f"errors {result.errors}", flush=True)
        finally:
            for process, _ in servers.values():
                stop(process)
            stop(redis)
    for label, values in cpu.items():
        rounds = ", ".join(f"{value:.1f}" for value in values)
        print(f"{label}: median {statistics.median(values):.1f} us/req  (rounds {rounds})")
    print(f"new/old = {statistics.median(cpu['new']) / statistics.median(cpu['old']):.1%}   load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
