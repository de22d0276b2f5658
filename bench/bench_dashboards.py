"""Dashboard page server time, cold and cached, for 30 and 365 days (issue 10).

Runs in its own database `<name>_dashbench` (created and migrated on first use). Uses the data models' benchmark
data when the site `bench` already has rollups there; otherwise generates `--events` page views for it through
the warehouse loader (so pages then answer from the raw fallback until the models run, which the output says).

For each page and range it requests the page `--repeat` times with an empty tile cache (cold) and as many times
with a warm one (cached), in process through Django's test client, and prints p50 and p95 in milliseconds.
Goal (issue 10): p95 under 300 ms cold and under 50 ms cached for overview, pages, acquisition, geography and
technology.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_dashboards.py [--events 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ("overview", "pages", "acquisition", "geography", "technology")
END = dt.date(2026, 12, 1)


def bench_database_url(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_dashbench"
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def make_events(count: int, rng: random.Random) -> list[dict]:
    """Page views over 365 days, skewed: a few pages, sources and countries take most of the traffic."""
    countries = ["US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "ES", "IT"] + [f"Q{chr(65 + i)}" for i in range(26)]
    start = dt.datetime(END.year, END.month, END.day) - dt.timedelta(days=365)
    events = []
    for _ in range(count):
        visitor = int(rng.paretovariate(1.2) * 50) % (count // 5 + 1)
        when = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
        millis = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)
        page = f"/p/{int(rng.paretovariate(1.1)) % 500}"
        events.append({
            "event_id": str(uuid.uuid4()), "app_id": "bench", "platform": "web", "event": "page_view",
            "event_name": "page_view", "collector_tstamp": millis, "derived_tstamp": millis, "v_collector": "bench",
            "v_etl": "bench", "domain_userid": f"u{visitor}", "domain_sessionid": f"s{visitor}-{when:%j}",
            "page_urlpath": page, "page_url": f"https://bench.test{page}",
            "mkt_source": f"source{int(rng.paretovariate(1.3)) % 50}", "mkt_medium": rng.choice(["cpc", "email"]),
            "geo_country": countries[int(rng.paretovariate(1.2)) % len(countries)],
            "br_family": rng.choice(["Chrome", "Firefox", "Safari", "Edge"]), "os_family": "Linux",
            "dvce_type": rng.choice(["Computer", "Mobile"]), "dvce_screenwidth": rng.choice([390, 1280, 1920]),
        })
    return events


def ensure_data(count: int) -> str:
    """Return where the numbers come from, loading generated events if the bench site has none."""
    from django.db import connection, transaction

    from dashboards import selectors
    from dashboards.models import Site
    from warehouse.api import LoadableEvent, batch_load

    site, _ = Site.objects.get_or_create(slug="bench", defaults={"name": "Bench", "app_ids": ["bench"],
                                                                  "timezone": "Europe/Berlin"})
    if selectors._models_built.uncached(site.pk):
        return "data models (rollups)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atomic.events WHERE app_id = 'bench'")
        have = cursor.fetchone()[0]
    if have < count:
        events = make_events(count - have, random.Random(42))
        started = time.perf_counter()
        for first in range(0, len(events), 5000):
            with transaction.atomic():
                chunk = events[first:first + 5000]
                batch_load([LoadableEvent(e, e["event_id"]) for e in chunk], [f"bench-{uuid.uuid4()}"])
        print(f"loaded {len(events)} events in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE atomic.events")
    return f"raw fallback on atomic.events ({max(have, count)} events; the data models have not run here)"


def measure(client, url: str, repeat: int, cold: bool) -> list[float]:
    from django.core.cache import cache

    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    setup_test_environment()
    source = ensure_data(args.events)
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "", "x")
    client = Client()
    client.force_login(user)
    print(f"source: {source}; {args.repeat} requests each; times in ms (server time, in process)")
    print(f"{'page':<12} {'days':>4} {'cold p50':>9} {'cold p95':>9} {'cached p50':>11} {'cached p95':>11}")
    for days in (30, 365):
        start = END - dt.timedelta(days=days - 1)
        for page in PAGES:
            path = "/dashboards/bench/" + ("" if page == "overview" else f"{page}/")
            url = f"{path}?period=custom&from={start}&to={END}"
            cold = measure(client, url, args.repeat, cold=True)
            cached = measure(client, url, args.repeat, cold=False)
            print(f"{page:<12} {days:>4} {statistics.median(cold):>9.1f} {p95(cold):>9.1f} "
                  f"{statistics.median(cached):>11.1f} {p95(cached):>11.1f}")


if __name__ == "__main__":
    main()
