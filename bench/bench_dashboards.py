"""Dashboard page server time, cold and cached, for 30 and 365 days, and full page loads (issue 10).

Runs in its own database `<name>_dashbench` (created and migrated on first use). The data set is the data-models
benchmark's (bench/bench_models.py `Generator`: skewed web sessions over the last 365 days, page pings, custom
events) plus, for the pages that read them, ecommerce orders (a transaction and its items in ~3% of sessions)
and application_error crashes (~1% of sessions). `--events` are loaded once through warehouse.api.batch_load and
the data models run (full refresh), so the pages answer from the rollups and derived tables as in production.

For each page and range it requests the page `--repeat` times with an empty tile cache (cold) and as many times
with a warm one (cached), in process through Django's test client, and prints p50 and p95 in milliseconds.
Funnels and retention are measured cold only. With `--browser`, it also serves the pages with `manage.py
runserver` and times full page loads (navigation start to the load event) in Debian's headless Chromium.
Goals (issue 10): p95 under 300 ms cold and under 50 ms cached for overview, pages, acquisition, geography and
technology; funnels and retention under 2 s cold.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_dashboards.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PAGES = ("overview", "pages", "acquisition", "geography", "technology", "ecommerce", "apps")
GOAL_PAGES = PAGES[:5]
APP_ERROR = "iglu:com.snowplowanalytics.snowplow/application_error/jsonschema/1-0-2"
UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
PRODUCTS = [(f"SKU-{i}", f"Product {i}", f"cat{i % 12}", round(5 + (i * 7.3) % 195, 2)) for i in range(300)]


def bench_database_url(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_dashbench"
    maintenance = urlunsplit(parts._replace(path="/postgres"))  # the named database need not exist yet
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def with_orders_and_crashes(events, rng: random.Random):
    """Pass the models' benchmark events through, adding an order after ~3% of sessions, a crash after ~1%."""
    from bench_models import zipf

    session, last = None, None
    for event in events:
        if session is not None and event["domain_sessionid"] != session:
            yield from _extras(last, rng, zipf)
        session, last = event["domain_sessionid"], event
        yield event
    if last is not None:
        yield from _extras(last, rng, zipf)


def _extras(last: dict, rng: random.Random, zipf) -> list[dict]:
    base = {k: v for k, v in last.items() if k not in ("event_id", "contexts", "pp_yoffset_max", "doc_height",
                                                       "br_viewheight", "unstruct_event", "event_vendor")}
    t = last["collector_tstamp"] + 1000
    timing = {"collector_tstamp": t, "derived_tstamp": t, "dvce_created_tstamp": t}
    extras = []
    if rng.random() < 0.03:
        order = f"o-{uuid.UUID(int=rng.getrandbits(128))}"
        items = [PRODUCTS[zipf(rng, len(PRODUCTS))] for _ in range(rng.randint(1, 3))]
        quantities = [rng.randint(1, 3) for _ in items]
        total = round(sum(price * q for (_, _, _, price), q in zip(items, quantities, strict=True)), 2)
        extras.append({**base, **timing, "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                       "event": "transaction", "event_name": "transaction", "tr_orderid": order, "tr_total": total,
                       "tr_currency": "EUR"})
        for (sku, name, category, price), quantity in zip(items, quantities, strict=True):
            extras.append({**base, **timing, "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                           "event": "transaction_item", "event_name": "transaction_item", "ti_orderid": order,
                           "ti_sku": sku, "ti_name": name, "ti_category": category, "ti_price": price,
                           "ti_quantity": quantity, "ti_currency": "EUR"})
    if rng.random() < 0.01:
        data = {"message": f"Error {zipf(rng, 40)}", "exceptionName": rng.choice(["NullPointer", "IndexError"]),
                "programmingLanguage": "JAVA"}
        extras.append({**base, **timing, "event_id": str(uuid.UUID(int=rng.getrandbits(128))), "event": "unstruct",
                       "event_name": "application_error", "event_vendor": "com.snowplowanalytics.snowplow",
                       "unstruct_event": {"schema": UNSTRUCT, "data": {"schema": APP_ERROR, "data": data}}})
    return extras


