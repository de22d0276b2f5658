"""Import rate of historical files against the live pipeline's drain, side by side in one run (issue 12).

    (a) live drain: the CollectorPayloads of the CloudFront log below (built by the import's own CloudFront decoder,
        so byte for byte what the import produces) written to the raw sink, then drained by
        enrichment.drain.drain_batch in batches of DRAIN_BATCH_SIZE in one process: the live pipeline;
    (b) CloudFront import: a gzip CloudFront log (23-field layout), one `/i` page view per line, imported by one
        process (`snowplow_import --format cloudfront --workers 1`);
    (c) enriched TSV import: a gzip enriched TSV file (131 fields, a web_page context per row) loaded by one
        process, no re-enrichment.

Each runs at two sizes, --lines and a tenth of it, so that every import is compared with a live drain of as many
events (the warehouse slows down as its tables grow) and memory is seen to be flat in file size.
The comparison is kept honest: every phase starts from empty warehouse tables, runs in a forked child (so its
peak RSS is its own) with the same enrichment configuration, built and warmed (UA parser, schemas) before the clock
starts, and loads through the same loader. Each phase reports wall-clock events/s and events per CPU-second, the
CPU of the Python process plus that of its PostgreSQL backend (read from /proc): the per-core rate, which a busy
machine distorts far less than wall time. Ratios b/a and c/a are given per CPU-second and per wall second
(goal: 1 or more).
Sample files are written to a temporary directory and deleted. Runs in its own database `<name>_bench_imports`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_imports.py [--lines 1000000]
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UA = "Mozilla/5.0%2520(X11;%2520Linux%2520x86_64)%2520AppleWebKit/537.36%2520Chrome/131.0"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0"
T0 = 1_401_696_000_000  # 2014-06-02 08:00 UTC


def bench_database_url(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench_imports"
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def cloudfront_query(i: int) -> str:
    return (f"e=pv&page=Product%2520{i % 300}&url=https%253A%252F%252Fshop.example%252Fproducts%252F{i % 300}"
            f"&tv=js-2.6.0&p=web&aid=shop&duid=user{i % 5000}&vid={1 + i % 7}&eid={uuid.uuid4()}"
            f"&dtm={T0 + i * 10}&res=1280x800&lang=en-GB&cs=UTF-8")


def cloudfront_text(i: int) -> str:
    """Line `i` of the sample CloudFront log: a page view, 23 fields, the client address in x-forwarded-for."""
    seconds = i // 100
    return (f"2014-06-02\t{8 + seconds // 3600 % 16:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}\tAMS1"
            f"\t480\t192.0.2.{i % 250}\tGET\td1.cloudfront.net\t/i\t200\thttps://shop.example/products/\t{UA}"
            f"\t{cloudfront_query(i)}\t-\tHit\tNq5EXAMPLE{i}==\td1.cloudfront.net\thttps\t612\t0.001"
            f"\t203.0.113.{i % 200}\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit")


def cloudfront_log(path: Path, lines: int) -> Path:
    with gzip.open(path, "wt", compresslevel=6) as out:
        out.write("#Version: 1.0\n#Fields: date time x-edge-location ...\n")
        for i in range(lines):
            out.write(cloudfront_text(i) + "\n")
    return path


def enriched_tsv(path: Path, rows: int) -> Path:
    from enrichment.writers import to_tsv

    with gzip.open(path, "wt", compresslevel=6) as out:
        for i in range(rows):
            out.write(to_tsv({
                "app_id": "shop", "platform": "web", "etl_tstamp": T0 + i * 10 + 500, "collector_tstamp": T0 + i * 10,
                "dvce_created_tstamp": T0 + i * 10 - 250, "event": "page_view", "event_id": str(uuid.uuid4()),
                "name_tracker": "sp", "v_tracker": "js-2.6.0", "v_collector": "cloudfront",
                "v_etl": "hadoop-1.8.0-common-0.24.0", "user_ipaddress": f"203.0.113.{i % 200}",
                "domain_userid": f"user{i % 5000}", "domain_sessionidx": 1 + i % 7, "geo_country": "NL",
                "geo_latitude": 52.37, "geo_longitude": 4.89, "page_url": f"https://shop.example/products/{i % 300}",
                "page_title": f"Product {i % 300}", "page_urlscheme": "https", "page_urlhost": "shop.example",
                "page_urlport": 443, "page_urlpath": f"/products/{i % 300}",
                "contexts": {"schema": CONTEXTS, "data": [{"schema": WEB_PAGE, "data": {"id": str(uuid.uuid4())}}]},
                "useragent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0", "br_cookies": True,
                "br_viewwidth": 1280, "br_viewheight": 800, "derived_tstamp": T0 + i * 10,
                "event_vendor": "com.snowplowanalytics.snowplow", "event_name": "page_view",
                "event_format": "jsonschema", "event_version": "1-0-0",
            }) + "\n")
    return path


# --- phases (each in a forked child) --------------------------------------------------------------------------

WAREHOUSE_TABLES = ("warehouse_load_manifest", "warehouse_event_key", "warehouse_raw_archive", "bad_rows",
                    "collector_rawpayload")


def tables_empty() -> None:
    """Every phase starts from the same empty warehouse (events, entity and model tables, manifest, sink)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
                       "WHERE schemaname IN ('atomic', 'derived')")
        tables = [row[0] for row in cursor.fetchall()] + list(WAREHOUSE_TABLES)
        cursor.execute(f"TRUNCATE {', '.join(tables)}")


