"""Webhook paths through the collector: recorded like tracker requests, refused with 401 when badly signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import quote_plus

import pytest

from tests.collector.support import call

FORM = [("content-type", "application/x-www-form-urlencoded"), ("host", "collector.example")]
EVENTS = json.dumps([{"event": "send", "_id": "x", "ts": 1709283601, "msg": {"ts": 1709283600}}])
BODY = ("mandrill_events=" + quote_plus(EVENTS)).encode()


def mandrill_signature(key: str, url: str, params: dict[str, str]) -> str:
    """Mandrill's scheme: Base64 of HMAC-SHA1 over the URL followed by each POST key and value, sorted by key."""
    signed = url + "".join(f"{name}{value}" for name, value in sorted(params.items()))
    return base64.b64encode(hmac.new(key.encode(), signed.encode(), hashlib.sha1).digest()).decode()


@pytest.fixture
def signed_mandrill():
    from webhooks.config import config_clear
    from webhooks.models import WebhookEndpoint

    WebhookEndpoint.objects.update_or_create(vendor="com.mandrill", version="v1",
                                             defaults={"signing_secret": "mandrill-key", "public_url": ""})
    config_clear()
    yield
    config_clear()


@pytest.mark.django_db(transaction=True)
def test_a_webhook_with_a_bad_signature_gets_401_is_not_recorded_and_becomes_a_bad_row(signed_mandrill, sink):
    from enrichment.models import BadRow

    answer = call("POST", "/com.mandrill/v1", headers=[*FORM, ("x-mandrill-signature", "forged")], body=BODY)
    assert answer.status == 401
    assert sink.records == []
    (row,) = BadRow.objects.all()
    assert row.type == "adapter_failures"


@pytest.mark.django_db(transaction=True)
def test_a_webhook_with_a_good_signature_is_recorded(signed_mandrill, sink):
    signature = mandrill_signature("mandrill-key", "https://collector.example/com.mandrill/v1",
                                   {"mandrill_events": EVENTS})
    answer = call("POST", "/com.mandrill/v1", headers=[*FORM, ("x-mandrill-signature", signature)], body=BODY)
    assert (answer.status, answer.body) == (200, b"ok")
    assert sink.payloads[0].path == "/com.mandrill/v1"
    assert sink.payloads[0].body == BODY


def test_a_vendor_without_a_signing_scheme_is_recorded_without_touching_the_database(sink):
    answer = call("POST", "/com.callrail/v1", headers=FORM, body=b"answered=true")
    assert answer.status == 200
    assert len(sink.records) == 1
