"""The demo as a collector sees it: real tracker POSTs to a local capture server, checked request by request."""

from __future__ import annotations

import ipaddress
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from ua_parser import parse as parse_user_agent

from snowplow_site.demo.sending import (
    LINK_CLICK_SCHEMA,
    SITE_SEARCH_SCHEMA,
    WEB_PAGE_SCHEMA,
    SendReport,
    check_collector_url,
    traffic_send,
)
from snowplow_site.demo.visitors import TrafficPlan, traffic_plan
from tests.demo.conftest import CaptureServer, capture_server_running

TP2_PATH = "/com.snowplowanalytics.snowplow/tp2"
PAYLOAD_DATA_SCHEMA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4"
BATCH_SIZE = 25
# A fixed "now" makes the plan, and so every assertion below, the same on every run.
NOW = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def sent() -> Iterator[tuple[TrafficPlan, SendReport, CaptureServer]]:
    plan = traffic_plan(days=3, visitors=30, seed=7, now=NOW)
    with capture_server_running() as server:
        report = traffic_send(plan, server.url, app_id="demo-site", batch_size=BATCH_SIZE)
        yield plan, report, server


@pytest.fixture(scope="module")
def events(sent: tuple[TrafficPlan, SendReport, CaptureServer]) -> list[dict]:
    return sent[2].events()


def _web_page_id(event: dict) -> str:
    contexts = event["_contexts"]
    assert contexts["schema"] == "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1"
    ids = [c["data"]["id"] for c in contexts["data"] if c["schema"] == WEB_PAGE_SCHEMA]
    assert len(ids) == 1
    return ids[0]


def test_every_request_is_a_tp2_post_with_a_payload_data_envelope(sent):
    _, _, server = sent
    assert len(server.requests) > 5
    for request in server.requests:
        assert (request.method, request.path) == ("POST", TP2_PATH)
        assert request.headers["Content-Type"] == "application/json; charset=utf-8"
        envelope = json.loads(request.body)
        assert envelope["schema"] == PAYLOAD_DATA_SCHEMA
        assert 1 <= len(envelope["data"]) <= BATCH_SIZE
        for event in envelope["data"]:
            assert all(isinstance(value, str) for value in event.values())
            assert {"e", "p", "tv", "eid", "dtm", "stm"} <= event.keys()


def test_every_planned_event_is_delivered_and_counted_by_type(sent, events):
    plan, report, _ = sent
    assert report.ok
    assert report.refused_requests == 0
    assert report.delivered_events == plan.event_total == len(events)
    assert report.tracked == plan.event_counts
    assert len({event["eid"] for event in events}) == len(events)


def test_true_timestamps_spread_over_the_requested_days_and_never_in_the_future(sent, events):
    plan, _, _ = sent
    stamps = [datetime.fromtimestamp(int(event["ttm"]) / 1000, UTC) for event in events]
    assert sorted(int(event["ttm"]) for event in events) == sorted(
        e.at_ms for visit in plan.visits for e in visit.events
    )
    assert min(stamps) > NOW - timedelta(days=4)
    assert max(stamps) <= NOW
    assert len({stamp.date() for stamp in stamps}) >= 3
    assert max(stamps) - min(stamps) > timedelta(days=1.5)


def test_events_carry_a_real_browser_user_agent_not_python_requests(events):
    families = set()
    for event in events:
        assert event["ua"].startswith("Mozilla/5.0 (")
        assert "python-requests" not in event["ua"]
        families.add(parse_user_agent(event["ua"]).user_agent.family)
    assert families <= {
        "Chrome",
        "Chrome Mobile",
        "Chrome Mobile iOS",
        "Chrome Mobile WebView",
        "Edge",
        "Edge Mobile",
        "Firefox",
        "Firefox Mobile",
        "Safari",
        "Mobile Safari",
        "Opera",
        "Samsung Internet",
    }
    assert len(families) >= 3


def test_ip_addresses_are_public_and_varied(events):
    addresses = {ipaddress.ip_address(event["ip"]) for event in events}
    assert all(address.is_global for address in addresses)
    assert len({ipaddress.ip_network(f"{address}/24", strict=False) for address in addresses}) >= 4


def test_the_events_are_web_events_of_the_demo_app_from_the_python_tracker(events):
    assert {event["p"] for event in events} == {"web"}
    assert {event["aid"] for event in events} == {"demo-site"}
    assert {event["tv"] for event in events} == {"py-1.1.0"}
    for event in events:
        assert {"res", "vp", "cd", "lang", "tz"} <= event.keys()


def test_duid_is_stable_per_visitor_and_sid_and_vid_change_between_visits(events):
    sessions_by_user: dict[str, set[tuple[str, str]]] = defaultdict(set)
    users_by_session: dict[str, set[str]] = defaultdict(set)
    for event in events:
        uuid.UUID(event["duid"])
        uuid.UUID(event["sid"])
        sessions_by_user[event["duid"]].add((event["sid"], event["vid"]))
        users_by_session[event["sid"]].add(event["duid"])
    assert all(len(users) == 1 for users in users_by_session.values())
    returning = {user: sessions for user, sessions in sessions_by_user.items() if len(sessions) > 1}
    assert returning, "some visitors should come back"
    for sessions in returning.values():
        assert len({sid for sid, _ in sessions}) == len(sessions)
        vids = sorted(int(vid) for _, vid in sessions)
        assert vids == list(range(vids[0], vids[0] + len(vids)))


def test_every_event_carries_the_web_page_context_of_its_page_view(events):
    page_views = [event for event in events if event["e"] == "pv"]
    view_ids = {_web_page_id(event) for event in page_views}
    assert len(view_ids) == len(page_views)
    for event in events:
        assert _web_page_id(event) in view_ids
        assert event["url"].startswith("https://www.demo-shop.example/")
    assert all(event.get("page") for event in page_views)


