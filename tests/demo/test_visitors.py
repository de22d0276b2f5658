"""The demo plan as data: determinism, the daily and weekly rhythm, returning visitors, sources and purchases."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from snowplow_site.demo.sending import visit_subject
from snowplow_site.demo.visitors import SESSION_TIMEOUT, TrafficPlan, traffic_plan

NOW = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def big_plan() -> TrafficPlan:
    return traffic_plan(days=14, visitors=1000, seed=11, now=NOW)


def _fingerprint(plan: TrafficPlan) -> list[tuple]:
    return [
        (visit.visitor.domain_userid, visit.session_id, visit.ip, event.kind, event.at_ms, event.page.url)
        for visit in plan.visits
        for event in visit.events
    ]


def test_the_same_seed_and_time_give_the_same_plan():
    assert _fingerprint(traffic_plan(days=3, visitors=40, seed=5, now=NOW)) == _fingerprint(
        traffic_plan(days=3, visitors=40, seed=5, now=NOW)
    )


def test_another_seed_gives_another_plan():
    assert _fingerprint(traffic_plan(days=3, visitors=40, seed=5, now=NOW)) != _fingerprint(
        traffic_plan(days=3, visitors=40, seed=6, now=NOW)
    )


def test_a_default_size_plan_has_hundreds_of_visitors_and_thousands_of_events():
    plan = traffic_plan(days=7, visitors=300, seed=1, now=NOW)
    assert len({visit.visitor.domain_userid for visit in plan.visits}) == 300
    assert len(plan.visits) > 350
    assert plan.event_counts["page_view"] > 1000 and plan.event_counts["page_ping"] > 2000
    assert len(plan.event_dates) == 7
    assert len({e.page.url.split("?")[0] for v in plan.visits for e in v.events}) > 200


def test_no_event_is_later_than_now_or_earlier_than_the_first_day(big_plan):
    stamps = [event.at_ms for visit in big_plan.visits for event in visit.events]
    assert max(stamps) <= NOW.timestamp() * 1000
    assert min(stamps) >= (NOW - timedelta(days=15)).timestamp() * 1000


def _local_starts(plan: TrafficPlan) -> list[datetime]:
    return [
        datetime.fromtimestamp(visit.start_ms / 1000, UTC).astimezone(ZoneInfo(visit.visitor.location.time_zone))
        for visit in plan.visits
    ]


def test_visits_are_busier_by_day_than_at_night(big_plan):
    hours = Counter(start.hour for start in _local_starts(big_plan))
    day = sum(hours[h] for h in range(10, 22))
    night = sum(hours[h] for h in range(1, 6))
    assert day / 12 > 5 * night / 5


def test_weekdays_are_busier_than_weekends(big_plan):
    today = NOW.date()
    per_date = Counter(start.date() for start in _local_starts(big_plan) if start.date() < today - timedelta(days=1))
    weekday = [count for day, count in per_date.items() if day.weekday() < 5]
    weekend = [count for day, count in per_date.items() if day.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 1.15 * sum(weekend) / len(weekend)


def test_returning_visitors_come_back_in_new_sessions_on_later_days(big_plan):
    by_visitor = defaultdict(list)
    for visit in big_plan.visits:
        by_visitor[visit.visitor.domain_userid].append(visit)
    returning = [visits for visits in by_visitor.values() if len(visits) > 1]
    assert 0.2 < len(returning) / len(by_visitor) < 0.6
    later_day = 0
    for visits in returning:
        first = visits[0].session_index
        assert [visit.session_index for visit in visits] == list(range(first, first + len(visits)))
        assert len({visit.session_id for visit in visits}) == len(visits)
        for before, after in itertools.pairwise(visits):
            assert after.start_ms - before.end_ms > SESSION_TIMEOUT.total_seconds() * 1000
        dates = {datetime.fromtimestamp(v.start_ms / 1000, UTC).date() for v in visits}
        later_day += len(dates) > 1
    assert later_day > len(returning) / 2


def test_every_visit_has_the_subject_a_browser_would_report(big_plan):
    visit = big_plan.visits[0]
    pairs = visit_subject(visit).standard_nv_pairs
    assert pairs["p"] == "web"
    assert (pairs["duid"], pairs["sid"], pairs["vid"]) == (
        visit.visitor.domain_userid,
        visit.session_id,
        visit.session_index,
    )
    assert {"ip", "ua", "res", "vp", "cd", "tz", "lang"} <= pairs.keys()


def test_engaged_time_varies_with_a_ping_every_ten_seconds(big_plan):
    pings_per_view = Counter()
    for visit in big_plan.visits:
        for event in visit.events:
            if event.kind in {"page_view", "page_ping"}:
                pings_per_view[event.page.view_id] += event.kind == "page_ping"
    spread = Counter(pings_per_view.values())
    assert spread[0] > 0 and len(spread) > 10


def _referrer_hosts(plan: TrafficPlan, medium: str) -> set[str]:
    sources = [visit.source for visit in plan.visits if visit.source.medium == medium]
    return {urlsplit(source.referrer).hostname for source in sources if source.referrer}


def test_visits_come_from_every_search_engine_social_network_and_webmail(big_plan):
    search = _referrer_hosts(big_plan, "search")
    assert {"www.google.com", "www.bing.com", "duckduckgo.com"} <= search
    assert any(host.startswith("www.google.") and host != "www.google.com" for host in search)
    social = _referrer_hosts(big_plan, "social")
    assert {"www.facebook.com", "t.co", "x.com", "www.linkedin.com", "www.reddit.com"} <= social
    assert {"mail.google.com", "outlook.live.com"} <= _referrer_hosts(big_plan, "email")
    assert len(_referrer_hosts(big_plan, "unknown")) >= 5
    assert any(v.source.medium == "direct" and v.source.referrer is None for v in big_plan.visits)


def test_campaign_visits_land_on_utm_tagged_urls(big_plan):
    landings = [visit.source.landing_url for visit in big_plan.visits if visit.source.medium == "campaign"]
    campaigns = [parse_qs(urlsplit(url).query) for url in landings]
    assert campaigns
    assert {c["utm_medium"][0] for c in campaigns} >= {"cpc", "paid_social", "email", "referral"}
    assert all({"utm_source", "utm_medium", "utm_campaign"} <= c.keys() for c in campaigns)
    assert any("utm_term" in c and "utm_content" in c for c in campaigns)


@pytest.mark.parametrize("seed", range(8))
def test_even_a_tiny_demo_has_a_transaction(seed):
    plan = traffic_plan(days=2, visitors=3, seed=seed, now=NOW)
    assert plan.event_counts["transaction"] >= 1
    assert plan.event_counts["transaction_item"] >= 1


def test_days_and_visitors_must_be_positive():
    with pytest.raises(ValueError):
        traffic_plan(days=0, visitors=3, seed=1)
    with pytest.raises(ValueError):
        traffic_plan(days=3, visitors=0, seed=1)
