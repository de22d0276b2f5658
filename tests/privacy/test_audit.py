"""The audit log: admin changes of settings, roles and tokens are recorded with who, when, before and after,
and the log itself cannot be edited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dashboards.models import ApiToken, Site, SiteMembership
from dashboards.tokens import token_create
from privacy.audit import audit_record
from privacy.models import AuditEntry, SitePrivacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser("root", "root@example.com", "pw-Root-2026")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def privacy_form(site: Site, **changes) -> dict:
    form = {"site": site.pk, "anonymise_ip": "on", "anon_octets": 1, "anon_segments": 5, "respect_dnt": "on",
            "allowed_origins": "[]", "origin_policy": "keep", "internal_networks": "[]", "internal_policy": "drop",
            "withdrawn_consent": "drop", "events_retention_days": 0, "bad_rows_retention_days": 0}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_changing_a_sites_privacy_settings_records_only_what_changed(admin_client, make_site):
    site = make_site("shop")
    assert admin_client.post("/admin/privacy/siteprivacy/add/", privacy_form(site)).status_code == 302
    response = admin_client.post(f"/admin/privacy/siteprivacy/{site.pk}/change/",
                                 privacy_form(site, anon_octets=2, cookieless="on"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="privacy.change")
    assert (entry.actor_name, entry.site, entry.object_type) == ("root", site, "privacy.SitePrivacy")
    assert entry.before == {"anon_octets": 1, "cookieless": False}
    assert entry.after == {"anon_octets": 2, "cookieless": True}
    assert SitePrivacy.objects.get(site=site).cookieless


def test_invalid_internal_ranges_are_refused_with_a_message(admin_client, make_site):
    site = make_site("shop")
    response = admin_client.post("/admin/privacy/siteprivacy/add/",
                                 privacy_form(site, internal_networks='["10.0.0.0/8", "not-a-range"]'))
    assert response.status_code == 200 and "is not an IP range" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_giving_someone_a_role_on_a_site_is_recorded_as_a_permission_change(admin_client, admin_user, make_site):
    site = make_site("shop")
    viewer = User.objects.create_user("viewer")
    form = {"name": "Shop", "slug": "shop", "timezone": "UTC", "app_ids": '["shop"]', "domains": '["shop.example"]',
            "tracker_js_url": "", "memberships-TOTAL_FORMS": 1, "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000, "memberships-0-user": viewer.pk,
            "memberships-0-role": "admin", "memberships-0-site": site.pk}
    response = admin_client.post(f"/admin/dashboards/site/{site.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    membership = SiteMembership.objects.get()
    entry = AuditEntry.objects.get(action="permission.create")
    assert (entry.object_type, entry.object_id, entry.site) == ("dashboards.SiteMembership", str(membership.pk), site)
    assert entry.after["role"] == "admin" and entry.after["user_id"] == viewer.pk


def test_revoking_an_api_token_in_the_admin_is_recorded_and_the_hash_is_never_logged(admin_client):
    token, _secret = token_create("ci", ["api"])
    response = admin_client.post("/admin/dashboards/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="permission.revoke")
    assert entry.before == {"revoked_at": None} and entry.after["revoked_at"]
    assert ApiToken.objects.get().revoked_at is not None
    assert token.key_hash not in str(AuditEntry.objects.values_list("before", "after"))


def test_deleting_a_site_is_recorded_with_its_last_state(admin_client, make_site):
    site = make_site("shop")
    response = admin_client.post(f"/admin/dashboards/site/{site.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="config.delete")
    assert entry.before["slug"] == "shop" and entry.object_id == str(site.pk)


def test_the_audit_log_is_visible_and_filterable_but_cannot_be_added_changed_or_deleted(admin_client, admin_user):
    entry = audit_record(admin_user, "config.change", "thing", before={"a": 1}, after={"a": 2})
    listing = admin_client.get("/admin/privacy/auditentry/", {"action": "config.change"})
    assert listing.status_code == 200 and "config.change" in listing.content.decode()
    assert admin_client.get("/admin/privacy/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/privacy/auditentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert admin_client.post(f"/admin/privacy/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get().action == "config.change"


def test_secrets_are_never_written_to_the_audit_log(admin_user):
    from iglu.models import ApiKey
    from privacy.audit import snapshot

    key = ApiKey.objects.create(vendor_prefix="com.acme")
    entry = audit_record(admin_user, "permission.create", key, after=snapshot(key))
    assert str(key.key) not in str([entry.object_id, entry.object_repr, entry.before, entry.after])
    assert entry.object_id.startswith("sha256:")
    config = {"schema": "x", "data": {"parameters": {"apiKey": "s3cret", "cacheSize": 10,
                                                     "database": {"postgresql": {"password": "pw", "host": "db"}}}}}
    masked = audit_record(admin_user, "config.change", "enrichment", after=config).after
    assert masked["data"]["parameters"] == {"apiKey": "<hidden>", "cacheSize": 10,
                                            "database": {"postgresql": {"password": "<hidden>", "host": "db"}}}


def test_the_settings_list_names_the_sites_still_on_the_defaults(admin_client, make_site):
    make_site("shop")
    make_site("blog", cookieless=True)
    page = admin_client.get("/admin/privacy/siteprivacy/")
    assert [site.slug for site in page.context_data["default_sites"]] == ["shop"]
    assert "Data-subject requests" in page.content.decode()
