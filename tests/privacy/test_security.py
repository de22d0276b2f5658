"""Security of the product's own pages: headers, and tokens that stop working once revoked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dashboards.tokens import token_create

pytestmark = pytest.mark.django_db


def test_django_pages_carry_csp_nosniff_frame_and_referrer_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS


def test_each_response_gets_a_fresh_nonce(client):
    first, second = (client.get("/accounts/login/")["Content-Security-Policy"] for _ in range(2))
    assert first != second


def test_hsts_is_sent_over_https(client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_the_collector_answers_without_django_headers():
    from tests.collector.support import call

    answer = call("GET", "/health")
    assert answer.status == 200 and answer.header("content-security-policy") is None


def test_the_site_setup_page_script_runs_under_the_policy(client):
    from dashboards.models import Site

    site = Site.objects.create(name="Shop", slug="shop", app_ids=["shop"])
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw-Root-2026"))
    response = client.get(f"/admin/dashboards/site/{site.pk}/setup/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_a_revoked_api_token_is_refused_by_the_api(client):
    from django.utils import timezone

    user = User.objects.create_superuser("root", "r@example.com", "pw-Root-2026")
    token, secret = token_create("ci", ["api"], user=user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/sites/", **headers).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/sites/", **headers).status_code in (401, 403)


def test_a_revoked_micro_token_is_refused(client, settings):
    from django.utils import timezone

    settings.MICRO_ENABLED = True
    token, secret = token_create("tests", ["micro"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/micro/all", **headers).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/micro/all", **headers).status_code in (401, 403)


def test_a_username_is_locked_out_from_an_address_after_too_many_failed_logins(client, settings):
    from django.core.cache import cache
    from django.test import RequestFactory

    from privacy.logins import failure_key

    settings.PRIVACY_LOGIN_FAILURE_LIMIT = 3
    User.objects.create_user("guessed", password="pw-Correct-2026")
    cache.delete(failure_key(RequestFactory().get("/"), "guessed"))
    for _ in range(3):
        client.post("/accounts/login/", {"username": "guessed", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "guessed", "password": "pw-Correct-2026"})
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    other_address = client.post("/accounts/login/", {"username": "guessed", "password": "pw-Correct-2026"},
                                REMOTE_ADDR="203.0.113.50")
    assert other_address.status_code == 302
    cache.delete(failure_key(RequestFactory().get("/"), "guessed"))


def test_a_successful_login_clears_the_failures(client, settings):
    from django.core.cache import cache
    from django.test import RequestFactory

    from privacy.logins import failure_key

    settings.PRIVACY_LOGIN_FAILURE_LIMIT = 2
    User.objects.create_user("forgetful", password="pw-Correct-2026")
    key = failure_key(RequestFactory().get("/"), "forgetful")
    cache.delete(key)
    client.post("/accounts/login/", {"username": "forgetful", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "forgetful", "password": "pw-Correct-2026"}).status_code == 302
    assert cache.get(key) is None
