"""Signed webhook calls: verified per vendor when the admin holds a secret, refused with a reason otherwise."""

import json
from urllib.parse import quote_plus

import pytest

from enrichment.processing import process_payload
from tests.enrichment.payloads import COLLECTOR_TSTAMP
from tests.webhooks import signing
from tests.webhooks.support import webhook_payload
from webhooks.api import check_webhook_request, refused_request_badrow
from webhooks.models import WebhookEndpoint
from webhooks.signatures import SignedRequest, check_signature

HOST = "collector.example"  # the hostname tests.enrichment.payloads records


def configure(vendor: str, version: str, secret: str, **fields) -> None:
    WebhookEndpoint.objects.update_or_create(vendor=vendor, version=version,
                                             defaults={"signing_secret": secret, **fields})


def refusal(outcome) -> str:
    [row] = outcome.bad
    assert row.type == "adapter_failures" and outcome.good == []
    [message] = row.failure["messages"]
    assert message["field"] == "signature"
    return message["expectation"]


# --- Mandrill ----------------------------------------------------------------------------------------------
MANDRILL_EVENTS = json.dumps([{"event": "send", "_id": "x", "ts": 1709283601, "msg": {"ts": 1709283600}}])
MANDRILL_BODY = "mandrill_events=" + quote_plus(MANDRILL_EVENTS)


def mandrill(signature: str | None):
    headers = [f"X-Mandrill-Signature: {signature}"] if signature else []
    return process_payload(webhook_payload("/com.mandrill/v1", "aid=shop", MANDRILL_BODY,
                                           "application/x-www-form-urlencoded", headers))


def test_a_mandrill_call_signed_with_the_webhook_key_is_accepted():
    configure("com.mandrill", "v1", "mandrill-key")
    url = f"https://{HOST}/com.mandrill/v1?aid=shop"
    outcome = mandrill(signing.mandrill_signature("mandrill-key", url, {"mandrill_events": MANDRILL_EVENTS}))
    assert outcome.bad == [] and len(outcome.good) == 1


def test_a_mandrill_call_signed_for_the_configured_public_url_is_accepted():
    configure("com.mandrill", "v1", "mandrill-key", public_url="https://hooks.example.com:8443")
    url = "https://hooks.example.com:8443/com.mandrill/v1?aid=shop"
    assert len(mandrill(signing.mandrill_signature("mandrill-key", url,
                                                   {"mandrill_events": MANDRILL_EVENTS})).good) == 1


def test_a_mandrill_call_with_a_wrong_or_missing_signature_is_a_bad_row_saying_why():
    configure("com.mandrill", "v1", "mandrill-key")
    wrong = signing.mandrill_signature("other-key", f"https://{HOST}/com.mandrill/v1?aid=shop", {})
    assert refusal(mandrill(wrong)) == (
        "invalid signature: X-Mandrill-Signature does not match the webhook key and URL")
    assert refusal(mandrill(None)) == "invalid signature: missing X-Mandrill-Signature header"


def test_without_a_secret_signatures_are_not_checked():
    assert len(mandrill(None).good) == 1


# --- SendGrid ----------------------------------------------------------------------------------------------
SENDGRID_BODY = json.dumps([{"email": "a@example.com", "timestamp": 1710403200, "event": "open",
                             "sg_event_id": "Y0hKdlkyVnpjMlZrTFRFdw=="}])


def sendgrid(key: signing.EcdsaKey, signed_body: str = SENDGRID_BODY):
    signature = key.sign(("1710403201" + signed_body).encode())
    headers = [f"X-Twilio-Email-Event-Webhook-Signature: {signature}",
               "X-Twilio-Email-Event-Webhook-Timestamp: 1710403201"]
    return process_payload(webhook_payload("/com.sendgrid/v3", "", SENDGRID_BODY, "application/json", headers))


def test_a_sendgrid_batch_signed_with_the_verification_key_is_accepted():
    key = signing.EcdsaKey()
    configure("com.sendgrid", "v3", key.public_b64)
    outcome = sendgrid(key)
    assert outcome.bad == [] and len(outcome.good) == 1


def test_a_sendgrid_batch_signed_by_another_key_or_over_another_body_is_refused():
    key = signing.EcdsaKey()
    configure("com.sendgrid", "v3", key.public_b64)
    assert refusal(sendgrid(signing.EcdsaKey())) == (
        "invalid signature: SendGrid signature does not verify with the public key")
    assert refusal(sendgrid(key, SENDGRID_BODY + " ")).startswith("invalid signature: SendGrid signature")


def test_an_unreadable_sendgrid_key_is_reported_not_raised():
    configure("com.sendgrid", "v3", "not-a-key")
    assert refusal(sendgrid(signing.EcdsaKey())).startswith("invalid signature: signature or verification key")


# --- Mailgun -----------------------------------------------------------------------------------------------
def mailgun(key: str, signature: str | None = None):
    token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    block = {"timestamp": "1529006854", "token": token,
             "signature": signature or signing.mailgun_signature(key, "1529006854", token)}
    body = json.dumps({"signature": block, "event-data": {"event": "delivered", "recipient": "a@example.com"}})
    return process_payload(webhook_payload("/com.mailgun/v1", "", body, "application/json"))


