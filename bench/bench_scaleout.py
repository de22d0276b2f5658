"""End-to-end throughput with 1, 2 and 4 enrichment worker processes, side by side in one run (issue 11).

For each worker count: a fresh Redis Stream, the collector (uvicorn, one process), N Celery workers of one
process each (as N machines would run them) and beat. Tracker-shaped tp2 POSTs of 10 page views each are sent
from a few client threads; the clock runs from the first request until the last event is in atomic.events
(collector -> Redis Stream -> drain -> enrichment -> COPY). Prints events/s per worker count, the speed-up over
one worker, and the collector's own intake rate for comparison.

Runs in its own database `<name>_bench` (created and migrated on first use), Redis DB 6 by default.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow REDIS_URL=redis://127.0.0.1:6379/6 \\
        python bench/bench_scaleout.py [--events 40000] [--workers 1 2 4] [--batch 100] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_loader import bench_database_url  # noqa: E402

EVENTS_PER_POST = 10
CLIENT_THREADS = 4


def landed(url: str, app_id: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM atomic.events WHERE app_id = %s", [app_id]).fetchone()[0]


def send(base: str, app_id: str, posts: int) -> None:
    from tests.operations.scaleout import TrackerClient, page_views

    client = TrackerClient(base)
    for _ in range(posts):
        client.post(page_views(app_id, EVENTS_PER_POST))
    client.close()


def stack_env(url: str, batch: int) -> dict[str, str]:
    return {"DATABASE_URL": url, "DRAIN_BATCH_SIZE": str(batch), "DRAIN_INTERVAL_SECONDS": "1",
            "OPERATIONS_CHECK_INTERVAL_SECONDS": "3600", "LOG_LEVEL": "WARNING"}


def send_all(base: str, app_id: str, events: int) -> int:
    """Send about `events` events from CLIENT_THREADS threads; return how many were sent."""
    posts = events // EVENTS_PER_POST // CLIENT_THREADS
    threads = [threading.Thread(target=send, args=(base, app_id, posts)) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return posts * CLIENT_THREADS * EVENTS_PER_POST


def wait_landed(url: str, app_id: str, expected: int, started: float) -> float:
    while landed(url, app_id) < expected:
        if time.monotonic() - started > 600:
            raise TimeoutError(f"only {landed(url, app_id)} of {expected} events landed")
        time.sleep(0.05)
    return time.monotonic() - started


def run_backlog(workers: int, events: int, url: str, redis_url: str, batch: int) -> float:
    """Drain only: collect a backlog with no worker running, then start the workers; return events/s.

    The clock starts when the first event lands, so the workers' start-up time is not counted."""
    from tests.operations.scaleout import start_scaleout_stack

    with tempfile.TemporaryDirectory() as var_dir:
        stack = start_scaleout_stack(stack_env(url, batch), Path(var_dir), 0, redis_url)
        try:
            app_id = f"backlog-{uuid.uuid4().hex[:8]}"
            expected = send_all(stack.base, app_id, events)
            stack.workers_add(workers)
            deadline = time.monotonic() + 120
            while (first := landed(url, app_id)) == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            started = time.monotonic()
            return (expected - first) / wait_landed(url, app_id, expected, started)
        finally:
            stack.stop()


def run(workers: int, events: int, url: str, redis_url: str, batch: int) -> tuple[float, float]:
    """Return (end-to-end events/s, collector intake events/s) for one worker count."""
    from tests.operations.scaleout import start_scaleout_stack

    env = stack_env(url, batch)
    with tempfile.TemporaryDirectory() as var_dir:
        stack = start_scaleout_stack(env, Path(var_dir), workers, redis_url)
        try:
            warm = f"warm-{uuid.uuid4().hex[:8]}"
            send(stack.base, warm, 2 * workers)
            deadline = time.monotonic() + 60
            while landed(url, warm) < 2 * workers * EVENTS_PER_POST and time.monotonic() < deadline:
                time.sleep(0.1)
            app_id = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.monotonic()
            expected = send_all(stack.base, app_id, events)
            sent_in = time.monotonic() - started
            return expected / wait_landed(url, app_id, expected, started), expected / sent_in
        finally:
            stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=40_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch", type=int, default=100, help="DRAIN_BATCH_SIZE: payloads per drain batch")
    parser.add_argument("--repeat", type=int, default=2, help="runs per figure; the best one is printed")
    args = parser.parse_args()

    url = bench_database_url(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/snowplow")
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(f"events: {args.events} per run in tp2 POSTs of {EVENTS_PER_POST}, drain batch: {args.batch} payloads, "
          f"cores: {os.cpu_count()}, database: {url.rsplit('/', 1)[-1]}, load average: {os.getloadavg()[0]:.1f}")
    results = {}
    for workers in args.workers:
        end_to_end, intake = max(run(workers, args.events, url, redis_url, args.batch) for _ in range(args.repeat))
        backlog = max(run_backlog(workers, args.events, url, redis_url, args.batch) for _ in range(args.repeat))
        results[workers] = (end_to_end, backlog)
        print(f"{workers} worker process(es): {end_to_end:7.0f} events/s end to end while traffic flows "
              f"(collector intake {intake:6.0f} events/s); {backlog:7.0f} events/s draining a backlog", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine skews every figure)")
    first = args.workers[0]
    for position, label in ((0, "end to end"), (1, "backlog drain")):
        base = results[first][position]
        print(f"scaling, {label}: " + ", ".join(f"{w} -> x{results[w][position] / base:.2f}" for w in args.workers))


if __name__ == "__main__":
    main()
