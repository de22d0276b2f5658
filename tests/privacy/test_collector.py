"""The collector under per-site privacy settings: cookieless sites, refused origins and rate limits (429)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from collector.ratelimit import TokenBuckets
from collector.sites import build_policies, request_app_id, request_host
from tests.collector.support import TP2, MemorySink, call, memory_sink, reset_collector

ZEROS = "00000000-0000-0000-0000-000000000000"
KNOWN = "5b0f1e2d-3c4b-4a59-8877-665544332211"
POST_BODY = (b'{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",'
             b'"data":[{"e":"pv","aid":"shop","tv":"js-4.0.0","p":"web"}]}')


@pytest.fixture(autouse=True)
def fresh_collector() -> Iterator[None]:
    reset_collector()
    yield
    reset_collector()


@pytest.fixture
def sink(monkeypatch) -> MemorySink:
    return memory_sink(monkeypatch)


@pytest.fixture
def configure(settings) -> Callable[..., None]:
    def apply(**overrides) -> None:
        for name, value in overrides.items():
            setattr(settings, f"COLLECTOR_{name}", value)
        reset_collector()

    return apply


def pixel(app_id: str = "shop", headers: list[tuple[str, str]] | None = None, client=("198.51.100.7", 40000)):
    return call("GET", "/i", f"e=pv&aid={app_id}", headers=headers or [], client=client)


@pytest.mark.django_db(transaction=True)
def test_a_cookieless_site_gets_no_cookie_and_its_sp_cookie_is_neither_read_nor_recorded(make_site, sink):
    make_site("shop", cookieless=True)
    answer = pixel(headers=[("Cookie", f"sp={KNOWN}; other=1")])
    assert answer.status == 200 and answer.all("set-cookie") == []
    payload = sink.payloads[0]
    assert payload.networkUserId == ZEROS
    assert payload.ipAddress == "198.51.100.7"  # kept for the salted hash computed in enrichment
    assert not any(line.lower().startswith("cookie:") for line in payload.headers)


@pytest.mark.django_db(transaction=True)
def test_a_cookieless_site_is_recognised_by_its_origin_when_a_post_has_no_known_app_id(make_site, sink):
    make_site("shop", cookieless=True)
    body = POST_BODY.replace(b'"aid":"shop"', b'"aid":"unlisted"')
    answer = call("POST", TP2, headers=[("Origin", "https://www.shop.example"),
                                        ("Content-Type", "application/json")], body=body)
    assert answer.status == 200 and answer.all("set-cookie") == []


@pytest.mark.django_db(transaction=True)
def test_other_sites_keep_the_sp_cookie(make_site, sink):
    make_site("shop", cookieless=True)
    make_site("blog")
    answer = pixel("blog", headers=[("Cookie", f"sp={KNOWN}")])
    assert answer.all("set-cookie")[0].startswith(f"sp={KNOWN};")
    assert sink.payloads[0].networkUserId == KNOWN


@pytest.mark.django_db(transaction=True)
def test_a_refused_origin_is_answered_403_and_not_stored(make_site, sink):
    make_site("shop", origin_policy="refuse", allowed_origins=["partner.example"])
    refused = call("POST", TP2, headers=[("Origin", "https://spam.example"), ("Content-Type", "application/json")],
                   body=POST_BODY)
    allowed = call("POST", TP2, headers=[("Origin", "https://partner.example"),
                                         ("Content-Type", "application/json")], body=POST_BODY)
    assert (refused.status, allowed.status) == (403, 200)
    assert len(sink.records) == 1


def test_requests_over_the_per_ip_limit_are_answered_429_and_the_answered_ones_are_all_stored(configure, sink):
    configure(RATE_LIMIT_PER_IP=2, SITE_POLICY_SECONDS=3600)
    statuses = [pixel("app").status for _ in range(3)]
    other_client = pixel("app", client=("203.0.113.9", 1234)).status
    assert statuses == [200, 200, 429] and other_client == 200
    assert len(sink.records) == 3  # every 200 was stored; the 429 was not


def test_requests_over_the_per_app_id_limit_are_answered_429(configure, sink):
    configure(RATE_LIMIT_PER_APP_ID=1)
    assert [pixel("app", client=(f"203.0.113.{i}", 1)).status for i in range(2)] == [200, 429]
    assert pixel("other").status == 200
    answer = pixel("app")
    assert answer.status == 429 and answer.header("retry-after") == "1"


def test_a_token_bucket_refills_at_its_rate_per_minute():
    buckets = TokenBuckets(60)  # one token a second, bursts of 60
    assert all(buckets.allow("k", now=0.0) for _ in range(60))
    assert not buckets.allow("k", now=0.0)
    assert not buckets.allow("k", now=0.5)  # half a token back
    assert buckets.allow("k", now=1.0)  # 0.5 + 0.5 = one whole token, taken
    assert not buckets.allow("k", now=1.5)
    assert TokenBuckets(0).allow("k")  # 0 means no limit


def test_the_site_of_a_request_is_found_by_app_id_then_by_origin_host_or_a_parent_domain():
    policies = build_policies([{"app_ids": ["shop"], "domains": ["shop.example"], "allowed_origins": [],
                                "cookieless": True, "refuse_other_origins": False}])
    assert policies.find("shop", None) is not None
    assert policies.find(None, "www.shop.example") is policies.find("shop", None)
    assert policies.find("blog", "evilshop.example") is None
    assert request_app_id(b"e=pv&aid=shop", None) == "shop"
    assert request_app_id(b"", POST_BODY) == "shop"
    assert request_host("https://a.example https://b.example", None) == "a.example"
    assert request_host(None, "https://shop.example/page") == "shop.example"


@pytest.fixture
def shared_limits(configure, settings) -> Iterator[None]:
    import os

    import redis

    settings.REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("spdj:ratelimit:*"):
        client.delete(key)
    yield
    for key in client.scan_iter("spdj:ratelimit:*"):
        client.delete(key)
    client.close()


def test_with_redis_the_limit_is_shared_by_all_workers(configure, sink, shared_limits):
    from snowplow_site.asgi import collector_application

    configure(RATE_LIMIT_PER_IP=2, RATE_LIMIT_REDIS=True)
    assert [pixel("app").status for _ in range(2)] == [200, 200]
    collector_application.reset()  # as if another worker process answered the next request
    assert pixel("app").status == 429
    assert len(sink.records) == 2


def test_when_redis_cannot_be_reached_the_limiter_lets_requests_through(configure, sink, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    configure(RATE_LIMIT_PER_IP=1, RATE_LIMIT_REDIS=True)
    assert [pixel("app").status for _ in range(3)] == [200, 200, 200]


def test_the_site_snapshot_is_read_once_until_it_is_stale_and_a_failed_read_falls_back_to_no_policies():
    import asyncio

    from collector.sites import NO_POLICIES, SitePolicies, SitePolicyCache

    reads: list[int] = []
    snapshot = SitePolicies()

    def loader() -> SitePolicies:
        reads.append(1)
        if len(reads) == 1:
            raise OSError("database down")
        return snapshot

    cache = SitePolicyCache(max_age=3600, loader=loader)

    async def twice() -> list[SitePolicies]:
        return [await cache.get(), await cache.get()]

    assert asyncio.run(twice()) == [NO_POLICIES, NO_POLICIES]  # failed: retried after a few seconds, not at once
    assert len(reads) == 1
    cache.expires = 0.0

    async def stale() -> SitePolicies:
        answered = await cache.get()  # stale: answered from the last snapshot while a refresh starts
        await cache._refresh
        return answered

    assert asyncio.run(stale()) is NO_POLICIES
    assert len(reads) == 2 and cache.policies is snapshot
