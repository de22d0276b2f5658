"""Data models and dashboard queries at scale (issue 9), side by side with the same questions on atomic.events.

Generates a skewed web data set over the last 365 days (visitors ~ events/10, sessions ~ events/4, 5,000 pages,
500 referrers, 200 campaigns, 150 countries, Zipf-like popularity; page pings, custom events with properties),
loads it through warehouse.api.batch_load, runs a full model refresh, then prints:
  - the time of an incremental model run for one new hour of traffic;
  - p50/p95 latency of each dashboard question for 30 and 365 days vs the raw-events equivalent;
  - EXPLAIN evidence that the dashboard questions never touch atomic.events.
Runs in its own database `<name>_models_bench` (created and migrated on first use); sizes grow cumulatively and a
size already there is not generated again, so a re-run measures the same data (`--refresh` remodels it first,
after a model change; `--generate-only` loads and models without timing; `--raw-repeat` bounds the slow raw runs):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_models.py --sizes 1000000 3000000

"custom property" is the dashboard filter prop:plan:is:pro (visitors and sessions with such an event), "combined
filters" adds country and browser to it; both are answered from the derived tables (warehouse.modeling.filtered).
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

CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", "Samsung Internet", "Opera"]
OSES = ["Windows", "Mac OS X", "iOS", "Android", "Linux"]
DEVICES = ["Computer", "Mobile", "Tablet"]
SEARCH = ["Google", "Bing", "DuckDuckGo"]


def bench_database_url(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_models_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def zipf(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in 0..n-1, popular ones first (a cheap Zipf-like draw)."""
    return min(int(n * rng.random() ** (1 + 3 * s)), n - 1)


class Generator:
    """Sessions of page views, pings and custom events; `sessions(count, start, end)` yields event dicts."""

    def __init__(self, seed: int, visitors: int) -> None:
        self.rng = random.Random(seed)
        self.visitors = visitors
        self.countries = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(150)]
        self.referrers = [f"ref{i}.example" for i in range(497)] + ["www.google.com", "t.co", "www.bing.com"]
        self.campaigns = [f"campaign-{i}" for i in range(200)]

    def session(self, start_ms: int) -> list[dict]:
        rng = self.rng
        visitor = f"v{zipf(rng, self.visitors, 0.3)}"
        sid = str(uuid.UUID(int=rng.getrandbits(128)))
        common = {"app_id": "shop", "platform": "web", "v_collector": "bench", "v_etl": "bench",
                  "domain_userid": visitor, "domain_sessionid": sid, "geo_country": self.countries[zipf(rng, 150)],
                  "br_family": rng.choice(BROWSERS), "os_family": rng.choice(OSES), "dvce_type": rng.choice(DEVICES),
                  "dvce_screenwidth": rng.choice([390, 768, 1280, 1920]), "geo_city": f"city{zipf(rng, 2000)}"}
        landing = dict(common)
        roll = rng.random()
        if roll < 0.35:
            host = self.referrers[zipf(rng, 500)]
            landing |= {"refr_urlhost": host, "refr_medium": "unknown", "refr_source": None}
        elif roll < 0.55:
            landing |= {"refr_urlhost": "www.google.com", "refr_medium": "search", "refr_source": rng.choice(SEARCH)}
        elif roll < 0.65:
            landing |= {"mkt_medium": "cpc", "mkt_source": "google", "mkt_campaign": self.campaigns[zipf(rng, 200)]}
        events, t = [], start_ms
        for index in range(1 + min(int(rng.expovariate(0.7)), 8)):
            page = f"/page/{zipf(rng, 5000)}" if index or rng.random() < 0.7 else "/"
            pv = str(uuid.UUID(int=rng.getrandbits(128)))
            events.append(self._event(landing if index == 0 else common, "page_view", t, pv, page_urlpath=page))
            for _ in range(int(rng.expovariate(0.6))):
                t += rng.randint(8000, 12000)
                events.append(self._event(common, "page_ping", t, pv, page_urlpath=page,
                                          pp_yoffset_max=rng.randint(0, 3000), doc_height=3000, br_viewheight=800))
            if rng.random() < 0.12:
                t += 2000
                props = {"plan": rng.choice(["free", "pro", "team"]), "seats": rng.randint(1, 9)}
                events.append(self._unstruct(common, t, pv, page, props))
            t += rng.randint(5000, 90000)
        return events

    def _event(self, base: dict, kind: str, t: int, pv: str, **fields) -> dict:
        return {**base, "event_id": str(uuid.UUID(int=self.rng.getrandbits(128))), "event": kind, "event_name": kind,
                "collector_tstamp": t, "derived_tstamp": t, "dvce_created_tstamp": t,
                "contexts": {"schema": CONTEXTS, "data": [{"schema": WEB_PAGE, "data": {"id": pv}}]}, **fields}

    def _unstruct(self, base: dict, t: int, pv: str, page: str, props: dict) -> dict:
        event = self._event(base, "unstruct", t, pv, page_urlpath=page, event_vendor="com.acme")
        event["event_name"] = "signup"
        event["unstruct_event"] = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                                   "data": {"schema": "iglu:com.acme/signup/jsonschema/1-0-0", "data": props}}
        return event

    def events(self, count: int, start: dt.datetime, end: dt.datetime):
        lo, hi = int(start.timestamp() * 1000), int(end.timestamp() * 1000)
        made = 0
        while made < count:
            batch = self.session(self.rng.randint(lo, hi))
            made += len(batch)
            yield from batch


