"""Realtime, funnels and retention pages over a small data set loaded through the loader and a model run."""

import datetime as dt
import re
from urllib.parse import quote

import pytest

from tests.dashboards.analysis_data import live_events, retention_events
from tests.dashboards.conftest import RANGE, event, load, shop_events

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # an empty number


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


def tile(html: str, tile_id: str) -> str:
    return re.search(rf'id="{tile_id}".*?<div class="value">([^<]*)</div>', html, re.S).group(1).strip()


@pytest.fixture
def reader(client, viewer):
    client.force_login(viewer)
    return client


def test_realtime_shows_the_last_30_minutes_counted_by_hand(reader):
    load(live_events())
    html = reader.get("/dashboards/shop/realtime/").content.decode()
    assert [tile(html, f"live-{k}") for k in ("visitors", "page_views", "events")] == ["2", "3", "4"]
    assert table_rows(html, "live-pages") == [["/home", "2"], ["/pricing", "1"]]
    assert table_rows(html, "live-sources") == [["(none)", "1"], ["google", "1"]]
    assert table_rows(html, "live-countries") == [["DE", "1"], ["FR", "1"]]
    counts = [int(n) for n in re.findall(r'class="minute-bar"[^>]*data-count="(\d+)"', html)]
    assert len(counts) == 30 and sum(counts) == 3
    assert "secret-other-site" not in html and "/old" not in html
    assert 'data-url="/dashboards/shop/realtime/live/"' in html


def test_the_realtime_fragment_has_the_numbers_without_the_frame(reader):
    load(live_events())
    html = reader.get("/dashboards/shop/realtime/live/").content.decode()
    assert tile(html, "live-visitors") == "2" and 'id="range-form"' not in html


def test_realtime_with_no_recent_traffic_says_so(reader):
    html = reader.get("/dashboards/shop/realtime/").content.decode()
    assert tile(html, "live-visitors") == "0" and "Nobody in the last 30 minutes." in html


@pytest.mark.parametrize("path", ["realtime/", "realtime/live/"])
def test_realtime_follows_the_access_rules_of_every_page(client, outsider, shop, path):
    response = client.get(f"/dashboards/shop/{path}")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(f"/dashboards/shop/{path}").status_code == 404


def test_realtime_through_a_share_link(client, shop):
    from dashboards.models import ShareLink

    link = ShareLink.objects.create(site=shop, key="k" * 22)
    load(live_events())
    assert tile(client.get("/dashboards/shared/" + link.key + "/realtime/live/").content.decode(),
                "live-visitors") == "2"


@pytest.fixture
def modelled(reader, shop):
    """The conftest's known data set, a 'signup' structured event in s1 (04:02, between /home and /pricing) and
    in s2 (06:01, after /home), a goal on /pricing, and a model run."""
    from warehouse.modeling.models import Goal
    from warehouse.modeling.runs import model_run

    goal = Goal.objects.create(site=shop, name="Saw pricing", kind="page", page_pattern="/pricing")
    signups = [event("shop", dt.datetime(2026, 11, 30, 4, 2), "v1", "struct", domain_sessionid="s1",
                     se_category="account", se_action="signup", event_name="event"),
               event("shop", dt.datetime(2026, 11, 30, 6, 1), "v2", "struct", domain_sessionid="s2",
                     se_category="account", se_action="signup", event_name="event")]
    load(shop_events() + signups)
    model_run()
    reader.goal = goal
    return reader


def funnel_url(*steps: tuple[str, str]) -> str:
    pairs = "".join(f"&kind={kind}&value={quote(value)}" for kind, value in steps)
    return f"/dashboards/shop/funnels/?{RANGE}{pairs}"


def test_a_funnel_counts_sessions_conversion_and_drop_off_by_hand(modelled):
    # /home: s1, s2, s4 (3); then /pricing: only s1 (1); then the pricing goal in s1 (1).
    goal = str(modelled.goal.pk)
    html = modelled.get(funnel_url(("page", "/home"), ("page", "/pricing"), ("goal", goal))).content.decode()
    assert table_rows(html, "funnel") == [
        ["1", "page", "/home", "3", "100.0%", DASH, DASH, ""],
        ["2", "page", "/pricing", "1", "33.3%", "2", "66.7%", ""],
        ["3", "goal", goal, "1", "33.3%", "0", "0.0%", ""],
    ]


def test_a_funnel_step_can_be_an_event_name(modelled):
    # signup: s1 and s2; /pricing after it: s1 only.
    html = modelled.get(funnel_url(("event", "signup"), ("page", "/pri*"))).content.decode()
    assert [row[3] for row in table_rows(html, "funnel")] == ["2", "1"]
    assert 'value="/pri*"' in html  # the form keeps the steps