def ensure_data(count: int) -> str:
    """Load the data set and run the models unless the bench site has them already; say what was measured."""
    from bench_models import Generator, load
    from django.conf import settings
    from django.db import connection

    from dashboards.models import Site
    from warehouse.modeling.runs import model_run
    from warehouse.partitions import partitions_ensure

    settings.MODELING_LOOKBACK_MINUTES = 0
    Site.objects.get_or_create(slug="bench", defaults={"name": "Bench", "app_ids": ["shop"],
                                                        "timezone": "Europe/Berlin"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atomic.events")
        have = cursor.fetchone()[0]
    if have < count:
        now = dt.datetime.now(dt.UTC)
        partitions_ensure(months_back=13, months_ahead=1)
        started = time.perf_counter()
        events = Generator(seed=have + 7, visitors=count // 10).events(count - have, now - dt.timedelta(days=365),
                                                                       now - dt.timedelta(hours=1))
        loaded = load(with_orders_and_crashes(events, random.Random(have + 11)))
        print(f"loaded {loaded:,} events in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        result = model_run(full_refresh=True)
        print(f"models: full refresh, {result.sessions:,} sessions in {time.perf_counter() - started:.0f} s",
              flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        have += loaded
    return f"{have:,} events in atomic.events, data models built"


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


def row(name: str, days: int, cold: list[float], cached: list[float] | None, goal: str) -> None:
    cached_cells = f"{statistics.median(cached):>11.1f} {p95(cached):>11.1f}" if cached else f"{'-':>11} {'-':>11}"
    print(f"{name:<12} {days:>4} {statistics.median(cold):>9.1f} {p95(cold):>9.1f} {cached_cells}  {goal}",
          flush=True)


def server_times(client, end: dt.date, repeat: int) -> None:
    print(f"{'page':<12} {'days':>4} {'cold p50':>9} {'cold p95':>9} {'cached p50':>11} {'cached p95':>11}  goal")
    # One untimed load of every page first: a long-running server has imported its modules, compiled its
    # templates and opened its database connection before a marketer arrives; "cold" means an empty tile cache.
    for page in PAGES:
        client.get("/dashboards/bench/" + ("" if page == "overview" else f"{page}/"))
    for days in (30, 365):
        query = f"period=custom&from={end - dt.timedelta(days=days - 1)}&to={end}"
        for page in PAGES:
            url = "/dashboards/bench/" + ("" if page == "overview" else f"{page}/") + f"?{query}"
            cold, cached = measure(client, url, repeat, cold=True), measure(client, url, repeat, cold=False)
            goal = "cold p95 < 300, cached p95 < 50" if page in GOAL_PAGES else ""
            verdict = ("met" if p95(cold) < 300 and p95(cached) < 50 else "MISSED") if goal else ""
            row(page, days, cold, cached, f"{goal} {verdict}".strip())
        steps = "kind=page&value=%2F&kind=page&value=%2Fpage%2F*&kind=event&value=signup"
        funnel = f"/dashboards/bench/funnels/?{query}&{steps}"
        retention = f"/dashboards/bench/retention/?{query}"
        for name, url in (("funnels", funnel), ("retention", retention)):
            cold = measure(client, url, max(3, repeat // 4), cold=True)
            row(name, days, cold, None, "cold p95 < 2000 " + ("met" if p95(cold) < 2000 else "MISSED"))


def browser_times(client, end: dt.date, repeat: int, port: int) -> None:
    """Full page loads in headless Chromium against `manage.py runserver` (cached tiles: the second load on)."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=os.environ | {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)
        session = client.cookies["sessionid"].value
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}])
            page = context.new_page()
            print(f"\nfull page load in headless Chromium, {repeat} loads each (ms, navigation start to load event,"
                  " tiles cached after the first load)")
            for days in (30, 365):
                query = f"period=custom&from={end - dt.timedelta(days=days - 1)}&to={end}"
                for name in PAGES:
                    url = f"http://127.0.0.1:{port}/dashboards/bench/" + ("" if name == "overview" else f"{name}/")
                    times = []
                    for _ in range(repeat):
                        page.goto(f"{url}?{query}", wait_until="load")
                        times.append(page.evaluate(
                            "() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return n.loadEventEnd - n.startTime; }"))
                    print(f"{name:<12} {days:>4} p50 {statistics.median(times):7.1f}  p95 {p95(times):7.1f}",
                          flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--prepare-only", action="store_true", help="load the data and run the models, then stop")
    parser.add_argument("--browser", action="store_true", help="also time full page loads in headless Chromium")
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from dashboards.models import Site
    from dashboards.periods import get_site_today

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    source = ensure_data(args.events)
    if args.prepare_only:
        return
    setup_test_environment()
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "", "x")
    client = Client()
    client.force_login(user)
    end = get_site_today(Site.objects.get(slug="bench").timezone)
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"source: {source}; {args.repeat} requests each; server time in ms, in process; load average {load}")
    server_times(client, end, args.repeat)
    if args.browser:
        browser_times(client, end, max(3, args.repeat // 4), args.port)


if __name__ == "__main__":
    main()
