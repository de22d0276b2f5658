"""Several filters at once and custom-property filters on the pages and the API, answered by the data models
(derived tables, never atomic.events) after a model run over the conftest's known data set plus 'signup' events
with properties.

Sessions (site time Asia/Kolkata, RANGE = local 30 Nov and 1 Dec 2026; see conftest.shop_events):
  s1 v1 FR Paris Chrome google/organic: /home, /pricing; signup plan=pro seats=3 (local 30 Nov)
  s2 v2 DE Berlin Firefox newsletter/email/winter: /home; signup plan=free (local 30 Nov)
  s3 v3 FR Paris Chrome, direct: /pricing; signup plan=pro (local 1 Dec, 00:30)
  s4 v1 FR Paris Chrome, direct: /home (local 1 Dec)
Filters select sessions that meet every condition; a page condition also narrows the page views counted.

By hand:
  country is FR and page is /home: s1, s4 -> 1 visitor, 2 sessions, 2 page views (the two /home views)
  country is_not DE and source contains "GOO": s1 -> 1 visitor, 1 session, 2 page views
  plan is pro: s1, s3 -> 2 visitors, 2 sessions, 3 page views; 30 Nov 1/1/2, 1 Dec 1/1/1;
    its pages /pricing 2 views by 2 visitors, /home 1 by 1; countries FR 2 visitors; browsers Chrome 2
  plan is_not pro: s2, s4 -> 2 visitors, 2 sessions, 2 page views
  plan contains "FR" (free): s2 -> 1, 1, 1;  seats is 3: s1 -> 1, 1, 2
  plan is pro and country is FR and page is /pricing: s1, s3 -> 2 visitors, 2 sessions, 2 page views
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboards.conftest import DE, FR, RANGE, event, load, shop_events
from tests.dashboards.test_pages import table_rows, tile

pytestmark = pytest.mark.django_db
NUMBERS = ("visitors", "sessions", "page_views")


def signup(when: dt.datetime, visitor: str, session: str, data: dict, **fields) -> dict:
    """A self-describing com.acme/signup event carrying custom properties."""
    envelope = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                "data": {"schema": "iglu:com.acme/signup/jsonschema/1-0-0", "data": data}}
    return event("shop", when, visitor, "unstruct", domain_sessionid=session, event_vendor="com.acme",
                 event_name="signup", unstruct_event=envelope, **fields)


def signups() -> list[dict]:
    d = dt.datetime
    return [signup(d(2026, 11, 30, 4, 2), "v1", "s1", {"plan": "pro", "seats": 3}, **FR),
            signup(d(2026, 11, 30, 6, 1), "v2", "s2", {"plan": "free"}, **DE),
            signup(d(2026, 11, 30, 19, 1), "v3", "s3", {"plan": "pro"}, **FR)]


@pytest.fixture
def modelled(client, viewer):
    from warehouse.modeling.runs import model_run

    load(shop_events() + signups())
    model_run()
    client.force_login(viewer)
    return client


def page(client, path: str, filters: str) -> str:
    """The page's HTML, checking that it was answered without reading atomic.events."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/dashboards/shop/{path}?{RANGE}&{filters}")
    assert response.status_code == 200, response.content[:2000]
    sql = [q["sql"] for q in captured]
    assert not any("atomic.events" in q for q in sql)
    return response.content.decode()


def numbers(html: str) -> list[str]:
    return [tile(html, k) for k in NUMBERS]


@pytest.mark.parametrize(("filters", "expected"), [
    ("f=country:is:FR&f=page:is:/home", ["1", "2", "2"]),
    ("f=country:is_not:DE&f=source:contains:GOO", ["1", "1", "2"]),
    ("f=prop:plan:is:pro", ["2", "2", "3"]),
    ("f=prop:plan:is_not:pro", ["2", "2", "2"]),
    ("f=prop:plan:contains:FR", ["1", "1", "1"]),
    ("f=prop:seats:is:3", ["1", "1", "2"]),
    ("f=prop:plan:is:pro&f=country:is:FR&f=page:is:/pricing", ["2", "2", "2"]),
])
def test_the_overview_answers_combined_and_property_filters_by_hand(modelled, filters, expected):
    html = page(modelled, "", filters)
    assert numbers(html) == expected