def load(events, batch: int = 5000) -> int:
    from django.db import transaction

    from warehouse.api import LoadableEvent, batch_load

    buffer, loaded = [], 0
    for event in events:
        buffer.append(LoadableEvent(event, event["event_id"]))
        if len(buffer) >= batch:
            with transaction.atomic():
                loaded += batch_load(buffer, [f"bench-{uuid.uuid4()}"]).events_loaded
            buffer = []
            if loaded % 200_000 < batch:
                print(f"  ... {loaded:,} events loaded", flush=True)
    if buffer:
        with transaction.atomic():
            loaded += batch_load(buffer, [f"bench-{uuid.uuid4()}"]).events_loaded
    return loaded


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def raw(sql: str, params: dict):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return run


RAW_WHERE = """app_id = 'shop' AND derived_tstamp >= %(lo)s AND derived_tstamp < %(hi)s"""
RAW = {
    "overview": f"""SELECT count(*) FILTER (WHERE event = 'page_view'), count(DISTINCT domain_userid),
                        count(DISTINCT domain_sessionid) FROM atomic.events WHERE {RAW_WHERE}""",
    "top pages": f"""SELECT page_urlpath, count(*), count(DISTINCT domain_userid) FROM atomic.events
                     WHERE {RAW_WHERE} AND event = 'page_view' GROUP BY 1 ORDER BY 3 DESC LIMIT 10""",
    "sources": f"""SELECT coalesce(mkt_source, refr_source, refr_urlhost), count(DISTINCT domain_userid)
                   FROM atomic.events WHERE {RAW_WHERE} AND event = 'page_view' GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
    "geography": f"""SELECT geo_country, count(DISTINCT domain_userid) FROM atomic.events WHERE {RAW_WHERE}
                     GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
    "technology": f"""SELECT br_family, count(DISTINCT domain_userid) FROM atomic.events WHERE {RAW_WHERE}
                      GROUP BY 1 ORDER BY 2 DESC LIMIT 10""",
    "funnel 3 steps": f"""WITH a AS (SELECT domain_sessionid s, min(derived_tstamp) t FROM atomic.events
                              WHERE {RAW_WHERE} AND event = 'page_view' AND page_urlpath = '/' GROUP BY 1),
                          b AS (SELECT e.domain_sessionid s, min(e.derived_tstamp) t FROM atomic.events e JOIN a
                              ON a.s = e.domain_sessionid AND e.derived_tstamp >= a.t WHERE {RAW_WHERE}
                              AND e.event = 'page_view' AND e.page_urlpath LIKE '/page/%%' GROUP BY 1),
                          c AS (SELECT e.domain_sessionid s FROM atomic.events e JOIN b ON b.s = e.domain_sessionid
                              AND e.derived_tstamp >= b.t WHERE {RAW_WHERE} AND e.event_name = 'signup' GROUP BY 1)
                     SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), (SELECT count(*) FROM c)""",
    "retention 8 weeks": """WITH f AS (SELECT domain_userid u, date_trunc('week', min(derived_tstamp)) w
                                FROM atomic.events WHERE app_id = 'shop' GROUP BY 1),
                            a AS (SELECT DISTINCT domain_userid u, date_trunc('week', derived_tstamp) w
                                FROM atomic.events WHERE app_id = 'shop' AND derived_tstamp >= %(r_lo)s)
                        SELECT f.w, a.w, count(*) FROM f JOIN a ON a.u = f.u AND a.w >= f.w
                        WHERE f.w >= %(r_lo)s GROUP BY 1, 2""",
    "custom property": f"""SELECT count(DISTINCT domain_userid), count(DISTINCT domain_sessionid) FROM atomic.events
                           WHERE {RAW_WHERE} AND domain_sessionid IN (SELECT domain_sessionid FROM atomic.events
                           WHERE {RAW_WHERE} AND unstruct_event -> 'data' -> 'data' @> '{{"plan": "pro"}}')""",
    "combined filters": f"""SELECT count(DISTINCT domain_userid), count(DISTINCT domain_sessionid) FROM atomic.events
                            WHERE {RAW_WHERE} AND geo_country = 'AA' AND br_family = 'Chrome'
                            AND domain_sessionid IN (SELECT domain_sessionid FROM atomic.events WHERE {RAW_WHERE}
                            AND unstruct_event -> 'data' -> 'data' @> '{{"plan": "pro"}}')""",
    "realtime": """SELECT count(DISTINCT domain_userid), count(*) FROM atomic.events WHERE app_id = 'shop'
                   AND collector_tstamp >= (now() AT TIME ZONE 'UTC') - interval '30 minutes'""",
}