def test_the_funnel_form_without_steps_shows_no_table(modelled):
    html = modelled.get(f"/dashboards/shop/funnels/?{RANGE}").content.decode()
    assert 'id="funnel-form"' in html and 'id="funnel"' not in html


def test_a_funnel_before_the_models_run_says_so(reader):
    load(shop_events())
    html = reader.get(funnel_url(("page", "/home"))).content.decode()
    assert 'id="funnel-unavailable"' in html


@pytest.mark.parametrize("steps", [
    [("colour", "/home")], [("goal", "999")], [("goal", "abc")], [("page", "home")], [("page", "/a\x00b")],
    [("page", "/x" * 300)], [("page", f"/{n}") for n in range(6)],
])
def test_bad_funnel_steps_are_a_clear_400(modelled, steps):
    response = modelled.get(funnel_url(*steps))
    assert response.status_code == 400 and b'id="error"' in response.content


def test_a_kind_without_a_value_is_a_clear_400(modelled):
    assert modelled.get(f"/dashboards/shop/funnels/?{RANGE}&kind=page").status_code == 400


def test_a_funnel_with_filters_is_a_clear_400(modelled):
    assert modelled.get(funnel_url(("page", "/home")) + "&f=country:is:FR").status_code == 400


RETENTION = [
    ["2026-10-12", "3", "100.0%", "33.3%", "33.3%", "33.3%", "0.0%", "0.0%", "0.0%", "0.0%"],
    ["2026-10-19", "1", "100.0%", "100.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", ""],
    ["2026-10-26", "0", DASH, DASH, DASH, DASH, DASH, DASH, "", ""],
    ["2026-11-02", "0", DASH, DASH, DASH, DASH, DASH, "", "", ""],
    ["2026-11-09", "0", DASH, DASH, DASH, DASH, "", "", "", ""],
    ["2026-11-16", "0", DASH, DASH, DASH, "", "", "", "", ""],
    ["2026-11-23", "1", "100.0%", "100.0%", "", "", "", "", "", ""],
    ["2026-11-30", "2", "100.0%", "", "", "", "", "", "", ""],
]


@pytest.fixture
def cohorts(reader, shop):
    from warehouse.modeling.runs import model_run

    load(retention_events())
    model_run()
    return reader


def test_retention_cohorts_counted_by_hand(cohorts):
    html = cohorts.get(f"/dashboards/shop/retention/?{RANGE}").content.decode()
    assert table_rows(html, "retention") == RETENTION
    assert "secret-other-site" not in html


def test_retention_cells_are_shaded_by_their_share(cohorts):
    html = cohorts.get(f"/dashboards/shop/retention/?{RANGE}").content.decode()
    first = re.search(r'<table id="retention".*?<tbody>\s*<tr>(.*?)</tr>', html, re.S).group(1)
    shades = re.findall(r'style="background:rgba\(102, 56, 182, ([0-9.]+)\)"', first)
    assert [float(s) for s in shades] == [0.45, 0.15, 0.15, 0.15, 0.0, 0.0, 0.0, 0.0]
    assert 'title="1 of 3 visitors"' in first


def test_retention_weeks_follow_the_end_of_the_range(cohorts):
    # Ending on Sun 29 Nov: the window is 5 Oct ... 23 Nov, so h (first seen 5 Oct) is a cohort of its own, back
    # in week 2; g (Mon 30 Nov site time) falls outside.
    html = cohorts.get("/dashboards/shop/retention/?period=custom&from=2026-11-01&to=2026-11-29").content.decode()
    rows = table_rows(html, "retention")
    assert [row[0] for row in rows] == ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02",
                                       "2026-11-09", "2026-11-16", "2026-11-23"]
    assert rows[0][:5] == ["2026-10-05", "1", "100.0%", "0.0%", "100.0%"]
    assert rows[-1][:4] == ["2026-11-23", "1", "100.0%", ""]


def test_retention_through_a_share_link(client, cohorts, shop):
    from dashboards.models import ShareLink

    link = ShareLink.objects.create(site=shop, key="r" * 22)
    client.logout()
    html = client.get(f"/dashboards/shared/{link.key}/retention/?{RANGE}").content.decode()
    assert table_rows(html, "retention") == RETENTION


def test_retention_follows_the_access_rules_of_every_page(client, outsider, shop):
    response = client.get("/dashboards/shop/retention/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get("/dashboards/shop/retention/").status_code == 404


def test_retention_before_the_models_run_says_so(reader):
    load(retention_events())
    html = reader.get(f"/dashboards/shop/retention/?{RANGE}").content.decode()
    assert 'id="retention-unavailable"' in html and 'id="retention"' not in html


def test_retention_with_filters_is_a_clear_400(cohorts):
    response = cohorts.get(f"/dashboards/shop/retention/?{RANGE}&f=country:is:FR")
    assert response.status_code == 400 and b'id="error"' in response.content
