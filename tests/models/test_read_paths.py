"""Read paths of the dashboards over long ranges: the indexes the models create for them, and breakdowns and
funnels over a range of whole months plus edge days, checked against COUNT(DISTINCT) and counts on the derived
tables."""

import datetime as dt

from tests.models.conftest import load, page_view, rows, struct
from warehouse.modeling import api, ddl

# Days in October (edge days), all of November (a month row once November is complete) and December.
DAYS = [dt.date(2026, 10, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 15),
        dt.date(2026, 11, 30), dt.date(2026, 12, 1)]
INDEXES = {"rollups_rank", "page_views_funnel", "events_funnel"}


def _traffic() -> list[dict]:
    events = []
    for d, day in enumerate(DAYS):
        start = dt.datetime.combine(day, dt.time(12))
        for i in range(12):
            visitor = f"v{(d * 5 + i) % 17}"
            session = f"s{d}-{i}"
            when = start + dt.timedelta(minutes=i)
            events.append(page_view(when, f"a{d}-{i}", "/" if i % 3 else "/home", visitor=visitor, session=session))
            if i % 2:
                events.append(page_view(when + dt.timedelta(seconds=30), f"b{d}-{i}", f"/page/{i % 4}",
                                        visitor=visitor, session=session))
            if i % 4 == 1:
                events.append(struct(when + dt.timedelta(seconds=60), "account", "signup", domain_userid=visitor,
                                     domain_sessionid=session))
    return events


def test_the_read_path_indexes_exist_and_ensuring_them_again_is_harmless(db):
    names = {row[0] for row in rows("SELECT indexname FROM pg_indexes WHERE schemaname = 'derived'")}
    assert names >= INDEXES
    ddl.ensure_indexes()
    ddl.ensure_indexes()
    assert {row[0] for row in rows("SELECT indexname FROM pg_indexes WHERE schemaname = 'derived'")} >= INDEXES


def test_a_breakdown_over_months_and_edge_days_equals_the_page_views(site, run):
    load(_traffic())
    run()
    start, end = dt.date(2026, 10, 30), dt.date(2026, 12, 3)
    assert rows("SELECT count(*) FROM derived.rollups WHERE grain = 'm' AND bucket = '2026-11-01'")[0][0] > 0
    lo, hi = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    exact = {page: (views, visitors) for page, views, visitors in rows(
        "SELECT page, count(*), count(DISTINCT visitor_id) FROM derived.page_views"
        " WHERE start_tstamp >= %s AND start_tstamp < %s GROUP BY 1", [lo, hi])}
    # 6 days x 12 sessions: 72 landing views (48 on '/', 24 on '/home'), 36 views of /page/0../page/3.
    assert exact["/"][0] == 48 and exact["/home"][0] == 24
    assert sum(views for views, _ in exact.values()) == 108
    for order_by in ("visitors", "page_views", "bounces"):
        got = api.list_breakdown(site, "page", start, end, order_by=order_by, limit=10)
        assert {r.value: (r.metrics.page_views, r.metrics.visitors) for r in got} == exact
    by_views = api.list_breakdown(site, "page", start, end, order_by="page_views", limit=2)
    assert [r.value for r in by_views] == ["/", "/home"]


def test_a_funnel_over_months_and_edge_days_counts_sessions_in_order(site, run):
    load(_traffic())
    run()
    steps = [api.FunnelStep("page", "/"), api.FunnelStep("page", "/page/*"), api.FunnelStep("event", "signup")]
    got = [r.sessions for r in api.get_funnel(site, steps, dt.date(2026, 10, 30), dt.date(2026, 12, 3))]
    # Per day: sessions i = 0..11; '/' when i % 3 != 0 (8), then /page/* when i is odd (i = 1, 5, 7, 11: 4),
    # then signup when i % 4 == 1 (i = 1, 5: 2). Six days.
    assert got == [6 * 8, 6 * 4, 6 * 2]
    # One day less on each side drops the two edge days of the range.
    got = [r.sessions for r in api.get_funnel(site, steps, dt.date(2026, 10, 31), dt.date(2026, 11, 30))]
    assert got == [4 * 8, 4 * 4, 4 * 2]
