"""Dashboard pages over the known data set: numbers by hand, filters, ranges, bad input, escaping, access."""

import re

import pytest

from tests.dashboards.conftest import DE, RANGE, load, shop_events, view

pytestmark = pytest.mark.django_db

DASH = "\u2013"  # an empty number
PAGES = ["pages", "acquisition", "geography", "technology", "events"]


def tile(html: str, key: str) -> str:
    match = re.search(rf'id="tile-{key}".*?<div class="value">([^<]*)</div>', html, re.S)
    return match.group(1).strip()


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


@pytest.fixture
def logged_in(client, viewer):
    load(shop_events())
    client.force_login(viewer)
    return client


def test_the_overview_shows_the_totals_computed_by_hand(logged_in):
    html = logged_in.get(f"/dashboards/shop/?{RANGE}").content.decode()
    assert (tile(html, "visitors"), tile(html, "sessions"), tile(html, "page_views")) == ("3", "4", "5")
    assert tile(html, "views_per_session") == "1.25"
    assert table_rows(html, "top-pages")[:2] == [["/home", "3", "2", DASH, DASH], ["/pricing", "2", "2", DASH, DASH]]
    assert "secret-other-site" not in html


def test_days_are_the_site_time_zone_days(logged_in):
    first = logged_in.get("/dashboards/shop/?period=custom&from=2026-11-30&to=2026-11-30").content.decode()
    second = logged_in.get("/dashboards/shop/?period=custom&from=2026-12-01&to=2026-12-01").content.decode()
    assert [tile(first, k) for k in ("visitors", "sessions", "page_views")] == ["2", "2", "3"]
    assert [tile(second, k) for k in ("visitors", "sessions", "page_views")] == ["2", "2", "2"]


def test_filters_combine_and_change_the_numbers(logged_in):
    html = logged_in.get(f"/dashboards/shop/?{RANGE}&f=country:is:FR").content.decode()
    assert [tile(html, k) for k in ("visitors", "sessions", "page_views")] == ["2", "3", "4"]
    both = logged_in.get(f"/dashboards/shop/?{RANGE}&f=country:is:FR&f=page:is:/pricing").content.decode()
    assert [tile(both, k) for k in ("visitors", "sessions", "page_views")] == ["2", "2", "2"]
    assert "Country is FR" in both and "Page is /pricing" in both


def test_the_comparison_period_is_shown(logged_in):
    html = logged_in.get("/dashboards/shop/?period=custom&from=2026-12-01&to=2026-12-01&compare=previous").content
    assert "3 before" in html.decode()  # 30 Nov had 3 page views


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_with_its_tables(logged_in, page):
    response = logged_in.get(f"/dashboards/shop/{page}/?{RANGE}")
    assert response.status_code == 200
    assert b"secret-other-site" not in response.content


def test_acquisition_and_geography_count_by_hand(logged_in):
    html = logged_in.get(f"/dashboards/shop/acquisition/?{RANGE}").content.decode()
    assert table_rows(html, "campaigns") == [["winter", "1", "1", "1"]]
    geo = logged_in.get(f"/dashboards/shop/geography/?{RANGE}").content.decode()
    assert table_rows(geo, "countries") == [["FR", "2", "3", "4"], ["DE", "1", "1", "1"]]
    assert '"FR": 2' in geo  # the map's data


@pytest.mark.parametrize("query", [
    "period=forever", "period=custom&from=yesterday", "period=custom&from=2026-12-02&to=2026-12-01",
    "f=colour:is:red", "f=country", "f=country:like:FR", "f=country:is:", "compare=decade", "interval=minute",
    "period=custom&from=2000-01-01&to=2026-01-01", "f=prop:bad name:is:x", "f=country:is:a%00b",
])
def test_odd_input_is_a_clear_400_never_a_500(logged_in, query):
    response = logged_in.get(f"/dashboards/shop/?{query}")
    assert response.status_code == 400
    assert b'id="error"' in response.content


def test_unknown_pages_are_404(logged_in):
    assert logged_in.get("/dashboards/shop/nonsense/").status_code == 404


def test_event_data_is_escaped_on_pages(client, viewer):
    load([view(__import__("datetime").datetime(2026, 11, 30, 4, 0), "v1", "s1", "/<script>alert(1)</script>", **DE)])
    client.force_login(viewer)
    html = client.get(f"/dashboards/shop/pages/?{RANGE}").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_require_login(client, shop):
    response = client.get("/dashboards/shop/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_user_without_a_role_cannot_tell_the_site_exists(client, outsider, shop):
    client.force_login(outsider)
    for url in ["/dashboards/shop/", "/dashboards/shop/pages/", "/dashboards/shop/export/pages.csv",
                "/dashboards/shop/overview/export.zip", "/dashboards/shop/settings/"]:
        assert client.get(url).status_code == 404, url
    assert b"Shop" not in client.get("/dashboards/").content


def test_the_site_list_shows_only_sites_with_a_role(client, viewer, other_site):
    client.force_login(viewer)
    html = client.get("/dashboards/").content.decode()
    assert "/dashboards/shop/" in html and "/dashboards/other/" not in html


@pytest.mark.parametrize("page", ["goals", "apps"])
def test_pages_waiting_for_the_models_say_so(logged_in, page):
    response = logged_in.get(f"/dashboards/shop/{page}/?{RANGE}")
    assert response.status_code == 200
    assert b"Not available from the data models yet" in response.content


def test_a_goal_filter_before_the_models_run_is_a_clear_400(logged_in):
    assert logged_in.get(f"/dashboards/shop/?{RANGE}&f=goal:is:1").status_code == 400
