"""Events/s per core through the enrichment stage with the default enrichments, against none, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_enrichments.py [--events 100000]

The corpus: 100,000 events in CollectorPayloads (pixel GETs and tp2 POSTs of 1-10 events, one client each), about
5,000 distinct user agents drawn Zipf-like (s=1.1), about 20,000 distinct client IPs, page URLs with UTM and click
parameters, referrers from search engines, social networks, webmail, internal pages and unknown sites. The City
database has 500,000 /24 networks over 2,000 places, written once by this script with mmdb-writer (about a minute
and a half) and kept in var/bench/. "default" is ip_lookups (that database), ua_parser_config, referer_parser,
campaign_attribution and event_fingerprint_config as the shipped defaults configure them; "none" runs only the
built-in steps. Both go through `process_payload`, CollectorPayload bytes to canonical events, on one core.
Prints events/s for both and each enrichment's cost in microseconds per event (timed separately, per step).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")

import django

django.setup()

from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_serialize  # noqa: E402
from enrichment.config import build_steps  # noqa: E402
from enrichment.configuration import DEFAULTS_DIR, check_configuration, read_configuration_files  # noqa: E402
from enrichment.enrichments.registry import REGISTRY  # noqa: E402
from enrichment.pipeline import BUILTIN_PHASE_2  # noqa: E402
from enrichment.processing import process_payload  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parents[1] / "var" / "bench"
CITY_NETWORKS, CITY_PLACES = 500_000, 2_000
DEFAULT_SET = ("ip_lookups", "ua_parser_config", "referer_parser", "campaign_attribution", "event_fingerprint_config")
PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
BROWSERS = [("Chrome", "Mozilla/5.0 ({os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{b}.{p} Safari/537.36"),
            ("Firefox", "Mozilla/5.0 ({os}; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"),
            ("Safari", "Mozilla/5.0 ({os}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v}.{b} Safari/605.1.15"),
            ("Edge", "Mozilla/5.0 ({os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 "
                     "Edg/{v}.0.{b}.{p}"),
            ("Mobile", "Mozilla/5.0 ({os}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v}.0 Mobile/15E148 "
                       "Safari/604.1"),
            ("Bot", "Mozilla/5.0 (compatible; Examplebot/{v}.{b}; +http://bot.example/{p})")]
SYSTEMS = ["Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
           "iPhone; CPU iPhone OS 17_{b} like Mac OS X", "Linux; Android 14; Pixel {b}",
           "iPad; CPU OS 16_{b} like Mac OS X"]
REFERRERS = ["https://www.google.com/search?q=blue+shoes+{n}", "https://www.google.de/search?q=schuhe+{n}",
             "https://www.bing.com/search?q=shoes+{n}", "https://duckduckgo.com/?q=red+shoes+{n}",
             "https://l.facebook.com/l.php?u=x{n}", "https://t.co/abc{n}", "https://mail.google.com/mail/u/0/",
             "https://shop.example/category/{n}", "https://blog-{n}.example/post", ""]


def city_database(path: Path) -> Path:
    """Write (once) a GeoIP2-City-shaped database of CITY_NETWORKS random /24s over CITY_PLACES places."""
    if path.exists():
        return path
    from mmdb_writer import MMDBWriter
    from netaddr import IPNetwork, IPSet

    rng = random.Random(2026)
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"],
                        description={"en": "benchmark data, not geolocation"})
    groups: list[list[IPNetwork]] = [[] for _ in range(CITY_PLACES)]
    for index, network in enumerate(rng.sample(range(1 << 24), CITY_NETWORKS)):
        groups[index % CITY_PLACES].append(IPNetwork((network << 8, 24)))
    for place, networks in enumerate(groups):
        country = chr(65 + place % 26) + chr(65 + place // 26 % 26)
        writer.insert_network(IPSet(networks), {
            "city": {"names": {"en": f"City {place}"}}, "country": {"iso_code": country},
            "location": {"latitude": -60 + place * 0.06, "longitude": -170 + place * 0.17, "time_zone": "Etc/UTC"},
            "postal": {"code": f"{place:05d}"}, "subdivisions": [{"iso_code": f"R{place % 99}",
                                                                  "names": {"en": f"Region {place % 99}"}}]})
        networks.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.to_db_file(str(path))
    return path


def user_agents(rng: random.Random, count: int) -> list[str]:
    agents = set()
    while len(agents) < count:
        _, template = rng.choice(BROWSERS)
        agents.add(template.format(os=rng.choice(SYSTEMS).format(b=rng.randrange(9)), v=rng.randrange(90, 132),
                                   b=rng.randrange(6000), p=rng.randrange(200)))
    return sorted(agents)


def zipf_weights(count: int, s: float = 1.1) -> list[float]:
    return [1 / (rank ** s) for rank in range(1, count + 1)]


def corpus(events: int, seed: int = 7) -> tuple[list[bytes], int]:
    rng = random.Random(seed)
    agents = user_agents(rng, 5_000)
    weights = zipf_weights(len(agents))
    ips = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
           for _ in range(20_000)]
    payloads, made = [], 0
    while made < events:
        count = min(rng.choice([1, 1, 1, 3, 10]), events - made)
        ua, ip = rng.choices(agents, weights)[0], rng.choice(ips)
        batch = [tracker_event(rng) for _ in range(count)]
        common = {"schema": SCHEMA, "ipAddress": ip, "timestamp": 1_764_000_100_000, "encoding": ENCODING,
                  "collector": "spdj-0.1.0-redissink", "userAgent": ua, "refererUri": "https://shop.example/",
                  "hostname": "c.example", "networkUserId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                  "headers": ["Host: c.example", f"User-Agent: {ua}"]}
        if count == 1 and rng.random() < 0.5:
            payloads.append(payload_serialize(CollectorPayload(path="/i", querystring=urlencode(batch[0]).encode(),
                                                               **common)))
        else:
            body = json.dumps({"schema": PAYLOAD_DATA, "data": batch}).encode()
            payloads.append(payload_serialize(CollectorPayload(
                path="/com.snowplowanalytics.snowplow/tp2", body=body,
                contentType="application/json; charset=utf-8", **common)))
        made += count
    return payloads, made


def tracker_event(rng: random.Random) -> dict[str, str]:
    now = 1_764_000_000_000 + rng.randrange(10_000_000)
    query = rng.choice(["", "utm_source=news&utm_medium=email&utm_campaign=winter",
                        "utm_source=google&utm_medium=cpc&utm_term=shoes&gclid=Cj0K{n}", "fbclid=IwAR{n}",
                        "q=search+{n}"]).format(n=rng.randrange(1000))
    return {"e": rng.choice(["pv", "pv", "pp", "se"]), "eid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "p": "web", "tv": "js-4.1.0", "tna": "sp", "aid": "shop", "dtm": str(now), "stm": str(now + 40),
            "url": f"https://shop.example/p/{rng.randrange(2000)}" + (f"?{query}" if query else ""),
            "refr": rng.choice(REFERRERS).format(n=rng.randrange(500)), "page": "Product", "lang": "en-GB",
            "res": "1920x1080", "vp": "1280x720", "cs": "UTF-8", "duid": f"d{rng.randrange(50_000)}",
            "sid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "vid": str(rng.randrange(1, 9)),
            "se_ca": "shop", "se_ac": "add"}


def default_enrichments(city: Path) -> list[tuple[str, object]]:
    entries, errors = read_configuration_files(DEFAULTS_DIR)
    assert not errors, errors
    built = []
    for _, document in entries:
        parsed = check_configuration(document)
        if parsed.enrichment_name not in DEFAULT_SET:
            continue
        config = parsed.config
        if parsed.enrichment_name == "ip_lookups":
            from enrichment.enrichments.base import Asset

            config = type(config)(Asset(f"file://{city.parent}", city.name), None, None, None, None)
        built.append((parsed.enrichment_name, REGISTRY[parsed.enrichment_name](config, parsed.schema_key)))
    assert [name for name, _ in built] and len(built) == len(DEFAULT_SET), built
    return built


def run(payloads: list[bytes], steps: list) -> tuple[float, int]:
    started, good = time.perf_counter(), 0
    for data in payloads:
        outcome = process_payload(data, steps)
        good += len(outcome.good)
        assert not outcome.bad, outcome.bad[0].as_json()
    return time.perf_counter() - started, good


def timed_steps(steps: list, totals: dict[str, float]) -> list:
    def wrap(name, step):
        clock = time.perf_counter

        def timed(ctx):
            started = clock()
            step(ctx)
            totals[name] = totals.get(name, 0.0) + clock() - started
        return timed
    return [(name, wrap(name, step)) for name, step in steps]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    print("writing or reusing the City database ...", flush=True)
    city = city_database(BENCH_DIR / f"bench-city-{CITY_NETWORKS}.mmdb")
    payloads, events = corpus(args.events)
    enrichments = default_enrichments(city)
    default_steps, none_steps = build_steps(enrichments), list(BUILTIN_PHASE_2)
    run(payloads[:2000], default_steps)  # warm caches (validators, resolver) as a running worker has them
    run(payloads[:2000], none_steps)
    none_seconds, _ = min(run(payloads, none_steps) for _ in range(2))
    default_seconds, good = min(run(payloads, default_steps) for _ in range(2))
    totals: dict[str, float] = {}
    run(payloads, timed_steps(default_steps, totals))
    print(f"corpus: {len(payloads):,} payloads, {events:,} events, {good:,} good; City database "
          f"{city.stat().st_size / 1e6:.1f} MB with {CITY_NETWORKS:,} networks")
    print(f"none    (built-in steps only): {events / none_seconds:10,.0f} events/s per core "
          f"({none_seconds / events * 1e6:5.1f} µs/event)")
    print(f"default ({', '.join(DEFAULT_SET)}): {events / default_seconds:10,.0f} events/s per core "
          f"({default_seconds / events * 1e6:5.1f} µs/event)   goal: 15,000")
    print("per enrichment (µs/event, timed in a separate pass):")
    for name in DEFAULT_SET:
        print(f"  {name:28s} {totals.get(name, 0.0) / events * 1e6:6.2f}")


if __name__ == "__main__":
    main()
