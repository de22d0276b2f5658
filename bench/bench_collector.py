"""Collector throughput, side by side in one run, on the same server and worker count (issue 3, "Performance").

    (a) the collector's GET /i, Redis Stream sink (a redis-server started here, AOF on, appendfsync everysec)
    (b) the collector's POST tp2 with a 10-event batch, same sink
    (c) a bare Django view returning the same GIF (no middleware)
    (d) a bare ASGI app returning it

Each is served by `uvicorn --http httptools --loop uvloop --no-proxy-headers --no-access-log` (the flags
production and quickstart use; the collector itself decides which forwarding headers to trust) with the same
worker count and driven by wrk (Debian package `wrk`) on loopback for the same time; without wrk a small asyncio
client is used instead. Prints requests/s, p50/p99 latency and the server's resident memory, then a/c and a/d.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_collector.py [--duration 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_collector_load import LoadResult, asyncio_load, wrk_load  # noqa: E402

from tests.collector.support import free_port, wait_for_port  # noqa: E402

QUERY = (
    "e=pv&url=https%3A%2F%2Fshop.example.com%2Fproducts%2Fblue-shoes%3Futm_source%3Dnews&page=Blue%20shoes"
    "&refr=https%3A%2F%2Fwww.google.com%2F&tv=js-4.10.1&tna=sp1&aid=shop&p=web&tz=Europe%2FLondon&lang=en-GB"
    "&cs=UTF-8&res=1920x1080&cd=24&cookie=1&eid=8b1f3f4e-6c2a-4b8e-9a54-0c6f0d1e2a3b&dtm=1764770000000"
    "&vp=1280x720&ds=1265x3000&vid=2&sid=4f3e2d1c-0b9a-4876-8543-210fedcba987&duid=2d1c0b9a-8765-4321-8fed-cba987654321"
    "&stm=1764770000123&cx=eyJzY2hlbWEiOiJpZ2x1OmNvbS5zbm93cGxvd2FuYWx5dGljcy5zbm93cGxvdy9jb250ZXh0cy9qc29uc2NoZW1h"
    "LzEtMC0wIiwiZGF0YSI6W3sic2NoZW1hIjoiaWdsdTpjb20uc25vd3Bsb3dhbmFseXRpY3Muc25vd3Bsb3cvd2ViX3BhZ2UvanNvbnNjaGVtY"
    "S8xLTAtMCIsImRhdGEiOnsiaWQiOiI1YzJkMWUzZi00YTViLTRjNmQtOGU5Zi0wYTFiMmMzZDRlNWYifX1dfQ"
)
HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Referer": "https://shop.example.com/products/blue-shoes",
    "Origin": "https://shop.example.com",
    "Accept-Language": "en-GB,en;q=0.9",
    "Cookie": "sp=1f0e2d3c-4b5a-4697-8877-665544332211; _sp_id.1fff=abc",
}


def tp2_batch(events: int = 10) -> bytes:
    """A browser-tracker-like payload_data body with `events` page views."""
    event = dict(part.split("=", 1) for part in QUERY.split("&") if not part.startswith("cx="))
    data = [{**event, "eid": str(uuid.uuid4()), "url": "https://shop.example.com/p"} for _ in range(events)]
    schema = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
    return json.dumps({"schema": schema, "data": data}).encode()


@dataclass
class Scenario:
    label: str
    app: str
    method: str
    path: str
    body: bytes = b""
    redis: bool = False


def start_redis(directory: Path) -> tuple[subprocess.Popen, int]:
    """A private redis-server with AOF on and `appendfsync everysec` (the documented production default)."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory), "--save", "",
         "--appendonly", "yes", "--appendfsync", "everysec"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, timeout=30.0)
    return process, port


