"""CSV and zip exports, share links (with a password, revocable), annotations, segments, roles and CSRF."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.test import Client

from dashboards.models import Annotation, SavedSegment, ShareLink
from dashboards.sharing import share_link_create
from tests.dashboards.conftest import DE, RANGE, load, shop_events, view

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(shop):
    load(shop_events())


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_table_csv_has_the_table_rows(client, viewer, data):
    client.force_login(viewer)
    response = client.get(f"/dashboards/shop/export/pages.csv?{RANGE}")
    assert response["Content-Type"].startswith("text/csv")
    assert rows_of(response.content.decode()) == [
        ["Page", "Page views", "Visitors", "Avg. engaged", "Bounce rate"], ["/home", "3", "2", "", ""],
        ["/pricing", "2", "2", "", ""]]
    filtered = client.get(f"/dashboards/shop/export/countries.csv?{RANGE}&f=page:is:/home").content.decode()
    assert rows_of(filtered)[1:] == [["FR", "1", "2", "2"], ["DE", "1", "1", "1"]]


def test_a_dashboard_zip_has_one_csv_per_table(client, viewer, data):
    client.force_login(viewer)
    response = client.get(f"/dashboards/shop/overview/export.zip?{RANGE}&interval=day")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"timeseries.csv", "top-pages.csv", "top-sources.csv", "top-countries.csv",
                                       "top-devices.csv"}
    assert rows_of(archive.read("timeseries.csv").decode())[1][1:] == ["2", "2", "3"]


def test_exports_neutralise_spreadsheet_formulas_and_keep_markup_as_text(client, viewer, shop):
    load([view(dt.datetime(2026, 11, 30, 4), "v1", "s1", "=HYPERLINK(\"http://evil\")", **DE),
          view(dt.datetime(2026, 11, 30, 4), "v2", "s2", "/<script>alert(1)</script>", **DE)])
    client.force_login(viewer)
    values = [row[0] for row in rows_of(client.get(f"/dashboards/shop/export/pages.csv?{RANGE}").content.decode())]
    assert "'=HYPERLINK(\"http://evil\")" in values and "/<script>alert(1)</script>" in values


def test_a_share_link_shows_the_dashboards_read_only(data, shop, site_admin):
    link = share_link_create(shop, site_admin, "board")
    anonymous = Client()
    html = anonymous.get(f"/dashboards/shared/{link.key}/?{RANGE}").content.decode()
    assert 'id="tile-visitors"' in html and "annotation-form" not in html and "segment-form" not in html
    assert anonymous.get(f"/dashboards/shared/{link.key}/export/pages.csv?{RANGE}").status_code == 200
    assert anonymous.get("/dashboards/shop/").status_code == 302  # the link opens nothing else


def test_a_password_protects_a_share_link(data, shop, site_admin):
    link = share_link_create(shop, site_admin, "board", password="open sesame")
    anonymous = Client()
    response = anonymous.get(f"/dashboards/shared/{link.key}/pages/")
    assert response.status_code == 302 and "/unlock/" in response.url
    assert anonymous.get(f"/dashboards/shared/{link.key}/export/pages.csv").status_code == 302
    assert anonymous.post(f"/dashboards/shared/{link.key}/unlock/", {"password": "wrong"}).status_code == 403
    unlocked = anonymous.post(f"/dashboards/shared/{link.key}/unlock/?next=https://evil.test/",
                              {"password": "open sesame"})
    assert unlocked.url == f"/dashboards/shared/{link.key}/"
    assert anonymous.get(f"/dashboards/shared/{link.key}/pages/").status_code == 200


def test_a_revoked_or_unknown_share_link_is_gone(client, shop, site_admin):
    link = share_link_create(shop, site_admin)
    client.force_login(site_admin)
    client.post(f"/dashboards/shop/share-links/{link.pk}/revoke/")
    assert Client().get(f"/dashboards/shared/{link.key}/").status_code == 404
    assert Client().get("/dashboards/shared/nonsense/").status_code == 404


def test_only_site_admins_share_annotate_and_schedule(client, viewer, site_admin, shop):
    client.force_login(viewer)
    assert client.get("/dashboards/shop/settings/").status_code == 403
    assert client.post("/dashboards/shop/share-links/", {"label": "x"}).status_code == 403
    assert client.post("/dashboards/shop/annotations/", {"day": "2026-11-30", "text": "x"}).status_code == 403
    assert client.post("/dashboards/shop/reports/", {"recipients": "a@b.test", "frequency": "daily"}).status_code == 403
    assert not ShareLink.objects.exists() and not Annotation.objects.exists()
    client.force_login(site_admin)
    assert client.post("/dashboards/shop/share-links/", {"label": "board", "password": "pw"}).status_code == 302
    assert client.post("/dashboards/shop/annotations/", {"day": "2026-11-30", "text": "Launch"}).status_code == 302
    assert ShareLink.objects.get().password_hash.startswith("pbkdf2")
    assert client.get("/dashboards/shop/settings/").status_code == 200


def test_annotations_show_on_the_overview_escaped(client, site_admin, data):
    client.force_login(site_admin)
    client.post("/dashboards/shop/annotations/", {"day": "2026-11-30", "text": "<b>Launch</b>"})
    html = client.get(f"/dashboards/shop/?{RANGE}").content.decode()
    assert "&lt;b&gt;Launch&lt;/b&gt;" in html and "<b>Launch</b>" not in html
    assert client.post("/dashboards/shop/annotations/", {"day": "soon", "text": "x"}).status_code == 400


def test_viewers_save_segments_from_their_filters(client, viewer, data):
    client.force_login(viewer)
    response = client.post("/dashboards/shop/segments/", {"name": "French", "f": ["country:is:FR"]})
    assert response.status_code == 302 and "country%3Ais%3AFR" in response.url
    assert SavedSegment.objects.get().filters == ["country:is:FR"]
    html = client.get(f"/dashboards/shop/?{RANGE}").content.decode()
    assert ">French</a>" in html
    assert client.post("/dashboards/shop/segments/", {"name": "Bad", "f": ["colour:is:red"]}).status_code == 400
    assert client.post("/dashboards/shop/segments/", {"name": "French", "f": ["country:is:DE"]}).status_code == 400


def test_forms_need_a_csrf_token(viewer, shop):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(viewer)
    assert strict.post("/dashboards/shop/segments/", {"name": "x", "f": ["country:is:FR"]}).status_code == 403
