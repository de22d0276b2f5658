"""Funnels, retention, custom properties and realtime, through the public api."""

import datetime as dt

from tests.models.conftest import load, page_view, rows, struct, unstruct
from warehouse.modeling import api

T0 = dt.datetime(2026, 11, 2, 10, 0, 0)
D = dt.date(2026, 11, 2)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_funnel_counts_sessions_reaching_each_step_in_order(site, run):
    load([page_view(at(0), "a1", "/product/1"), struct(at(10), "shop", "add"), page_view(at(20), "a2", "/checkout"),
          page_view(at(0), "b1", "/checkout", session="s2", visitor="v2"),
          struct(at(10), "shop", "add", session="s2", visitor="v2"),  # add after checkout: stops at step 2
          page_view(at(0), "c1", "/product/2", session="s3", visitor="v3")])
    run()
    steps = [api.FunnelStep("page", "/product/*"), api.FunnelStep("event", "add"), api.FunnelStep("page", "/checkout")]
    assert [r.sessions for r in api.get_funnel(site, steps, D, D)] == [2, 1, 1]


def test_retention_follows_weekly_cohorts_of_new_visitors(site, run):
    monday = dt.datetime(2026, 11, 2, 12)
    week = dt.timedelta(days=7)
    load([page_view(monday, "a", visitor="v1", session="s1"), page_view(monday, "b", visitor="v2", session="s2"),
          page_view(monday + week, "c", visitor="v1", session="s3"),
          page_view(monday + week, "d", visitor="v3", session="s4"),
          page_view(monday + 2 * week, "e", visitor="v3", session="s5")])
    run()
    cohorts = api.list_retention(site, dt.date(2026, 11, 4), weeks=3)
    assert [(c.cohort.isoformat(), c.visitors, c.returning) for c in cohorts] == [
        ("2026-11-02", 2, [2, 1, 0]), ("2026-11-09", 1, [1, 1]), ("2026-11-16", 0, [0])]


def test_custom_properties_filter_self_describing_and_structured_events(site, run):
    load([unstruct(at(0), "com.acme", "signup", {"plan": "pro", "seats": 3}),
          unstruct(at(5), "com.acme", "signup", {"plan": "free"}, session="s2", visitor="v2"),
          struct(at(9), "account", "upgrade", se_label="pro", session="s3", visitor="v3")])
    run()
    pro = api.get_property_totals(site, D, D, "plan", "pro", event_name="signup")
    assert (pro.events, pro.sessions, pro.visitors) == (1, 1, 1)
    assert api.get_property_totals(site, D, D, "seats", 3).events == 1
    assert api.get_property_totals(site, D, D, "label", "pro").visitors == 1
    assert [(v, t.events) for v, t in api.list_property_values(site, D, D, "signup", "plan")] == [("free", 1),
                                                                                                   ("pro", 1)]


def test_realtime_sees_loaded_events_before_any_model_run(site):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    load([page_view(now - dt.timedelta(minutes=2), "r1", "/live"), page_view(now - dt.timedelta(minutes=50),
                                                                             "old", "/old", visitor="v9")])
    live = api.get_realtime(site)
    assert (live.visitors, live.page_views, live.top_pages) == (1, 1, [("/live", 1)])
    assert len(live.per_minute) == 30 and sum(n for _, n in live.per_minute) == 1
    assert rows("SELECT count(*) FROM derived.page_views") == [(0,)]


def test_dashboard_questions_do_not_read_atomic_events(site, run):
    from django.db import connection

    load([page_view(at(0), "p1")])
    run()
    with connection.cursor() as cursor:
        connection.force_debug_cursor = True
        try:
            api.get_overview(site, D, D)
            api.list_breakdown(site, "page", D, D)
            api.list_timeseries(site, D, D)
            api.get_funnel(site, [api.FunnelStep("page", "/")], D, D)
            api.list_retention(site, D)
            api.get_property_totals(site, D, D, "plan", "pro")
            api.get_realtime(site)
        finally:
            connection.force_debug_cursor = False
        assert cursor is not None
    sql = " ".join(q["sql"] for q in connection.queries)
    assert "derived." in sql and "atomic." not in sql
