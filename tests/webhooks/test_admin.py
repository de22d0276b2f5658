"""The admin page per webhook: URL to paste with the site's aid, on/off, secret, recent events and failures."""

import json
import time

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from dashboards.models import Site
from enrichment.badrows import badrows_record
from enrichment.processing import process_payload
from tests.webhooks.support import webhook_payload
from warehouse.api import LoadableEvent, batch_load
from webhooks.config import get_endpoint_config
from webhooks.endpoints import endpoints_sync
from webhooks.models import WebhookEndpoint
from webhooks.registry import WEBHOOK_ADAPTERS


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


def endpoint(vendor: str, version: str = "v1") -> WebhookEndpoint:
    return WebhookEndpoint.objects.get(vendor=vendor, version=version)


def test_every_registered_adapter_has_an_admin_row_after_migrating():
    assert endpoints_sync() == 0
    assert set(WebhookEndpoint.objects.values_list("vendor", "version")) >= set(WEBHOOK_ADAPTERS)


def test_the_page_shows_the_url_to_paste_with_the_sites_app_id(admin_client):
    site = Site.objects.create(name="Shop", slug="shop", app_ids=["shop-mail", "other"])
    WebhookEndpoint.objects.filter(vendor="com.mandrill").update(site=site)
    page = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint('com.mandrill').pk}/change/")
    assert page.status_code == 200
    assert "http://testserver/com.mandrill/v1?aid=shop-mail" in page.content.decode()


def test_the_configured_public_url_wins_in_the_url_to_paste(admin_client):
    WebhookEndpoint.objects.filter(vendor="com.callrail").update(public_url="https://c.example.com/")
    page = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint('com.callrail').pk}/change/")
    assert "https://c.example.com/com.callrail/v1" in page.content.decode()


def test_the_page_lists_recent_events_and_failures(admin_client):
    now = int(time.time() * 1000)
    good = webhook_payload("/com.sendgrid/v3", "aid=receipts", json.dumps([
        {"event": "open", "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw==", "email": "a@example.com"},
        {"event": "account_status_change", "sg_event_id": "x" * 22}]), "application/json", timestamp=now)
    outcome = process_payload(good)
    with transaction.atomic():
        batch_load([LoadableEvent(item.event, item.fingerprint) for item in outcome.good], ["admin-test-1"])
        badrows_record(outcome.bad)
    page = admin_client.get(f"/admin/webhooks/webhookendpoint/{endpoint('com.sendgrid', 'v3').pk}/change/")
    text = page.content.decode()
    assert outcome.good[0].event["event_id"] in text and "open" in text
    assert "no schema associated with the provided type parameter at index 1" in text


def test_switching_a_webhook_off_takes_effect_at_once(admin_client):
    row = endpoint("com.pingdom")
    assert get_endpoint_config("com.pingdom", "v1").enabled
    admin_client.post(f"/admin/webhooks/webhookendpoint/{row.pk}/change/", {
        "site": "", "public_url": "", "signing_secret": ""})
    assert get_endpoint_config("com.pingdom", "v1").enabled is False


def test_a_secret_for_a_vendor_that_does_not_sign_is_refused(admin_client):
    row = endpoint("com.callrail")
    page = admin_client.post(f"/admin/webhooks/webhookendpoint/{row.pk}/change/", {
        "enabled": "on", "site": "", "public_url": "", "signing_secret": "s3cret"})
    assert "does not sign its webhook calls" in page.content.decode()
    assert endpoint("com.callrail").signing_secret == ""


def test_the_list_shows_every_webhook(admin_client):
    page = admin_client.get("/admin/webhooks/webhookendpoint/")
    assert page.status_code == 200
    assert "com.urbanairship.connect/v1" in page.content.decode()
