"""The REST API on the known data set: same numbers as the pages, token auth, pagination, 400s, no leaks."""

import pytest

from dashboards.tokens import token_create
from tests.dashboards.conftest import RANGE, load, make_user, shop_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(viewer):
    load(shop_events())
    return token_create("reporting", ["api"], user=viewer)[1]


def get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_aggregate_gives_the_numbers_computed_by_hand(client, token):
    body = get(client, f"/api/v1/sites/shop/aggregate/?{RANGE}", token).json()
    assert body["results"]["visitors"] == 3 and body["results"]["sessions"] == 4
    assert body["results"]["page_views"] == 5 and body["comparison"] is None
    filtered = get(client, f"/api/v1/sites/shop/aggregate/?{RANGE}&f=country:is:FR", token).json()
    assert (filtered["results"]["visitors"], filtered["results"]["page_views"]) == (2, 4)


def test_timeseries_buckets_days_in_the_site_time_zone(client, token):
    body = get(client, f"/api/v1/sites/shop/timeseries/?{RANGE}&interval=day", token).json()
    assert [(p["bucket"][:10], p["visitors"], p["page_views"]) for p in body["results"]] == [
        ("2026-11-30", 2, 3), ("2026-12-01", 2, 2)]


def test_breakdown_pages_with_limit_and_offset(client, token):
    first = get(client, f"/api/v1/sites/shop/breakdown/page/?{RANGE}&limit=1", token).json()
    assert [(r["value"], r["page_views"], r["visitors"]) for r in first["results"]] == [("/home", 3, 2)]
    assert first["count"] == 2 and "offset=1" in first["next"]
    second = get(client, first["next"], token).json()
    assert [r["value"] for r in second["results"]] == ["/pricing"]


@pytest.mark.parametrize("url", ["/api/v1/sites/shop/breakdown/colour/", "/api/v1/sites/shop/aggregate/?f=x:is:y",
                                 "/api/v1/sites/shop/aggregate/?period=forever",
                                 "/api/v1/sites/shop/timeseries/?interval=minute"])
def test_bad_parameters_are_400_with_the_reason(client, token, url):
    response = get(client, url, token)
    assert response.status_code == 400 and response.json()


def test_tokens_must_be_valid_in_scope_and_unrevoked(client, viewer, token):
    assert client.get("/api/v1/sites/").status_code in (401, 403)
    assert get(client, "/api/v1/sites/", "spdj_wrong").status_code == 401
    micro = token_create("micro only", ["micro"], user=viewer)[1]
    assert get(client, "/api/v1/sites/", micro).status_code == 401
    orphan = token_create("no user", ["api"])[1]
    assert get(client, "/api/v1/sites/", orphan).status_code == 401
    assert [s["slug"] for s in get(client, "/api/v1/sites/", token).json()] == ["shop"]


def test_a_token_never_reaches_another_site(client, other_site, token):
    stranger = token_create("stranger", ["api"], user=make_user("stranger", other_site, "viewer"))[1]
    for url in ["/api/v1/sites/shop/aggregate/", "/api/v1/sites/shop/timeseries/",
                "/api/v1/sites/shop/breakdown/page/"]:
        assert get(client, url, stranger).status_code == 404
    assert [s["slug"] for s in get(client, "/api/v1/sites/", stranger).json()] == ["other"]


def test_the_api_agrees_with_the_page(client, viewer, token):
    client.force_login(viewer)
    html = client.get(f"/dashboards/shop/?{RANGE}&f=page:is:/home").content.decode()
    body = get(client, f"/api/v1/sites/shop/aggregate/?{RANGE}&f=page:is:/home", token).json()["results"]
    assert f'id="tile-visitors"><div class="label">Visitors</div>\n    <div class="value">{body["visitors"]}<' in html


def test_the_openapi_document_describes_the_endpoints(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/sites/", "/api/v1/sites/{slug}/aggregate/", "/api/v1/sites/{slug}/timeseries/",
            "/api/v1/sites/{slug}/breakdown/{dimension}/"} <= set(paths)
    names = {p["name"] for p in paths["/api/v1/sites/{slug}/aggregate/"]["get"]["parameters"]}
    assert {"period", "from", "to", "compare", "f"} <= names
