"""Sessions, users, goals, bots and mobile, with values computed by hand; rollups in the site's time zone."""

import datetime as dt

import pytest

from tests.models.conftest import (
    APPLICATION,
    APPLICATION_ERROR,
    CLIENT_SESSION,
    SCREEN_VIEW,
    load,
    page_view,
    ping,
    rows,
    struct,
    unstruct,
)
from warehouse.modeling import api

T0 = dt.datetime(2026, 11, 2, 10, 0, 0)
D = dt.date(2026, 11, 2)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def session_row(session_id: str = "s1") -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM derived.sessions WHERE session_id = %s", [session_id])
        names = [c.name for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_a_single_short_page_view_is_a_bounce_and_two_are_not(site, run):
    load([page_view(at(0), "a1", "/landing", session="s1", refr_urlhost="www.google.com", refr_medium="search",
                    refr_source="Google"),
          page_view(at(0), "b1", "/", session="s2", visitor="v2"), page_view(at(30), "b2", "/x", session="s2",
                                                                            visitor="v2")])
    run()
    s1, s2 = session_row("s1"), session_row("s2")
    assert (s1["is_bounce"], s1["is_engaged"], s1["default_channel_group"], s1["first_page"]) == (
        True, False, "Organic Search", "/landing")
    assert (s2["is_bounce"], s2["is_engaged"], s2["page_views"], s2["last_page"]) == (False, True, 2, "/x")
    totals = api.get_overview(site, D, D)
    assert (totals.sessions, totals.bounces, totals.visitors, totals.page_views) == (2, 1, 2, 3)


def test_engaged_time_over_ten_seconds_or_an_interaction_is_no_bounce(site, run):
    load([page_view(at(0), "a1", session="s1"), ping(at(10), "a1", session="s1"), ping(at(20), "a1", session="s1"),
          page_view(at(0), "b1", session="s2", visitor="v2"), struct(at(5), "shop", "add", session="s2",
                                                                     visitor="v2")])
    run()
    # s1: two ping buckets -> 10 x 1 + 5 = 15 s >= 10 s; s2: one interaction.
    assert (session_row("s1")["engaged_time_in_s"], session_row("s1")["is_bounce"]) == (15, False)
    assert (session_row("s2")["interactions"], session_row("s2")["is_bounce"]) == (1, False)


def test_a_session_across_local_midnight_counts_once_on_its_start_day_in_a_utc_0530_site(site, run):
    site.timezone = "Asia/Kolkata"
    site.save()
    # 18:20 UTC = 23:50 IST on 30 November; 18:40 UTC = 00:10 IST on 1 December.
    load([page_view(dt.datetime(2026, 11, 30, 18, 20), "p1", "/a"),
          page_view(dt.datetime(2026, 11, 30, 18, 40), "p2", "/b")])
    run()
    days = api.list_timeseries(site, dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    assert [(p.bucket.date().isoformat(), p.metrics.sessions, p.metrics.page_views, p.metrics.visitors)
            for p in days] == [("2026-11-30", 1, 1, 1), ("2026-12-01", 0, 1, 1)]
    both = api.get_overview(site, dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    assert (both.sessions, both.page_views, both.visitors) == (1, 2, 1)
    hours = api.list_timeseries(site, dt.date(2026, 11, 30), dt.date(2026, 11, 30), interval="hour")
    assert [(p.bucket.hour, p.metrics.page_views) for p in hours if p.metrics.page_views] == [(23, 1)]


def test_a_daylight_saving_day_has_25_local_hours_folded_into_one_day(site, run):
    site.timezone = "America/New_York"
    site.save()
    # 1 November 2026: 02:00 EDT becomes 01:00 EST. 05:30 and 06:30 UTC are both 01:30 local.
    load([page_view(dt.datetime(2026, 11, 1, 4, 30), "p1", session="s1"),
          page_view(dt.datetime(2026, 11, 1, 5, 30), "p2", session="s2", visitor="v2"),
          page_view(dt.datetime(2026, 11, 1, 6, 30), "p3", session="s3", visitor="v3"),
          page_view(dt.datetime(2026, 11, 2, 4, 30), "p4", session="s4", visitor="v4")])  # 23:30 EST
    run()
    day = api.list_timeseries(site, dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert [(p.metrics.page_views, p.metrics.visitors) for p in day] == [(4, 4), (0, 0)]
    hours = api.list_timeseries(site, dt.date(2026, 11, 1), dt.date(2026, 11, 1), interval="hour")
    assert {p.bucket.hour: p.metrics.page_views for p in hours if p.metrics.page_views} == {0: 1, 1: 2, 23: 1}


def test_a_late_event_reprocesses_its_whole_session(site, run):
    load([page_view(at(600), "p2", "/second"), page_view(at(900), "p3", "/third")])
    run()
    assert session_row()["first_page"] == "/second"
    load([page_view(at(0), "p1", "/first", refr_urlhost="news.example", refr_medium="unknown")])  # arrives late
    run()
    s = session_row()
    assert (s["first_page"], s["page_views"], s["start_tstamp"], s["default_channel_group"]) == (
        "/first", 3, at(0), "Referral")
    assert rows("SELECT page_view_id, page_view_in_session_index FROM derived.page_views ORDER BY 2") == [
        ("p1", 1), ("p2", 2), ("p3", 3)]
    assert rows("SELECT sessions, first_page FROM derived.users") == [(1, "/first")]
    assert api.get_overview(site, D, D).page_views == 3


def test_goals_count_conversions_per_session_and_user(site, run):
    from warehouse.modeling.models import Goal

    thanks = Goal.objects.create(site=site, name="Thanks", kind="page", page_pattern="/thank*")
    signup = Goal.objects.create(site=site, name="Sign-up", kind="struct", se_category="account",
                                 se_action="signup", property_name="label", property_value="pro")
    load([page_view(at(0), "p1", "/pricing"), struct(at(5), "account", "signup", se_label="pro"),
          page_view(at(10), "p2", "/thank-you"), struct(at(20), "account", "signup", se_label="free"),
          page_view(at(0), "q1", "/thank-you", session="s2", visitor="v2")])
    run()
    assert session_row()["conversions"] == 2 and session_row("s2")["conversions"] == 1
    assert session_row("s2")["is_engaged"] is True  # one page view, but a conversion
    goals = {row.value: row.metrics for row in api.list_breakdown(site, "goal", D, D)}
    assert (goals[str(thanks.pk)].conversions, goals[str(thanks.pk)].visitors) == (2, 2)
    assert (goals[str(signup.pk)].conversions, goals[str(signup.pk)].sessions) == (1, 1)
    assert rows("SELECT visitor_id, conversions FROM derived.users ORDER BY 1") == [("v1", 2), ("v2", 1)]


def test_a_new_goal_is_counted_over_past_sessions(site, run):
    from warehouse.modeling.models import Goal

    load([page_view(at(0), "p1", "/done")])
    run()
    goal = Goal.objects.create(site=site, name="Done", kind="page", page_pattern="/done")
    run()
    assert [(r.value, r.metrics.conversions) for r in api.list_breakdown(site, "goal", D, D)] == [(str(goal.pk), 1)]


def test_bot_sessions_are_left_out_unless_asked_for(site, run):
    bot_ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    load([page_view(at(0), "p1"), page_view(at(0), "b1", session="sb", visitor="bot", useragent=bot_ua),
          page_view(at(9), "b2", session="sb", visitor="bot", useragent=bot_ua)])
    run()
    assert session_row("sb")["is_bot"] is True
    assert (api.get_overview(site, D, D).visitors, api.get_overview(site, D, D).page_views) == (1, 1)
    everyone = api.get_overview(site, D, D, include_bots=True)
    assert (everyone.visitors, everyone.page_views) == (2, 3)


def test_a_mobile_session_comes_from_client_session_with_screen_views_version_and_crashes(site, run):
    cs = {"schema": CLIENT_SESSION, "data": {"userId": "device-1", "sessionId": "m-session-1", "sessionIndex": 4,
                                             "previousSessionId": None, "storageMechanism": "SQLITE"}}
    app = {"schema": APPLICATION, "data": {"version": "2.1.0", "build": "77"}}

    def mobile(when, e):
        e.update(platform="mob", domain_userid=None, domain_sessionid=None)
        e.pop("domain_userid"), e.pop("domain_sessionid")
        return e

    load([mobile(at(0), unstruct(at(0), "com.snowplowanalytics.mobile", "screen_view",
                                 {"id": "sv-1", "name": "Home", "type": "feed"}, visitor=None, session=None,
                                 contexts=[cs, app])),
          mobile(at(20), unstruct(at(20), "com.snowplowanalytics.mobile", "screen_view",
                                  {"id": "sv-2", "name": "Basket"}, visitor=None, session=None, contexts=[cs, app])),
          mobile(at(25), unstruct(at(25), "com.snowplowanalytics.snowplow", "application_error",
                                  {"message": "boom"}, visitor=None, session=None, contexts=[cs, app]))])
    run()
    s = session_row("m-session-1")
    assert (s["kind"], s["visitor_id"], s["session_index"], s["page_views"], s["crashes"], s["app_version"],
            s["first_page"], s["last_page"], s["device_category"]) == (
        "m", "device-1", 4, 2, 1, "2.1.0", "Home", "Basket", "Mobile")
    assert rows("SELECT page_view_id, screen_type FROM derived.page_views ORDER BY 1") == [("sv-1", "feed"),
                                                                                            ("sv-2", None)]
    assert SCREEN_VIEW and APPLICATION_ERROR


def test_events_without_a_session_id_are_sessionised_by_30_minutes_of_inactivity(site, run):
    load([page_view(at(0), "p1", session=None), page_view(at(600), "p2", session=None)])
    run()
    load([page_view(at(600 + 1800 + 1), "p3", session=None), page_view(at(300), "p0", session=None)])
    run()
    assert rows("SELECT page_views FROM derived.sessions ORDER BY start_tstamp") == [(3,), (1,)]
    assert rows("SELECT count(*) FROM derived.session_lifecycle") == [(2,)]


@pytest.mark.parametrize("split", [1, 3])
def test_incremental_runs_give_the_same_tables_as_a_full_refresh(site, run, split):
    from warehouse.modeling.models import Goal

    Goal.objects.create(site=site, name="Buy", kind="struct", se_action="buy")
    events = [page_view(at(0), "p1", "/a", refr_urlhost="t.co", refr_medium="social", refr_source="Twitter"),
              ping(at(11), "p1"), ping(at(14), "p1"), ping(at(25), "p1"), page_view(at(40), "p2", "/b"),
              struct(at(50), "shop", "buy", se_value=12.5),
              page_view(at(0), "q1", "/a", session="s2", visitor="v2", mkt_medium="cpc", mkt_source="google"),
              page_view(at(3000), "q2", "/c", session="s2", visitor="v2"),
              page_view(at(5000), "r1", "/a", session="s3", visitor="v1", geo_country="IN")]
    for start in range(0, len(events), split):
        load(events[start : start + split])
        run()
    tables = ("page_views", "sessions", "users", "events", "goal_conversions", "rollups", "session_lifecycle")
    incremental = {t: sorted(map(repr, rows(f"SELECT * FROM derived.{t}"))) for t in tables}
    run(full_refresh=True)
    assert {t: sorted(map(repr, rows(f"SELECT * FROM derived.{t}"))) for t in tables} == incremental


def test_rollup_visitors_equal_count_distinct_for_any_range(site, run):
    many = [page_view(at(day * 86400 + i * 60), f"p{day}-{i}", f"/p{i % 7}", visitor=f"v{(day * 37 + i) % 300}",
                      session=f"s{day}-{i}") for day in range(5) for i in range(150)]
    load(many)
    run()
    for first, last in ((0, 0), (0, 4), (1, 3)):
        start, end = D + dt.timedelta(days=first), D + dt.timedelta(days=last)
        exact = rows("SELECT count(DISTINCT visitor_id) FROM derived.page_views WHERE start_tstamp >= %s"
                     " AND start_tstamp < %s", [start, end + dt.timedelta(days=1)])[0][0]
        assert api.get_overview(site, start, end).visitors == exact
        pages = {r.value: r.metrics.visitors for r in api.list_breakdown(site, "page", start, end, limit=10)}
        exact_pages = dict(rows("SELECT page, count(DISTINCT visitor_id) FROM derived.page_views"
                                " WHERE start_tstamp >= %s AND start_tstamp < %s GROUP BY 1",
                                [start, end + dt.timedelta(days=1)]))
        assert pages == exact_pages