def test_the_filters_show_as_chips_that_each_remove_one(modelled):
    html = page(modelled, "", "f=country:is:FR&f=prop:plan:is:pro")
    assert "Country is FR" in html and "plan is pro" in html
    # Each chip's link keeps the other filter (and the range) in the URL.
    assert 'href="?period=custom&amp;from=2026-11-30&amp;to=2026-12-01&amp;f=prop%3Aplan%3Ais%3Apro"' in html
    assert 'href="?period=custom&amp;from=2026-11-30&amp;to=2026-12-01&amp;f=country%3Ais%3AFR"' in html
    # A click on a table value adds a filter to the ones already in the URL.
    assert "f=country%3Ais%3AFR&amp;f=prop%3Aplan%3Ais%3Apro&amp;f=page%3Ais%3A%2Fpricing" in html
    assert numbers(page(modelled, "", "f=country:is:FR&f=prop:plan:is:pro&f=page:is:/pricing")) == ["2", "2", "2"]


def test_the_overview_tables_follow_a_property_filter(modelled):
    html = page(modelled, "", "f=prop:plan:is:pro")
    assert [row[:3] for row in table_rows(html, "top-pages")] == [["/pricing", "2", "2"], ["/home", "1", "1"]]
    assert table_rows(html, "top-countries") == [["FR", "2", "2", "3"]]


def test_the_breakdown_pages_follow_combined_filters(modelled):
    filters = "f=prop:plan:is:pro&f=country:is:FR"
    pages = page(modelled, "pages/", filters)
    assert [row[:3] for row in table_rows(pages, "pages")] == [["/pricing", "2", "2"], ["/home", "1", "1"]]
    geography = page(modelled, "geography/", filters)
    assert table_rows(geography, "countries") == [["FR", "2", "2", "3"]]
    assert table_rows(geography, "cities") == [["Paris", "2", "2", "3"]]
    technology = page(modelled, "technology/", filters)
    assert table_rows(technology, "browsers") == [["Chrome", "2", "2", "3"]]
    acquisition = page(modelled, "acquisition/", "f=country:is_not:DE&f=source:contains:GOO")
    assert table_rows(acquisition, "sources") == [["google", "1", "1", "2"]]
    assert table_rows(acquisition, "mediums") == [["organic", "1", "1", "2"]]


def test_a_filtered_page_is_cached_like_any_other(modelled):
    url = f"/dashboards/shop/?{RANGE}&f=country:is:FR&f=prop:plan:is:pro"
    modelled.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert modelled.get(url).status_code == 200
    assert len(captured) == 6, [q["sql"] for q in captured]  # only the access queries; numbers are tiles


@pytest.mark.parametrize("filters", ["f=term:is:x&f=country:is:FR", "f=content:contains:x"])
def test_a_filter_the_models_do_not_take_is_a_clear_400(modelled, filters):
    response = modelled.get(f"/dashboards/shop/?{RANGE}&{filters}")
    assert response.status_code == 400 and b"cannot filter by UTM" in response.content


@pytest.fixture
def token(modelled, viewer):
    from dashboards.tokens import token_create

    return token_create("reporting", ["api"], user=viewer)[1]


def api(client, token: str, path: str, filters: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/sites/shop/{path}?{RANGE}&{filters}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert not any("atomic.events" in q["sql"] for q in captured)
    return response


def test_the_api_answers_the_same_numbers(client, token):
    body = api(client, token, "aggregate/", "f=country:is:FR&f=page:is:/home").json()
    assert [body["results"][k] for k in NUMBERS] == [1, 2, 2]
    assert body["filters"] == ["country:is:FR", "page:is:/home"]
    body = api(client, token, "aggregate/", "f=prop:plan:is:pro").json()
    assert [body["results"][k] for k in NUMBERS] == [2, 2, 3]
    series = api(client, token, "timeseries/", "f=prop:plan:is:pro&interval=day").json()
    assert [(p["bucket"][:10], p["visitors"], p["sessions"], p["page_views"]) for p in series["results"]] == [
        ("2026-11-30", 1, 1, 2), ("2026-12-01", 1, 1, 1)]
    rows = api(client, token, "breakdown/page/", "f=prop:plan:is:pro&f=country:is:FR").json()["results"]
    assert [(r["value"], r["page_views"], r["visitors"]) for r in rows] == [("/pricing", 2, 2), ("/home", 1, 1)]


def test_the_api_says_which_filter_it_cannot_take(client, token):
    response = api(client, token, "aggregate/", "f=term:is:x&f=country:is:FR")
    assert response.status_code == 400 and "cannot filter by UTM term" in response.json()["f"][0]