def questions(site, days: int, today: dt.date):
    from warehouse.modeling import api

    start = today - dt.timedelta(days=days - 1)
    plan = api.Condition("prop", "pro", prop="plan")
    steps = [api.FunnelStep("page", "/"), api.FunnelStep("page", "/page/*"), api.FunnelStep("event", "signup")]
    return {
        "overview": lambda: (api.get_overview(site, start, today), api.list_timeseries(site, start, today)),
        "top pages": lambda: api.list_breakdown(site, "page", start, today),
        "sources": lambda: api.list_breakdown(site, "source", start, today),
        "geography": lambda: api.list_breakdown(site, "country", start, today),
        "technology": lambda: api.list_breakdown(site, "browser", start, today),
        "funnel 3 steps": lambda: api.get_funnel(site, steps, start, today),
        "retention 8 weeks": lambda: api.list_retention(site, today - dt.timedelta(weeks=7), weeks=8),
        "custom property": lambda: api.get_overview(site, start, today, filters=[plan]),
        "combined filters": lambda: api.get_overview(site, start, today, filters=[
            api.Condition("country", "AA"), api.Condition("browser", "Chrome"), plan]),
        "realtime": lambda: api.get_realtime(site),
    }


def explain_dashboard(site, today: dt.date) -> None:
    from django.db import connection

    connection.queries_log.clear()
    connection.force_debug_cursor = True
    try:
        for fn in questions(site, 365, today).values():
            fn()
    finally:
        connection.force_debug_cursor = False
    statements = [q["sql"] for q in connection.queries
                  if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]  # not SET LOCAL, COMMIT
    touching = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute("EXPLAIN " + statement)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            touching += "atomic." in plan
    print(f"EXPLAIN: {len(statements)} dashboard statements planned; {touching} read atomic.events "
          f"(relations scanned: {sorted(_relations(statements))})")