def test_page_pings_carry_scroll_offsets_and_follow_their_page_view(events):
    pings = [event for event in events if event["e"] == "pp"]
    assert len(pings) > len([event for event in events if event["e"] == "pv"])
    view_times = {_web_page_id(e): int(e["ttm"]) for e in events if e["e"] == "pv"}
    pings_per_view: dict[str, int] = defaultdict(int)
    for ping in pings:
        assert {"pp_mix", "pp_max", "pp_miy", "pp_may"} <= ping.keys()
        assert int(ping["pp_miy"]) <= int(ping["pp_may"])
        offset = int(ping["ttm"]) - view_times[_web_page_id(ping)]
        assert offset >= 10_000
        pings_per_view[_web_page_id(ping)] += 1
    assert len(set(pings_per_view.values())) >= 3, "engaged time should vary between page views"


def test_link_clicks_site_searches_and_structured_events_are_sent(events):
    unstructured = [event["_unstruct"]["data"] for event in events if event["e"] == "ue"]
    clicks = [data["data"] for data in unstructured if data["schema"] == LINK_CLICK_SCHEMA]
    searches = [data["data"] for data in unstructured if data["schema"] == SITE_SEARCH_SCHEMA]
    assert clicks and all(click["targetUrl"].startswith("https://") and click["elementId"] for click in clicks)
    assert searches and all(search["terms"] and "totalResults" in search for search in searches)
    structured = [event for event in events if event["e"] == "se"]
    assert structured and all(event["se_ca"] and event["se_ac"] for event in structured)
    assert any("se_va" in event and "se_la" in event for event in structured)


def test_a_transaction_is_sent_with_its_items(events):
    transactions = [event for event in events if event["e"] == "tr"]
    items = [event for event in events if event["e"] == "ti"]
    assert transactions and items
    for transaction in transactions:
        own_items = [item for item in items if item["ti_id"] == transaction["tr_id"]]
        assert own_items
        subtotal = sum(float(item["ti_pr"]) * int(item["ti_qu"]) for item in own_items)
        assert float(transaction["tr_tt"]) == pytest.approx(
            subtotal + float(transaction["tr_tx"]) + float(transaction["tr_sh"]), abs=0.02
        )
        assert transaction["tr_cu"] == "USD" and transaction["url"].endswith("/checkout/confirmation")


def test_campaign_landing_urls_carry_utm_parameters(events):
    tagged = [parse_qs(urlsplit(event["url"]).query) for event in events if "utm_source=" in event["url"]]
    assert tagged
    assert all({"utm_source", "utm_medium", "utm_campaign"} <= params.keys() for params in tagged)
    assert any({"utm_term", "utm_content"} <= params.keys() for params in tagged)


def _medium(referrer: str | None) -> str:
    host = urlsplit(referrer).hostname if referrer else None
    if host is None:
        return "direct"
    if host.endswith("demo-shop.example"):
        return "internal"
    if host in {"mail.google.com", "outlook.live.com", "outlook.office.com"}:
        return "email"
    if host.split(".")[-2] in {"google", "bing", "duckduckgo"} or ".google." in host:
        return "search"
    if host in {
        "www.facebook.com",
        "l.facebook.com",
        "m.facebook.com",
        "t.co",
        "x.com",
        "www.linkedin.com",
        "lnkd.in",
        "www.reddit.com",
        "l.instagram.com",
    }:
        return "social"
    return "unknown"


def test_visits_arrive_from_search_social_email_other_sites_and_direct(events):
    first_views: dict[str, dict] = {}
    for event in sorted((e for e in events if e["e"] == "pv"), key=lambda e: int(e["ttm"])):
        first_views.setdefault(event["sid"], event)
    mediums = {_medium(event.get("refr")) for event in first_views.values()}
    assert {"search", "social", "email", "unknown", "direct"} <= mediums
    organic = [e["refr"] for e in first_views.values() if _medium(e.get("refr")) == "search" and "utm_" not in e["url"]]
    assert organic and all("q=" in referrer for referrer in organic)
    later_views = [e for e in events if e["e"] == "pv" and e not in first_views.values()]
    assert later_views and all(_medium(e.get("refr")) == "internal" for e in later_views)


def test_a_collector_that_refuses_stops_the_run_quickly_and_is_reported(capture_server):
    capture_server.status = 403
    plan = traffic_plan(days=2, visitors=10, seed=1)
    started = time.monotonic()
    report = traffic_send(plan, capture_server.url, app_id="demo-site", batch_size=10)
    assert time.monotonic() - started < 10
    assert not report.ok
    assert report.aborted and "HTTP 403" in report.aborted
    assert report.refused_requests >= 1 and report.delivered_events == 0
    assert report.undelivered_events == report.tracked.total() > 0


def test_a_collector_that_fails_with_5xx_is_retried_and_reported(capture_server):
    capture_server.status = 503
    plan = traffic_plan(days=1, visitors=5, seed=2)
    started = time.monotonic()
    report = traffic_send(plan, capture_server.url, app_id="demo-site", batch_size=5)
    assert time.monotonic() - started < 10
    assert not report.ok and report.aborted and "HTTP 503" in report.aborted
    assert report.statuses[503] >= 1


def test_a_collector_url_must_be_a_base_url():
    assert check_collector_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    for bad in ("127.0.0.1:8000", "ftp://example.com", "http://127.0.0.1:8000/com.snowplowanalytics.snowplow/tp2"):
        with pytest.raises(ValueError):
            check_collector_url(bad)
