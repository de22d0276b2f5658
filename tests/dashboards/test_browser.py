"""Headless Chromium on every page: it loads, numbers equal the hand counts, the UI's filters and date range
change them, CSVs match the tables, charts and the map draw; screenshots go to test-artifacts/."""

import csv
import io
from pathlib import Path

import pytest

from tests.dashboards.conftest import ARTIFACTS, RANGE, browser_login, load, shop_events

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = ["overview", "pages", "acquisition", "geography", "technology", "events", "goals", "funnels", "retention",
         "ecommerce", "apps", "realtime"]


def table(page, table_id: str) -> list[list[str]]:
    return [[c.strip() for c in row.split("\t")] for row in page.inner_text(f"#{table_id} tbody").splitlines()]


@pytest.fixture
def signed_in(live_server, chromium_page, viewer):
    load(shop_events())
    browser_login(chromium_page, live_server.url, "viewer", f"/dashboards/shop/?{RANGE}")
    return chromium_page


def test_the_overview_numbers_filters_and_range_in_the_browser(signed_in, live_server):
    page = signed_in
    values = [page.inner_text(f"#tile-{k} .value") for k in ("visitors", "sessions", "page_views")]
    assert values == ["3", "4", "5"]
    assert page.evaluate("window.dashboardChart.data.datasets[0].data.reduce((a, b) => a + b, 0)") > 0
    page.screenshot(path=str(ARTIFACTS / "dashboards-overview.png"), full_page=True)
    # Add a filter with the filter bar: the URL keeps it and the numbers follow.
    page.select_option("#filter-dimension", "country")
    page.fill("#filter-value", "FR")
    page.click("#add-filter")
    page.wait_for_selector("#filters")
    assert "f=country%3Ais%3AFR" in page.url
    assert [page.inner_text(f"#tile-{k} .value") for k in ("visitors", "sessions", "page_views")] == ["2", "3", "4"]
    # Narrow the range to local 1 December with the date picker; the filter stays.
    page.fill("#from", "2026-12-01")
    page.click("#apply-range")
    page.wait_for_load_state("networkidle")
    assert [page.inner_text(f"#tile-{k} .value") for k in ("visitors", "page_views")] == ["2", "2"]
    assert "Country is FR" in page.inner_text("#filters")
    page.screenshot(path=str(ARTIFACTS / "dashboards-overview-filtered.png"), full_page=True)


def test_a_click_on_a_value_filters_by_it(signed_in):
    page = signed_in
    page.click("#top-pages a.filter:text('/pricing')")
    page.wait_for_selector("#filters")
    assert [page.inner_text(f"#tile-{k} .value") for k in ("visitors", "page_views")] == ["2", "2"]


def test_the_csv_download_matches_the_table(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/dashboards/shop/geography/?{RANGE}")
    shown = table(page, "countries")
    with page.expect_download() as info:
        page.click("#csv-countries")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
    assert rows[1:] == shown == [["FR", "2", "3", "4"], ["DE", "1", "1", "1"]]


def test_the_world_map_colours_countries(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/dashboards/shop/geography/?{RANGE}")
    page.wait_for_selector("#world-map svg path[data-code='FR']")
    france = page.get_attribute("#world-map path[data-code='FR']", "fill")
    nowhere = page.get_attribute("#world-map path[data-code='BR']", "fill")
    assert france and nowhere and france.lower() != nowhere.lower()
    page.screenshot(path=str(ARTIFACTS / "dashboards-geography.png"), full_page=True)


def test_the_utm_builder_builds_a_link(signed_in, live_server):
    page = signed_in
    page.goto(f"{live_server.url}/dashboards/shop/acquisition/?{RANGE}")
    page.fill("#utm-url-input", "https://shop.test/sale")
    page.fill("#utm-source", "newsletter")
    page.fill("#utm-medium", "email")
    page.fill("#utm-campaign", "winter sale")
    assert page.inner_text("#utm-url") == ("https://shop.test/sale?utm_source=newsletter&utm_medium=email"
                                           "&utm_campaign=winter+sale")
    assert table(page, "campaigns") == [["winter", "1", "1", "1"]]


@pytest.mark.parametrize("name", PAGES[1:])
def test_every_page_loads_in_the_browser(signed_in, live_server, name):
    page = signed_in
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"{live_server.url}/dashboards/shop/{name}/?{RANGE}")
    assert response.status == 200 and page.is_visible(f"#tab-{name}.active")
    assert not errors
    page.screenshot(path=str(ARTIFACTS / f"dashboards-{name}.png"), full_page=True)