def pipeline_warm() -> list[str]:
    """Build the enrichment pipeline (the first build may add default configurations and move the version, so
    twice) and run one payload through it, so one-off set-up (UA parser, schema look-ups) is outside the clock.
    Returns the phase-2 step names, to show every phase ran the same configuration."""
    from enrichment.api import get_pipeline, process_payload
    from imports.cloudfront import cloudfront_line

    get_pipeline()
    steps = get_pipeline()
    process_payload(cloudfront_line(cloudfront_text(0)), steps)
    return [name for name, _ in steps]


def live_drain(count: int) -> tuple[int, Clock]:
    from django.conf import settings

    from collector.sinks import get_sink
    from enrichment.drain import drain_batch
    from imports.cloudfront import cloudfront_line

    sink = get_sink()
    for start in range(0, count, 1000):
        sink.write_batch([cloudfront_line(cloudfront_text(i)) for i in range(start, min(start + 1000, count))])
    with Clock() as clock:
        events = 0
        while (result := drain_batch(settings.DRAIN_BATCH_SIZE, sink)).payloads:
            events += result.good
    return events, clock


def file_import(fmt: str, path: Path) -> tuple[int, Clock]:
    from imports.running import ImportOptions, import_files

    with Clock() as clock:
        summary = import_files([path], ImportOptions(fmt, workers=1))
    if summary.totals.bad_rows or any(item.error for item in summary.files):
        raise SystemExit(f"unexpected failures: {summary.as_dict()} {[item.error for item in summary.files]}")
    return summary.totals.events_loaded, clock


def backend_cpu_seconds() -> tuple[int, float | None]:
    """(pid, CPU seconds) of this process's PostgreSQL backend; None when it is not on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return pid, None
    fields = stat.rsplit(")", 1)[1].split()
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall time, this process's CPU time and its database backend's CPU time over a `with` block."""

    def __enter__(self) -> Clock:
        self.pid, self.backend_start = backend_cpu_seconds()
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        pid, backend_end = backend_cpu_seconds()
        same = pid == self.pid and self.backend_start is not None and backend_end is not None
        self.backend = backend_end - self.backend_start if same else None


@dataclass
class Measure:
    events: int
    wall: float
    cpu: float
    backend: float | None
    peak_mib: float
    steps: list[str]

    @property
    def rate(self) -> float:
        return self.events / self.wall

    @property
    def cpu_rate(self) -> float:
        return self.events / (self.cpu + (self.backend or 0.0))


def _child(phase: Callable, args: tuple, pipe) -> None:
    from django.db import connections

    connections.close_all()
    tables_empty()
    steps = pipeline_warm()
    events, clock = phase(*args)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send(Measure(events, clock.wall, clock.cpu, clock.backend, peak_mib, steps))


def measure(name: str, phase: Callable, *args) -> Measure:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(phase, args, send))
    child.start()
    result: Measure = receive.recv()
    child.join()
    backend = f"{result.backend:6.1f}" if result.backend is not None else "     ?"
    print(f"{name:<38} {result.events:>9,} ev {result.wall:7.1f} s {result.rate:7,.0f} ev/s | CPU {result.cpu:6.1f} s"
          f" + db {backend} s = {result.cpu_rate:7,.0f} ev/CPU-s | peak RSS {result.peak_mib:4.0f} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the CloudFront log and TSV file")
    parser.add_argument("--formats", default="cloudfront,enriched", help="imports to run (comma-separated)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/snowplow"
    os.environ["DATABASE_URL"] = bench_database_url(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    os.environ.setdefault("RAW_SINK", "postgres")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from imports.running import DEFAULT_BATCH_SIZE

    formats = [name for name in args.formats.split(",") if name]
    sizes = list(dict.fromkeys((max(args.lines // 10, 1), args.lines)))
    directory = Path(tempfile.mkdtemp(prefix="bench_imports_"))
    try:
        started = time.perf_counter()
        writers = {"cloudfront": cloudfront_log, "enriched": enriched_tsv}
        files = {(fmt, size): writers[fmt](directory / f"{fmt}-{size}.gz", size) for fmt in formats for size in sizes}
        written = ", ".join(f"{path.name} {path.stat().st_size / 2**20:.0f} MiB" for path in files.values())
        print(f"sample files written in {time.perf_counter() - started:.0f} s: {written}", flush=True)
        print(f"database {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}, raw sink {os.environ['RAW_SINK']}, "
              f"one process per phase, drain batch {settings.DRAIN_BATCH_SIZE}, import batch {DEFAULT_BATCH_SIZE}, "
              f"{os.cpu_count()} cores")
        live: dict[int, Measure] = {}
        results: dict[tuple[str, int], Measure] = {}
        for size in sizes:
            live[size] = measure(f"(a) live drain, {size:,} payloads", live_drain, size)
            if size == sizes[0]:
                print(f"    enrichment steps (every phase): {', '.join(live[size].steps)}")
            for fmt in formats:
                label = "b" if fmt == "cloudfront" else "c"
                result = measure(f"({label}) {fmt} import, {size:,} lines", file_import, fmt, files[(fmt, size)])
                if result.steps != live[size].steps:
                    raise SystemExit(f"phase ran other enrichments: {result.steps} != {live[size].steps}")
                results[(fmt, size)] = result
        for (fmt, size), result in results.items():
            label = "b" if fmt == "cloudfront" else "c"
            print(f"ratio {label}/a, {fmt} import / live drain, {size:,} events each: "
                  f"{result.cpu_rate / live[size].cpu_rate:.2f} per CPU-second, "
                  f"{result.rate / live[size].rate:.2f} per wall second")
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
