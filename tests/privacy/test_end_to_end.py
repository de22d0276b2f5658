"""From the collector to atomic.events: what a cookieless site and a default site end up storing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from collector.sinks.base import ClaimedPayload
from enrichment.api import payloads_load
from enrichment.config import reset_pipeline
from tests.collector.support import MemorySink, call

pytestmark = pytest.mark.django_db(transaction=True)
KNOWN = "5b0f1e2d-3c4b-4a59-8877-665544332211"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"


@pytest.fixture
def sink(monkeypatch) -> MemorySink:
    from collector.conf import get_collector_config
    from snowplow_site.asgi import collector_application

    get_collector_config.cache_clear()
    collector_application.reset()
    memory = MemorySink()
    monkeypatch.setattr("collector.asgi.get_sink", lambda: memory)
    reset_pipeline()
    yield memory
    collector_application.reset()
    reset_pipeline()


def visit(app_id: str, useragent: str, client: str, page: str) -> list[str]:
    answer = call("GET", "/i", f"e=pv&p=web&tv=js-4.0.0&aid={app_id}&url=https://{app_id}.example/{page}",
                  headers=[("User-Agent", useragent), ("Cookie", f"sp={KNOWN}")], client=(client, 5000))
    assert answer.status == 200
    return answer.all("set-cookie")


def drain(sink: MemorySink) -> list[tuple]:
    with transaction.atomic():
        payloads_load([ClaimedPayload(f"p{i}", data) for i, data in enumerate(sink.records)])
    sink.records.clear()
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_id, page_urlpath, network_userid, domain_userid, user_ipaddress "
                       "FROM atomic.events ORDER BY app_id, page_urlpath")
        return cursor.fetchall()


def test_a_cookieless_site_sets_no_cookie_and_stores_one_hashed_visitor_per_browser_with_masked_ips(make_site, sink):
    make_site("calm", cookieless=True)
    cookies = [visit("calm", FIREFOX, "198.51.100.7", "a"), visit("calm", FIREFOX, "198.51.100.7", "b"),
               visit("calm", SAFARI, "198.51.100.7", "c")]
    assert cookies == [[], [], []]
    rows = drain(sink)
    (_, _, nuid_a, duid_a, ip_a), (_, _, nuid_b, _, _), (_, _, nuid_c, _, _) = rows
    assert nuid_a == nuid_b == duid_a and nuid_c != nuid_a
    assert KNOWN not in {nuid_a, nuid_c} and ip_a == "198.51.100.x"


def test_a_default_site_keeps_its_cookie_and_stores_masked_ips(make_site, sink):
    make_site("shop")
    assert visit("shop", FIREFOX, "203.0.113.200", "a")[0].startswith(f"sp={KNOWN};")
    [(_, _, nuid, _, ip)] = drain(sink)
    assert (nuid, ip) == (KNOWN, "203.0.113.x")
