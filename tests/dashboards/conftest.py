"""Fixtures for dashboard tests: a known data set loaded through the warehouse loader, people, headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a-Long-pass-123"


def event(app_id: str, when: dt.datetime, visitor: str, kind: str = "page_view", **fields) -> dict:
    millis = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)
    return {"event_id": str(uuid.uuid4()), "app_id": app_id, "platform": "web", "event": kind,
            "collector_tstamp": millis, "derived_tstamp": millis, "v_collector": "test", "v_etl": "test",
            "domain_userid": visitor, **fields}


def load(events: list[dict]) -> None:
    from django.db import transaction

    from warehouse.api import LoadableEvent, batch_load

    with transaction.atomic():
        batch_load([LoadableEvent(e, e["event_id"]) for e in events], [f"test-{uuid.uuid4()}"])


def view(when: dt.datetime, visitor: str, session: str, path: str, app_id: str = "shop", **fields) -> dict:
    """A page view with the columns the dashboards read."""
    return event(app_id, when, visitor, domain_sessionid=session, page_urlpath=path, page_url=f"https://shop.test{path}",
                 event_name="page_view", **fields)


FR = {"geo_country": "FR", "geo_city": "Paris", "br_family": "Chrome", "os_family": "Windows", "dvce_type": "Computer"}
DE = {"geo_country": "DE", "geo_city": "Berlin", "br_family": "Firefox", "os_family": "Linux", "dvce_type": "Computer"}


def shop_events() -> list[dict]:
    """The known data set (site time zone Asia/Kolkata, UTC+5:30).

    Local 30 Nov: v1 views /home then /pricing (session s1, France, from google/organic); v2 views /home
    (s2, Germany, newsletter/email/winter). Local 1 Dec: v3 views /pricing at 00:30 (19:00 UTC on 30 Nov,
    s3, France); v1 comes back to /home (s4, France). Another site's visitor must never show.

    By hand: both days 3 visitors, 4 sessions, 5 page views; 30 Nov 2/2/3; 1 Dec 2/2/2;
    France only: 2 visitors, 3 sessions, 4 page views; /home 3 views by 2 visitors, /pricing 2 by 2.
    """
    google = {"mkt_source": "google", "mkt_medium": "organic"}
    mail = {"mkt_source": "newsletter", "mkt_medium": "email", "mkt_campaign": "winter"}
    return [
        view(dt.datetime(2026, 11, 30, 4, 0), "v1", "s1", "/home", **FR, **google),
        view(dt.datetime(2026, 11, 30, 4, 5), "v1", "s1", "/pricing", **FR, **google),
        view(dt.datetime(2026, 11, 30, 6, 0), "v2", "s2", "/home", **DE, **mail),
        view(dt.datetime(2026, 11, 30, 19, 0), "v3", "s3", "/pricing", **FR),
        view(dt.datetime(2026, 12, 1, 5, 0), "v1", "s4", "/home", **FR),
        view(dt.datetime(2026, 12, 1, 5, 0), "v9", "s9", "/secret-other-site", app_id="other", **DE),
    ]


RANGE = "period=custom&from=2026-11-30&to=2026-12-01"


@pytest.fixture
def shop(db):
    from dashboards.models import Site

    return Site.objects.create(name="Shop", slug="shop", timezone="Asia/Kolkata", app_ids=["shop"])


@pytest.fixture
def other_site(db):
    from dashboards.models import Site

    return Site.objects.create(name="Other", slug="other", timezone="UTC", app_ids=["other"])


def make_user(username: str, site=None, role: str | None = None, **extra):
    from django.contrib.auth.models import User

    from dashboards.models import SiteMembership

    user = User.objects.create_user(username, email=f"{username}@example.com", password=PASSWORD, **extra)
    if site is not None and role:
        SiteMembership.objects.create(site=site, user=user, role=role)
    return user


@pytest.fixture
def viewer(shop):
    return make_user("viewer", shop, "viewer")


@pytest.fixture
def site_admin(shop):
    return make_user("siteadmin", shop, "admin")


@pytest.fixture
def outsider(other_site):
    return make_user("outsider", other_site, "admin")


@pytest.fixture
def chromium_page():
    """A Playwright page in Debian's headless Chromium (Playwright's own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def browser_login(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}{next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def fresh_tile_cache(settings):
    """Each test gets its own empty in-memory cache, whatever REDIS_URL says."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"dashboards-tests-{uuid.uuid4()}"}}
    cache.clear()
    yield
    cache.clear()
