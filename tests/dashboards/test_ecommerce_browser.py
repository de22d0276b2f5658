"""Headless Chromium on the Ecommerce page and the Apps page's crashes: hand-computed numbers, the filter bar,
the date picker and the CSV download; screenshots go to test-artifacts/."""

import csv
import io
from pathlib import Path

import pytest

from tests.dashboards.analysis_data import crash_events, order_events
from tests.dashboards.conftest import ARTIFACTS, RANGE, browser_login, load
from tests.dashboards.test_browser import table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILES = ("revenue", "transactions", "average_order_value", "items")


def test_the_ecommerce_page_in_the_browser(live_server, chromium_page, viewer):
    page = chromium_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    load(order_events())
    browser_login(page, live_server.url, "viewer", f"/dashboards/shop/ecommerce/?{RANGE}")
    assert page.is_visible("#tab-ecommerce.active")
    assert [page.inner_text(f"#tile-{key} .value") for key in TILES] == ["175.50", "3", "58.50", "7"]
    shown = table(page, "products")
    assert shown == [["SKU-B", "Tee", "Clothes", "3", "85.00", "2"], ["SKU-A", "Mug", "Kitchen", "3", "60.00", "2"],
                     ["SKU-C", "Cap", "Clothes", "1", "30.50", "1"]]
    with page.expect_download() as info:
        page.click("#csv-products")
    assert list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))[1:] == shown
    page.screenshot(path=str(ARTIFACTS / "dashboards-ecommerce.png"), full_page=True)
    # The filter bar: France only.
    page.select_option("#filter-dimension", "country")
    page.fill("#filter-value", "FR")
    page.click("#add-filter")
    page.wait_for_selector("#filters")
    assert [page.inner_text(f"#tile-{key} .value") for key in TILES] == ["150.50", "2", "75.25", "6"]
    # The date picker: local 1 December only (the filter stays: O2 from France).
    page.fill("#from", "2026-12-01")
    page.click("#apply-range")
    page.wait_for_load_state("networkidle")
    assert [page.inner_text(f"#tile-{key} .value") for key in TILES[:3]] == ["50.50", "1", "50.50"]
    assert not errors


def test_the_apps_page_shows_crashes_in_the_browser(live_server, chromium_page, viewer):
    from warehouse.modeling.runs import model_run

    page = chromium_page
    load(crash_events())
    model_run()
    browser_login(page, live_server.url, "viewer", f"/dashboards/shop/apps/?{RANGE}")
    assert table(page, "crash-messages") == [["NPE in cart", "3", "2", "1"], ["Index out of range", "1", "1", "1"]]
    assert table(page, "crash-versions") == [["2.0.0", "3", "2", "1"], ["1.9.0", "1", "1", "1"]]
    page.screenshot(path=str(ARTIFACTS / "dashboards-apps-crashes.png"), full_page=True)
