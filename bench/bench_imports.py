"""Import rate of historical files against the live pipeline's drain, side by side in one run (issue 12).

    (a) live drain: CollectorPayloads of pixel GETs written to the raw sink, then drained in batches of 500 by
        enrichment.drain.drain_batch in this one process: the live pipeline's events/s per core;
    (b) CloudFront import: a gzip CloudFront log (23-field layout), one `/i` page view per line, imported by one
        process (`snowplow_import --format cloudfront --workers 1`);
    (c) enriched TSV import: a gzip enriched TSV file (131 fields, a web_page context per row) loaded by one
        process, no re-enrichment.

Each phase runs in a forked child so that its peak RSS is its own; (b) and (c) also run on a file a tenth the size,
to show memory is flat in file size. Prints events/s, peak RSS and the ratios b/a and c/a (goal: 1 or more).
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


def cloudfront_log(path: Path, lines: int) -> Path:
    with gzip.open(path, "wt", compresslevel=6) as out:
        out.write("#Version: 1.0\n#Fields: date time x-edge-location ...\n")
        for i in range(lines):
            seconds = i // 100
            out.write(f"2014-06-02\t{8 + seconds // 3600 % 16:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}\tAMS1"
                      f"\t480\t192.0.2.{i % 250}\tGET\td1.cloudfront.net\t/i\t200\thttps://shop.example/products/\t{UA}"
                      f"\t{cloudfront_query(i)}\t-\tHit\tNq5EXAMPLE{i}==\td1.cloudfront.net\thttps\t612\t0.001"
                      f"\t203.0.113.{i % 200}\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\n")
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


def live_drain(count: int) -> tuple[int, float]:
    from collector.sinks import get_sink
    from enrichment.drain import drain_batch
    from imports.cloudfront import cloudfront_line

    sink = get_sink()
    payloads = [cloudfront_line(f"2014-06-02\t08:00:00\tAMS1\t480\t192.0.2.1\tGET\td1\t/i\t200\t"
                                f"https://shop.example/products/\t{UA}\t{cloudfront_query(i)}") for i in range(count)]
    for start in range(0, count, 1000):
        sink.write_batch(payloads[start: start + 1000])
    started, events = time.perf_counter(), 0
    while result := drain_batch(500, sink):
        if not result.payloads:
            break
        events += result.good
    return events, time.perf_counter() - started


def file_import(fmt: str, path: Path) -> tuple[int, float]:
    from imports.running import ImportOptions, import_files

    summary = import_files([path], ImportOptions(fmt, workers=1))
    if summary.totals.bad_rows or any(item.error for item in summary.files):
        raise SystemExit(f"unexpected failures: {summary.as_dict()} {[item.error for item in summary.files]}")
    return summary.totals.events_loaded, summary.seconds


def _child(phase: Callable, args: tuple, pipe) -> None:
    from django.db import connections

    connections.close_all()
    events, seconds = phase(*args)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send((events, seconds, peak_mib))


def measure(name: str, phase: Callable, *args) -> float:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(phase, args, send))
    child.start()
    events, seconds, peak_mib = receive.recv()
    child.join()
    rate = events / seconds
    print(f"{name:<44} {events:>9,} events {seconds:8.1f} s {rate:9,.0f} events/s   peak RSS {peak_mib:6.0f} MiB",
          flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the CloudFront log and TSV file")
    parser.add_argument("--live", type=int, default=20_000, help="payloads drained for the live baseline")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/snowplow"
    os.environ["DATABASE_URL"] = bench_database_url(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    os.environ.setdefault("RAW_SINK", "postgres")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    directory = Path(tempfile.mkdtemp(prefix="bench_imports_"))
    try:
        small = max(args.lines // 10, 1)
        started = time.perf_counter()
        files = {(fmt, size): writer(directory / f"{fmt}-{size}.gz", size)
                 for fmt, writer in (("cloudfront", cloudfront_log), ("enriched", enriched_tsv))
                 for size in (small, args.lines)}
        sizes = ", ".join(f"{path.name} {path.stat().st_size / 2**20:.0f} MiB" for path in files.values())
        print(f"sample files written in {time.perf_counter() - started:.0f} s: {sizes}", flush=True)
        print(f"database {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}, one process per phase, batch 500")
        live = measure("(a) live drain (pixel GETs)", live_drain, args.live)
        rates = {}
        for fmt in ("cloudfront", "enriched"):
            for size in (small, args.lines):
                rates[fmt] = measure(f"({'b' if fmt == 'cloudfront' else 'c'}) {fmt} import, {size:,} lines",
                                     file_import, fmt, files[(fmt, size)])
        print(f"ratio b/a (CloudFront import / live drain): {rates['cloudfront'] / live:.2f}")
        print(f"ratio c/a (enriched TSV import / live drain): {rates['enriched'] / live:.2f}")
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    main()
