"""Realtime, funnels and retention pages over a small data set loaded through the loader and a model run."""

import re

import pytest

from tests.dashboards.analysis_data import live_events
from tests.dashboards.conftest import load

pytestmark = pytest.mark.django_db


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


def tile(html: str, tile_id: str) -> str:
    return re.search(rf'id="{tile_id}".*?<div class="value">([^<]*)</div>', html, re.S).group(1).strip()


@pytest.fixture
def reader(client, viewer):
    client.force_login(viewer)
    return client


def test_realtime_shows_the_last_30_minutes_counted_by_hand(reader):
    load(live_events())
    html = reader.get("/dashboards/shop/realtime/").content.decode()
    assert [tile(html, f"live-{k}") for k in ("visitors", "page_views", "events")] == ["2", "3", "4"]
    assert table_rows(html, "live-pages") == [["/home", "2"], ["/pricing", "1"]]
    assert table_rows(html, "live-sources") == [["(none)", "1"], ["google", "1"]]
    assert table_rows(html, "live-countries") == [["DE", "1"], ["FR", "1"]]
    counts = [int(n) for n in re.findall(r'class="minute-bar"[^>]*data-count="(\d+)"', html)]
    assert len(counts) == 30 and sum(counts) == 3
    assert "secret-other-site" not in html and "/old" not in html
    assert 'data-url="/dashboards/shop/realtime/live/"' in html


def test_the_realtime_fragment_has_the_numbers_without_the_frame(reader):
    load(live_events())
    html = reader.get("/dashboards/shop/realtime/live/").content.decode()
    assert tile(html, "live-visitors") == "2" and 'id="range-form"' not in html


def test_realtime_with_no_recent_traffic_says_so(reader):
    html = reader.get("/dashboards/shop/realtime/").content.decode()
    assert tile(html, "live-visitors") == "0" and "Nobody in the last 30 minutes." in html


@pytest.mark.parametrize("path", ["realtime/", "realtime/live/"])
def test_realtime_follows_the_access_rules_of_every_page(client, outsider, shop, path):
    response = client.get(f"/dashboards/shop/{path}")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(f"/dashboards/shop/{path}").status_code == 404


def test_realtime_through_a_share_link(client, shop):
    from dashboards.models import ShareLink

    link = ShareLink.objects.create(site=shop, key="k" * 22)
    load(live_events())
    assert tile(client.get("/dashboards/shared/" + link.key + "/realtime/live/").content.decode(),
                "live-visitors") == "2"