def test_a_mailgun_call_with_its_signature_block_matching_the_signing_key_is_accepted():
    configure("com.mailgun", "v1", "mailgun-key")
    assert len(mailgun("mailgun-key").good) == 1
    assert refusal(mailgun("other-key")) == "invalid signature: Mailgun signature does not match the signing key"


# --- HubSpot -----------------------------------------------------------------------------------------------
HUBSPOT_BODY = json.dumps([{"eventId": 1, "subscriptionId": 2, "portalId": 3, "occurredAt": 1539145399845,
                            "subscriptionType": "contact.creation", "attemptNumber": 0, "objectId": 4,
                            "changeSource": "CRM", "changeFlag": "NEW"}])


def hubspot(headers: list[str]):
    return process_payload(webhook_payload("/com.hubspot/v1", "", HUBSPOT_BODY, "application/json", headers))


def test_hubspot_v3_signatures_are_checked_with_the_url_body_and_a_fresh_timestamp():
    configure("com.hubspot", "v1", "client-secret")
    timestamp = str(COLLECTOR_TSTAMP - 1000)
    signature = signing.hubspot_v3_signature("client-secret", "POST", f"https://{HOST}/com.hubspot/v1",
                                             HUBSPOT_BODY, timestamp)
    good = hubspot([f"X-HubSpot-Signature-v3: {signature}", f"X-HubSpot-Request-Timestamp: {timestamp}"])
    assert good.bad == [] and len(good.good) == 1
    stale = str(COLLECTOR_TSTAMP - 10 * 60 * 1000)
    old = signing.hubspot_v3_signature("client-secret", "POST", f"https://{HOST}/com.hubspot/v1", HUBSPOT_BODY,
                                       stale)
    assert "more than 5 minutes" in refusal(hubspot([f"X-HubSpot-Signature-v3: {old}",
                                                     f"X-HubSpot-Request-Timestamp: {stale}"]))


def test_hubspot_v1_signatures_hash_the_secret_and_the_body():
    import hashlib

    configure("com.hubspot", "v1", "client-secret")
    v1 = hashlib.sha256(("client-secret" + HUBSPOT_BODY).encode()).hexdigest()
    assert len(hubspot([f"X-HubSpot-Signature: {v1}", "X-HubSpot-Signature-Version: v1"]).good) == 1
    assert refusal(hubspot(["X-HubSpot-Signature: 00", "X-HubSpot-Signature-Version: v1"])).endswith(
        "(v1) does not match the client secret")


# --- PagerDuty ---------------------------------------------------------------------------------------------
def test_pagerduty_signatures_accept_any_of_several_v1_values():
    secret = "pd-secret"
    body = '{"messages": [{"type": "incident.trigger"}]}'
    request = SignedRequest("POST", (), {"x-pagerduty-signature": f"v1=00,{signing.pagerduty_signature(secret, body)}"},
                            body, 0)
    assert check_signature("com.pagerduty", secret, request).valid
    assert not check_signature("com.pagerduty", "other", request).valid


def test_vendors_that_do_not_sign_are_always_valid():
    assert check_signature("com.callrail", "secret", SignedRequest("GET", (), {}, "", 0)).valid


# --- switched off, and the collector hook ------------------------------------------------------------------
def test_a_webhook_switched_off_in_the_admin_keeps_its_calls_as_bad_rows():
    WebhookEndpoint.objects.update_or_create(vendor="com.mandrill", version="v1", defaults={"enabled": False})
    [row] = mandrill(None).bad
    assert row.failure["messages"] == [{"field": "vendor/version", "value": "com.mandrill/v1",
                                        "expectation": "webhook is switched off in the admin"}]


@pytest.mark.parametrize("vendor", ["com.callrail", "com.mandrill"])
def test_the_collector_hook_says_nothing_when_there_is_nothing_to_check(vendor):
    assert check_webhook_request(vendor, "v1", "POST", HOST, f"/{vendor}/v1", "", [], b"x", 0) is None


def test_the_collector_hook_refuses_a_bad_signature_and_builds_the_bad_row_to_record():
    configure("com.mandrill", "v1", "mandrill-key")
    url = f"https://{HOST}/com.mandrill/v1?aid=shop"
    good = signing.mandrill_signature("mandrill-key", url, {"mandrill_events": MANDRILL_EVENTS})
    body = MANDRILL_BODY.encode()
    verdict = check_webhook_request("com.mandrill", "v1", "POST", HOST, "/com.mandrill/v1", "aid=shop",
                                    [("x-mandrill-signature", good)], body, 0)
    assert verdict.valid
    verdict = check_webhook_request("com.mandrill", "v1", "POST", HOST, "/com.mandrill/v1", "aid=shop",
                                    [("x-mandrill-signature", "forged")], body, 0)
    assert not verdict.valid
    row = refused_request_badrow(webhook_payload("/com.mandrill/v1", "aid=shop", MANDRILL_BODY,
                                                 "application/x-www-form-urlencoded"), verdict)
    assert row.type == "adapter_failures"
    assert row.failure["messages"][0]["value"] == "forged"
    assert row.payload["body"] == MANDRILL_BODY
