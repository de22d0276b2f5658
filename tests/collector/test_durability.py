"""Durability, for real: a request answered 2xx is in the sink, whatever is SIGKILLed (DESIGN contract 2).

Load comes from several keep-alive clients, each request carrying unique event ids. After the kill and the
restart, every id that was answered 2xx must be found in the sink; while Redis is down the answer is 503.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection

from collector.payload import payload_deserialize
from tests.collector.support import PAYLOAD_DATA, TP2, CollectorServer, RedisServer, query_params, stream_payloads

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@dataclass
class Load:
    """Clients alternating GET /i and 2-event tp2 POSTs; `outcomes` maps each event id to its status (or 0)."""

    port: int
    clients: int = 6
    outcomes: dict[str, int] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Load:
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def statuses(self) -> list[int]:
        with self.lock:
            return list(self.outcomes.values())

    def wait_until(self, condition: Callable[[list[int]], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self.statuses()):
            assert time.monotonic() < deadline, f"load never reached the expected state: {self.summary()}"
            time.sleep(0.05)

    def summary(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for status in self.statuses():
            counts[status] = counts.get(status, 0) + 1
        return counts

    def answered_2xx(self) -> set[str]:
        with self.lock:
            return {eid for eid, status in self.outcomes.items() if 200 <= status < 300}

    def _client(self, number: int) -> None:
        sequence = 0
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stopping.is_set():
            sequence += 1
            ids = [f"c{number}-{sequence}-{part}" for part in ("a", "b")]
            try:
                if sequence % 2:
                    conn.request("GET", f"/i?e=pv&p=web&tv=load&eid={ids[0]}")
                    ids = ids[:1]
                else:
                    events = [{"e": "pv", "p": "web", "tv": "load", "eid": eid} for eid in ids]
                    body = json.dumps({"schema": PAYLOAD_DATA, "data": events})
                    conn.request("POST", TP2, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0  # no answer: the client does not know, and a tracker would retry
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                time.sleep(0.02)
            with self.lock:
                for eid in ids:
                    self.outcomes[eid] = status
        conn.close()


def event_ids(payloads) -> set[str]:
    ids = set()
    for payload in payloads:
        if payload.body:
            ids.update(event["eid"] for event in json.loads(payload.body)["data"])
        else:
            ids.add(query_params(payload)["eid"])
    return ids


def postgres_sink_payloads():
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM collector_rawpayload ORDER BY id")
        return [payload_deserialize(bytes(row[0])) for row in cursor.fetchall()]


def test_sigkill_of_the_collector_under_load_loses_no_request_it_answered_2xx(start_collector):
    server = start_collector(RAW_SINK="postgres")
    restarted = CollectorServer(server.env, server.log_path, port=server.port)
    load = Load(server.port).start()
    try:
        load.wait_until(lambda statuses: statuses.count(200) >= 300)
        server.kill()
        load.wait_until(lambda statuses: statuses.count(0) >= 5)
        restarted.start()
        before = load.statuses().count(200)
        load.wait_until(lambda statuses: statuses.count(200) >= before + 200)
    finally:
        load.stop()
        restarted.stop()
    answered = load.answered_2xx()
    stored = event_ids(postgres_sink_payloads())
    assert answered <= stored, f"answered 2xx but not stored: {sorted(answered - stored)[:10]}"
    assert set(load.summary()) <= {0, 200}, load.summary()


def test_sigkill_of_redis_under_load_gives_503_during_the_outage_and_loses_no_request_answered_2xx(
        start_collector, private_redis: RedisServer):
    server = start_collector(RAW_SINK="redis", REDIS_URL=private_redis.url, RAW_STREAM_KEY="durability:raw")
    restarted = RedisServer(private_redis.directory, port=private_redis.port)
    load = Load(server.port).start()
    try:
        load.wait_until(lambda statuses: statuses.count(200) >= 300)
        private_redis.kill()
        load.wait_until(lambda statuses: statuses.count(503) >= 20)
        assert sink_health(server) == 503
        restarted.start()  # replays the AOF
        before = load.statuses().count(200)
        load.wait_until(lambda statuses: statuses.count(200) >= before + 200)
        assert sink_health(server) == 200
        load.stop()
        answered = load.answered_2xx()
        stored = event_ids(stream_payloads(private_redis.url, "durability:raw"))
    finally:
        load.stop()
        restarted.stop()
    assert answered <= stored, f"answered 2xx but not stored: {sorted(answered - stored)[:10]}"
    assert set(load.summary()) <= {200, 503}, load.summary()  # never a 500, never a dropped connection


def sink_health(server: CollectorServer) -> int:
    try:
        with urllib.request.urlopen(f"{server.url}/sink-health", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
