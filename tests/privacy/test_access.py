"""One site's data cannot be read by a member of another site, through any surface."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from dashboards.models import SiteMembership
from dashboards.tokens import token_create

pytestmark = pytest.mark.django_db
REFUSED = {403, 404}


@pytest.fixture
def outsider(make_site):
    mine, theirs = make_site("mine"), make_site("theirs")
    user = User.objects.create_user("outsider", password="pw-Outsider-2026", is_staff=True)
    SiteMembership.objects.create(site=mine, user=user, role=SiteMembership.ADMIN)
    return user, mine, theirs


@pytest.mark.parametrize("path", [
    "/dashboards/theirs/", "/dashboards/theirs/pages/", "/dashboards/theirs/export/top-pages.csv",
    "/dashboards/theirs/pages/export.zip", "/dashboards/theirs/settings/",
])
def test_dashboard_pages_and_exports_of_another_site_are_refused(client, outsider, path):
    client.force_login(outsider[0])
    assert client.get(path).status_code in REFUSED
    assert client.get(path.replace("/theirs/", "/mine/")).status_code == 200  # the path itself is a real one


@pytest.mark.parametrize("path", ["/dashboards/theirs/share-links/", "/dashboards/theirs/annotations/",
                                  "/dashboards/theirs/segments/", "/dashboards/theirs/reports/"])
def test_changes_to_another_sites_sharing_notes_segments_and_reports_are_refused(client, outsider, path):
    client.force_login(outsider[0])
    assert client.post(path, {"label": "x", "day": "2026-12-01", "text": "x", "name": "x"}).status_code in REFUSED


@pytest.mark.parametrize("path", ["/api/v1/sites/theirs/aggregate/", "/api/v1/sites/theirs/timeseries/",
                                  "/api/v1/sites/theirs/breakdown/page/"])
def test_the_api_refuses_another_sites_data_to_a_members_token(client, outsider, path):
    _token, secret = token_create("outsider", ["api"], user=outsider[0])
    assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code in REFUSED
    own = client.get(path.replace("/theirs/", "/mine/"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert own.status_code == 200
    listed = client.get("/api/v1/sites/", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert "theirs" not in str(listed)


def test_privacy_screens_in_the_admin_need_privacy_permissions(client, outsider):
    user, _mine, theirs = outsider
    client.force_login(user)
    for path in (f"/admin/privacy/siteprivacy/consent/{theirs.pk}/", "/admin/privacy/siteprivacy/retention/",
                 "/admin/privacy/siteprivacy/subjects/?identifier=user_id&value=x"):
        assert client.get(path).status_code in REFUSED