def _relations(statements: list[str]) -> set[str]:
    from django.db import connection

    found: set[str] = set()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute("EXPLAIN (FORMAT JSON, VERBOSE) " + statement)
            stack = [cursor.fetchone()[0][0]["Plan"]]
            while stack:
                node = stack.pop()
                if "Relation Name" in node:
                    found.add(f"{node.get('Schema', '?')}.{node['Relation Name']}")
                stack.extend(node.get("Plans", []))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--raw-repeat", type=int, default=3, help="runs of each raw atomic.events query (slow)")
    parser.add_argument("--refresh", action="store_true",
                        help="full model refresh even when the data set is already there (after a model change)")
    parser.add_argument("--generate-only", action="store_true", help="load and model up to the sizes, no timings")
    args = parser.parse_args()
    default = "postgres://postgres@127.0.0.1:5432/snowplow"
    os.environ["DATABASE_URL"] = bench_database_url(os.environ.get("DATABASE_URL", default))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("warehouse.entity_tables").setLevel(logging.CRITICAL)  # the bench's schema is not in Iglu
    from django.conf import settings

    # Everything here is loaded within minutes, so the default 30-minute lookback would remodel the whole data
    # set on the "one new hour" run; production loads trickle in, where the lookback costs minutes of traffic.
    settings.MODELING_LOOKBACK_MINUTES = 0
    from django.core.management import call_command
    from django.db import connection

    from dashboards.models import Site
    from warehouse.modeling.runs import model_run

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atomic.events")
        have = cursor.fetchone()[0]
    site, _ = Site.objects.get_or_create(slug="bench", defaults={"name": "Bench", "timezone": "Europe/Berlin",
                                                                   "app_ids": ["shop"]})
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(__import__("zoneinfo").ZoneInfo(site.timezone)).date()
    generator = Generator(seed=len(str(have)) + have, visitors=max(args.sizes) // 10)
    curve = []
    for size in args.sizes:
        if have < size:
            started = time.perf_counter()
            from warehouse.partitions import partitions_ensure

            partitions_ensure(months_back=13, months_ahead=1)
            loaded = load(generator.events(size - have, now - dt.timedelta(days=365), now - dt.timedelta(hours=1)))
            print(f"loaded {loaded:,} events through batch_load in {time.perf_counter() - started:.0f} s", flush=True)
            have += loaded
            started = time.perf_counter()
            result = model_run(full_refresh=True)
            print(f"full refresh: {result.sessions:,} sessions in {time.perf_counter() - started:.0f} s", flush=True)
        elif args.refresh and size == args.sizes[0]:
            started = time.perf_counter()
            result = model_run(full_refresh=True)
            print(f"full refresh: {result.sessions:,} sessions in {time.perf_counter() - started:.0f} s", flush=True)
        if args.generate_only:
            continue
        hour = list(generator.events(max(100, size // 8760), now - dt.timedelta(hours=1), now))
        load(hour)
        have += len(hour)
        started = time.perf_counter()
        result = model_run()
        incremental = time.perf_counter() - started
        print(f"\n== {have:,} events: incremental run for one new hour ({len(hour)} events, {result.sessions} "
              f"sessions): {incremental:.2f} s")
        with connection.cursor() as cursor:
            # What autovacuum would do (it may be off on a bench server): statistics, and the visibility map the
            # index-only scans of the rollups and funnels rely on (model runs rewrite rollup rows).
            cursor.execute("ANALYZE")
            for table in ("rollups", "page_views", "events", "sessions", "users", "goal_conversions"):
                cursor.execute(f"VACUUM derived.{table}")
        rows = []
        for days in (30, 365):
            lo = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time())
            params = {"lo": lo, "hi": now.replace(tzinfo=None) + dt.timedelta(days=1),
                      "r_lo": now.replace(tzinfo=None) - dt.timedelta(weeks=8)}
            for name, fn in questions(site, days, today).items():
                p50, p95 = timed(fn, args.repeat)
                r50, r95 = timed(raw(RAW[name], params), max(1, min(args.raw_repeat, args.repeat)))
                rows.append((days, name, p50, p95, r50, r95))
                print(f"{days:>4} d  {name:<18} models p50 {p50:8.1f} ms  p95 {p95:8.1f} ms   "
                      f"raw atomic.events p50 {r50:9.1f} ms  p95 {r95:9.1f} ms   x{r50 / max(p50, 0.01):.0f}",
                      flush=True)
        curve.append((have, incremental, rows))
        explain_dashboard(site, today)
    print("\ngrowth curve (p95 ms of the models at 365 days; incremental run s):")
    for have, incremental, rows in curve:
        cells = "  ".join(f"{name} {p95:.0f}" for days, name, _, p95, _, _ in rows if days == 365)
        print(f"  {have:>11,} events: incremental {incremental:.2f} s  {cells}")


if __name__ == "__main__":
    main()
