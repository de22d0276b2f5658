"""Editing an enrichment in the admin with a real browser: inline errors for a wrong JSON, then a saved change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enrichment.models import EnrichmentConfig

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
PASSWORD = "a-Long-pass-123"


@pytest.fixture
def page(live_server, django_user_model, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    django_user_model.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        yield page
        browser.close()


def test_an_admin_sees_the_defaults_gets_inline_errors_for_a_bad_json_and_saves_a_good_one(page, live_server):
    page.goto(f"{live_server.url}/admin/enrichment/enrichmentconfig/")
    assert page.locator("text=ip_lookups").first.is_visible()
    row = EnrichmentConfig.objects.get(name="anon_ip")
    page.goto(f"{live_server.url}/admin/enrichment/enrichmentconfig/{row.pk}/change/")
    document = json.loads(page.input_value("#id_configuration"))
    document["data"]["parameters"]["anonOctets"] = 9
    page.fill("#id_configuration", json.dumps(document))
    page.check("#id_enabled")
    page.click("input[name=_save]")
    errors = page.locator(".field-configuration .errorlist").inner_text()
    assert "anonOctets" in errors and "maximum" in errors
    assert EnrichmentConfig.objects.get(name="anon_ip").enabled is False

    document["data"]["parameters"]["anonOctets"] = 2
    page.fill("#id_configuration", json.dumps(document))
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/enrichment/enrichmentconfig/")
    saved = EnrichmentConfig.objects.get(name="anon_ip")
    assert saved.enabled is True
    assert saved.configuration["data"] == {**document["data"], "enabled": True}
    page.screenshot(path=str(Path(__file__).resolve().parents[2] / "var" / "enrichment-admin.png"))
