"""The daily traffic page: page views and unique visitors per day in the site's time zone, login required."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from dashboards.models import Site
from dashboards.selectors import list_daily_traffic
from tests.dashboards.conftest import ARTIFACTS, event, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return Site.objects.create(name="Shop", slug="shop", timezone="Asia/Kolkata", app_ids=["shop", "shop-app"])


def known_events():
    # Asia/Kolkata is UTC+5:30, so 2026-11-30 19:00 UTC is already 1 December locally.
    return [
        event("shop", dt.datetime(2026, 11, 30, 10, 0), "v1"),
        event("shop", dt.datetime(2026, 11, 30, 11, 0), "v1"),
        event("shop", dt.datetime(2026, 11, 30, 12, 0), "v2", kind="page_ping"),
        event("shop", dt.datetime(2026, 11, 30, 19, 0), "v3"),
        event("shop-app", dt.datetime(2026, 12, 1, 9, 0), "v1"),
        event("other-site", dt.datetime(2026, 12, 1, 9, 0), "v9"),
    ]


def test_days_are_bucketed_in_the_site_time_zone_and_zero_filled(site):
    load(known_events())
    days = list_daily_traffic(site, dt.date(2026, 11, 29), dt.date(2026, 12, 2))
    assert [(d.day.isoformat(), d.page_views, d.visitors) for d in days] == [
        ("2026-11-29", 0, 0),
        ("2026-11-30", 2, 2),  # two page views by v1; v2 only pinged but is a visitor
        ("2026-12-01", 2, 2),  # v3 at 00:30 local and v1 on the app
        ("2026-12-02", 0, 0),
    ]


def test_the_page_requires_login(client, site):
    response = client.get("/dashboards/shop/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_bad_dates_get_a_clear_error(client, site):
    client.force_login(User.objects.create_user("m", password="pw-123456789"))
    response = client.get("/dashboards/shop/?from=yesterday")
    assert response.status_code == 400 and b"2026-12-31" in response.content


def test_event_data_is_escaped(client, site):
    load([event("shop", dt.datetime(2026, 11, 30, 10, 0), "v1")])
    Site.objects.filter(pk=site.pk).update(name="<script>alert(1)</script>")
    client.force_login(User.objects.create_user("m", password="pw-123456789"))
    page = client.get("/dashboards/shop/?from=2026-11-30&to=2026-11-30").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_marketer_logs_in_and_sees_the_daily_numbers(live_server, chromium_page, site):
    load(known_events())
    User.objects.create_user("marketer", password="a-Long-pass-123")
    page = chromium_page
    page.goto(f"{live_server.url}/dashboards/shop/?from=2026-11-29&to=2026-12-02")
    page.fill("#id_username", "marketer")
    page.fill("#id_password", "a-Long-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("#daily")
    assert page.inner_text("#total-page-views") == "4"
    rows = [[cell.strip() for cell in row.split("\t")] for row in page.inner_text("#daily tbody").splitlines()]
    assert rows == [["Wed 2 Dec 2026", "0", "0"], ["Tue 1 Dec 2026", "2", "2"], ["Mon 30 Nov 2026", "2", "2"],
                    ["Sun 29 Nov 2026", "0", "0"]]
    assert page.locator(".chart .bar").count() == 4
    page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)