def start_server(scenario: Scenario, workers: int, redis_port: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    if scenario.redis:
        env.update(RAW_SINK="redis", REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", RAW_STREAM_KEY="bench:raw")
    command = [sys.executable, "-m", "uvicorn", scenario.app, "--port", str(port), "--http", "httptools",
               "--loop", "uvloop", "--workers", str(workers), "--no-access-log", "--no-proxy-headers",
               "--log-level", "warning",
               "--app-dir", str(ROOT / "bench")]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for_port(port, timeout=30.0)
    return process, port


def server_pids(process: subprocess.Popen) -> list[int]:
    pids = [process.pid]
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    return pids


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """User plus system CPU time of the server and its workers so far."""
    ticks = 0
    for pid in server_pids(process):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_rss_mib(process: subprocess.Popen) -> float:
    """Resident memory of the server process and its workers, in MiB."""
    total_kib = 0
    for pid in server_pids(process):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(servers: dict[str, tuple[Scenario, subprocess.Popen, int]], args: argparse.Namespace,
            ) -> dict[str, tuple[LoadResult, float]]:
    """Interleave the scenarios over several rounds and keep each one's median round.

    The servers all run from the start, idle while another is measured; interleaving spreads any
    background load of the machine over every scenario instead of penalising whichever ran during it.
    """
    load = wrk_load if shutil.which("wrk") and not args.python_client else asyncio_load
    rounds: dict[str, list[LoadResult]] = {label: [] for label in servers}
    for number in range(args.rounds):
        for label, (scenario, process, port) in servers.items():
            url = f"http://127.0.0.1:{port}{scenario.path}"
            if number == 0:  # warm-up
                load(url, scenario.method, HEADERS, scenario.body, 2, args.connections, args.threads)
            cpu_before = server_cpu_seconds(process)
            result = load(url, scenario.method, HEADERS, scenario.body, args.duration, args.connections, args.threads)
            result.server_cpu_us = (server_cpu_seconds(process) - cpu_before) * 1e6 / max(result.requests, 1)
            rounds[label].append(result)
    return {
        label: (_median(results), server_rss_mib(servers[label][1])) for label, results in rounds.items()
    }


def _median(results: list[LoadResult]) -> LoadResult:
    ranked = sorted(results, key=lambda result: result.rps)
    return ranked[len(ranked) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per scenario and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median round is reported")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers, the same for every scenario")
    parser.add_argument("--python-client", action="store_true", help="use the asyncio client even if wrk exists")
    args = parser.parse_args()
    tp2 = "/com.snowplowanalytics.snowplow/tp2"
    scenarios = [
        Scenario("(a) collector GET /i, Redis AOF everysec", "snowplow_site.asgi:application", "GET",
                 f"/i?{QUERY}", redis=True),
        Scenario("(b) collector POST tp2, 10 events", "snowplow_site.asgi:application", "POST", tp2,
                 tp2_batch(), redis=True),
        Scenario("(c) bare Django view, same GIF", "bench_collector_bare_django:app", "GET", f"/i?{QUERY}"),
        Scenario("(d) bare ASGI app, same GIF", "bench_collector_bare_asgi:app", "GET", f"/i?{QUERY}"),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as directory:
        redis, redis_port = start_redis(Path(directory))
        servers: dict[str, tuple[Scenario, subprocess.Popen, int]] = {}
        try:
            for scenario in scenarios:
                servers[scenario.label] = (scenario, *start_server(scenario, args.workers, redis_port))
            results = measure(servers, args)
        finally:
            for _, process, _ in servers.values():
                stop(process)
            stop(redis)
    client = "wrk" if shutil.which("wrk") and not args.python_client else "asyncio client"
    print(f"\n{args.rounds} interleaved rounds of {args.duration}s per scenario (median round shown), "
          f"{args.connections} connections, {client}, uvicorn httptools+uvloop, {args.workers} worker(s)")
    print(f"{'scenario':42} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8} {'CPU us/req':>10} {'errors':>6}")
    for label, (r, rss) in results.items():
        cpu = r.server_cpu_us
        print(f"{label:42} {r.rps:9.0f} {r.p50_ms:7.2f} {r.p99_ms:7.2f} {rss:8.1f} {cpu:10.1f} {r.errors:6d}")
    a, c, d = (results[s.label][0] for s in (scenarios[0], scenarios[2], scenarios[3]))
    print(f"\nthroughput:         a/c = {a.rps / c.rps:.1f}x (goal >= 20x)    a/d = {a.rps / d.rps:.0%} (goal >= 40%)")
    # Server CPU per request does not depend on what else the machine is running, unlike req/s.
    print(f"server CPU per req: c/a = {c.server_cpu_us / a.server_cpu_us:.1f}x              "
          f"d/a = {d.server_cpu_us / a.server_cpu_us:.0%}")


if __name__ == "__main__":
    main()
