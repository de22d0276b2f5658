"""Fixtures for dashboard tests: a known data set loaded through the warehouse loader, and headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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
