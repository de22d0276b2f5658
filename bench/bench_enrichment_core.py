"""Events/s per core from CollectorPayload bytes to canonical event, against a deserialise-and-parse baseline.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_enrichment_core.py [events]
The corpus mixes the shapes the browser (POST, plain co/ue_pr), Python (POST, padded base64 cx/ue_px) and Node
(POST, unpadded base64) trackers send, plus pixel GETs, all with a web_page context. No optional enrichments run;
the standard envelope and web_page schemas are validated as in production.
"""

from __future__ import annotations

import base64
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

from collector.payload import ENCODING, SCHEMA, CollectorPayload, payload_deserialize, payload_serialize  # noqa: E402
from enrichment.processing import process_payload  # noqa: E402

PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0"
UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def b64(text: str, padded: bool) -> str:
    encoded = base64.urlsafe_b64encode(text.encode()).decode()
    return encoded if padded else encoded.rstrip("=")


def tracker_event(rng: random.Random, style: str) -> dict[str, str]:
    now = 1_764_000_000_000 + rng.randrange(10_000_000)
    contexts = json.dumps({"schema": CONTEXTS, "data": [{
        "schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", "data": {"id": str(uuid.uuid4())}}]})
    event = {"e": rng.choice(["pv", "pp", "se", "ue"]), "eid": str(uuid.uuid4()), "p": "web", "tv": "js-4.10.1",
             "tna": "sp", "aid": "shop", "dtm": str(now), "stm": str(now + 50), "tz": "Europe/Berlin", "lang": "de-DE",
             "cs": "UTF-8", "res": "1920x1080", "vp": "1280x720", "ds": "1264x3300", "cd": "24", "cookie": "1",
             "duid": str(uuid.uuid4()), "sid": str(uuid.uuid4()), "vid": "2",
             "url": f"https://shop.example/p/{rng.randrange(500)}?utm_source=news&utm_medium=email",
             "refr": "https://www.google.com/search?q=shoes", "page": "Product page"}
    if event["e"] == "pp":
        event.update(pp_mix="0", pp_max="0", pp_miy="0", pp_may=str(rng.randrange(3000)))
    if event["e"] == "se":
        event.update(se_ca="shop", se_ac="add", se_la="sku", se_va="19.99")
    unstruct = None
    if event["e"] == "ue":
        unstruct = json.dumps({"schema": UNSTRUCT, "data": {
            "schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
            "data": {"targetUrl": "https://partner.example/", "elementId": "cta"}}})
    if style == "browser":
        event["co"] = contexts
        if unstruct:
            event["ue_pr"] = unstruct
    else:
        event["cx"] = b64(contexts, padded=style == "python")
        if unstruct:
            event["ue_px"] = b64(unstruct, padded=style == "python")
    if style == "python":
        event.update(p="pc", tv="py-1.1.0")
    elif style == "node":
        event.update(p="srv", tv="node-4.8.0")
    return event


def payload(rng: random.Random, style: str) -> tuple[bytes, int]:
    common = {"schema": SCHEMA, "ipAddress": f"203.0.113.{rng.randrange(255)}", "timestamp": 1_764_000_100_000,
              "encoding": ENCODING, "collector": "spdj-0.1.0-redissink", "userAgent": UA,
              "refererUri": "https://shop.example/", "hostname": "c.example",
              "networkUserId": str(uuid.uuid4()), "headers": ["Host: c.example", f"User-Agent: {UA}"]}
    if style == "pixel":
        query = urlencode(tracker_event(rng, "browser")).encode()
        return payload_serialize(CollectorPayload(path="/i", querystring=query, **common)), 1
    events = [tracker_event(rng, style) for _ in range(rng.choice([1, 1, 3, 10]))]
    body = json.dumps({"schema": PAYLOAD_DATA, "data": events}).encode()
    return payload_serialize(CollectorPayload(path="/com.snowplowanalytics.snowplow/tp2", body=body,
                                              contentType="application/json; charset=utf-8", **common)), len(events)


def baseline(corpus: list[bytes]) -> None:
    for data in corpus:
        thrift = payload_deserialize(data)
        if thrift.body:
            json.loads(thrift.body)


def pipeline(corpus: list[bytes]) -> int:
    good = 0
    for data in corpus:
        outcome = process_payload(data)
        good += len(outcome.good)
        assert not outcome.bad, outcome.bad[0].as_json()
    return good


def timed(function, corpus: list[bytes]) -> float:
    started = time.perf_counter()
    function(corpus)
    return time.perf_counter() - started


def main() -> None:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rng = random.Random(7)
    corpus, events = [], 0
    while events < target:
        data, count = payload(rng, rng.choice(["browser", "python", "node", "pixel"]))
        corpus.append(data)
        events += count
    pipeline(corpus[:200])  # warm caches (validators, resolver) as a running worker has them
    base_seconds = min(timed(baseline, corpus) for _ in range(3))
    pipe_seconds = timed(pipeline, corpus)
    print(f"corpus: {len(corpus)} payloads, {events} events")
    print(f"baseline (Thrift decode + JSON parse): {events / base_seconds:12,.0f} events/s")
    print(f"pipeline (to canonical event):         {events / pipe_seconds:12,.0f} events/s "
          f"({pipe_seconds / events * 1e6:.1f} µs/event)")
    print(f"ratio pipeline/baseline: {base_seconds / pipe_seconds:.3f}   goal: 20,000 events/s per core")


if __name__ == "__main__":
    main()
