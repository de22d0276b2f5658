"""Warehouse loader throughput against a plain COPY of the same event rows, side by side in one run (issue 8).

    (a) warehouse.api.batch_load: events with two contexts each (web_page and ua_parser_context), one payload id
        per event in the manifest (Redis stream entry ids, `<ms>-<seq>`, increasing, as the default sink hands
        them to the drain), de-duplication on, into the partitioned and indexed atomic.events and the two
        per-schema tables, one transaction per batch, as the enrichment drain calls it;
    (b) plain COPY: the same event rows (the same dict -> row conversion, warehouse.encoding.event_row) copied
        into an unindexed, unpartitioned table with atomic.events' columns, one transaction per batch.

Prints rows/s of each, and the ratio a/b (goal: 0.5 or more). Runs in its own database `<name>_bench`, created
and migrated on first use, so that it never touches real data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_loader.py [--events 20000] [--batch 500]
        [--rounds 1]

With --rounds N, the whole measurement (empty tables, untimed warm-up, timed run) is repeated N times and every
round's ratio is printed with the load average, then the median: on a shared, loaded machine one round's ratio
varies by +-0.05 or more.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
PLAIN_TABLE = "public.bench_plain_events"
T0 = 1_796_292_000_123  # 2026-12-03 10:00:00.123 UTC
_ENTRY = itertools.count()


def bench_database_url(url: str) -> str:
    """Return the URL of the benchmark's own database beside the configured one, creating it if needed."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def make_event(i: int, run: str) -> dict:
    """A page view as the enrichment hands it over: ~45 fields filled, two contexts."""
    return {
        "app_id": "shop",
        "platform": "web",
        "etl_tstamp": T0 + i + 500,
        "collector_tstamp": T0 + i,
        "dvce_created_tstamp": T0 + i - 250,
        "event": "page_view",
        "event_id": str(uuid.uuid4()),
        "name_tracker": "sp",
        "v_tracker": "js-3.24.0",
        "v_collector": "spdj-0.1.0",
        "v_etl": "snowplow-django-enrich-0.1.0",
        "user_ipaddress": f"203.0.113.{i % 250}",
        "domain_userid": f"{run}-user-{i % 5000}",
        "domain_sessionidx": 1 + i % 7,
        "network_userid": f"{run}-nuid-{i % 5000}",
        "geo_country": "DE",
        "geo_city": "Berlin",
        "geo_latitude": 52.52,
        "geo_longitude": 13.405,
        "page_url": f"https://shop.example/products/{i % 300}?utm_source=news",
        "page_title": f"Product {i % 300} \u2013 Shop",
        "page_urlscheme": "https",
        "page_urlhost": "shop.example",
        "page_urlport": 443,
        "page_urlpath": f"/products/{i % 300}",
        "page_urlquery": "utm_source=news",
        "mkt_source": "news",
        "mkt_medium": "email",
        "useragent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
        "br_lang": "en-GB",
        "br_cookies": True,
        "br_colordepth": "24",
        "br_viewwidth": 1280,
        "br_viewheight": 720,
        "os_timezone": "Europe/Berlin",
        "dvce_ismobile": False,
        "dvce_screenwidth": 1920,
        "dvce_screenheight": 1080,
        "doc_charset": "UTF-8",
        "doc_width": 1265,
        "doc_height": 3000,
        "dvce_sent_tstamp": T0 + i - 100,
        "domain_sessionid": f"{run}-session-{i % 20000}",
        "derived_tstamp": T0 + i - 100,
        "event_vendor": "com.snowplowanalytics.snowplow",
        "event_name": "page_view",
        "event_format": "jsonschema",
        "event_version": "1-0-0",
        "event_fingerprint": f"{i:032x}",
        "contexts": {
            "schema": CONTEXTS,
            "data": [
                {
                    "schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
                    "data": {"id": str(uuid.uuid4())},
                },
                {
                    "schema": "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0",
                    "data": {
                        "useragentFamily": "Chrome",
                        "useragentMajor": "131",
                        "useragentMinor": "0",
                        "useragentPatch": None,
                        "useragentVersion": "Chrome 131.0",
                        "osFamily": "Linux",
                        "osMajor": None,
                        "osMinor": None,
                        "osPatch": None,
                        "osPatchMinor": None,
                        "osVersion": "Linux",
                        "deviceFamily": "Other",
                    },
                },
            ],
        },
    }


def batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def load_batch(batch: list[dict]) -> float:
    """Load one batch through warehouse.api as the drain does; return the seconds it took."""
    from django.db import transaction

    from warehouse.api import LoadableEvent, batch_load

    loadables = [LoadableEvent(event, event["event_fingerprint"]) for event in batch]
    # What the Redis stream sink claims: entry ids `<ms>-<seq>`, increasing with arrival.
    payload_ids = [f"{T0 + n // 4}-{n % 4}" for n in itertools.islice(_ENTRY, len(batch))]
    started = time.perf_counter()
    with transaction.atomic():
        result = batch_load(loadables, payload_ids)
    elapsed = time.perf_counter() - started
    assert result.events_loaded == len(batch) and result.entities_loaded == 2 * len(batch), result
    return elapsed


def copy_batch(batch: list[dict]) -> float:
    """COPY the same events' rows into the plain table, one transaction; return the seconds it took."""
    import datetime as dt

    from django.db import transaction

    from warehouse.atomic import COLUMNS
    from warehouse.copying import copy_rows
    from warehouse.encoding import EVENT_COPY_TYPES, event_row

    started = time.perf_counter()
    load_tstamp = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with transaction.atomic():
        copy_rows(PLAIN_TABLE, COLUMNS, EVENT_COPY_TYPES, (event_row(event, load_tstamp) for event in batch))
    return time.perf_counter() - started


def run(events: list[dict], batch_size: int) -> tuple[float, float]:
    """Alternate batches of (a) and (b), so that load from other processes on the machine hits both alike;
    return the total seconds of each."""
    loader = plain = 0.0
    for batch in batches(events, batch_size):
        plain += copy_batch(batch)
        loader += load_batch(batch)
    return loader, plain


def prepare() -> None:
    from django.db import connection

    from warehouse.entity_tables import cache_clear
    from warehouse.models import ShreddedTable
    from warehouse.partitions import partitions_ensure

    partitions_ensure(months_back=0, months_ahead=0, today=_t0_date())
    with connection.cursor() as cursor:
        # Every run starts from empty tables, so runs compare.
        cursor.execute("TRUNCATE atomic.events, warehouse_load_manifest, warehouse_event_key")
        for table in ShreddedTable.objects.all():
            cursor.execute(f'DROP TABLE IF EXISTS atomic."{table.name}"')
        ShreddedTable.objects.all().delete()
        cache_clear()  # the tables are recreated by the next round's warm-up
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
        cursor.execute(f"CREATE TABLE {PLAIN_TABLE} (LIKE atomic.events)")  # no indexes, no partitions


def _t0_date():
    import datetime as dt

    return dt.datetime.fromtimestamp(T0 / 1000, dt.UTC).date()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="events per transaction (DRAIN_BATCH_SIZE)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the measurement, print each ratio and the median")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/snowplow"
    os.environ["DATABASE_URL"] = bench_database_url(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    print(f"events: {args.events}, batch: {args.batch}, database: {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}")
    ratios = []
    for _ in range(max(1, args.rounds)):
        prepare()
        tag = uuid.uuid4().hex[:8]
        run([make_event(i, tag) for i in range(min(1000, args.events))], args.batch)  # creates the tables; untimed
        loader, plain = run([make_event(i, tag) for i in range(args.events)], args.batch)
        plain_rate, loader_rate = args.events / plain, args.events / loader
        ratios.append(loader_rate / plain_rate)
        print(f"(a) loader (dedupe, manifest, 2 entities/event, partitions, indexes): {loader_rate:10,.0f} events/s")
        print(f"(b) plain COPY of the same rows, unindexed and unpartitioned:          {plain_rate:10,.0f} events/s")
        print(f"ratio a/b: {ratios[-1]:.2f} (goal 0.50 or more), load average {os.getloadavg()[0]:.2f}")
    if len(ratios) > 1:
        print(f"median ratio a/b over {len(ratios)} rounds: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
