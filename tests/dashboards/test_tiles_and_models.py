"""Tile caching, pinned query counts, and the adapter onto the data models' api (warehouse.modeling.api)."""

import datetime as dt
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors, tiles
from dashboards.errors import QueryError, Unavailable
from dashboards.query import parse_query
from tests.dashboards.conftest import RANGE, load, shop_events
from warehouse.modeling.api import Condition

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), [q["sql"] for q in captured]


@pytest.fixture
def reader(client, viewer):
    load(shop_events())
    client.force_login(viewer)
    return client


def test_a_cached_overview_runs_only_the_access_queries(reader):
    url = f"/dashboards/shop/?{RANGE}"
    cold, _ = count_queries(reader, url)
    warm, sql = count_queries(reader, url)
    # session, user, site, role, segments, annotations; every number comes from the tile cache.
    assert warm == 6, sql
    assert cold == 6 + 1 + 7  # + models-built check, totals, time series and four tables
    assert not any("atomic.events" in q for q in sql)


@pytest.mark.parametrize("page", ["pages", "acquisition", "geography", "technology"])
def test_breakdown_pages_have_pinned_query_counts(reader, page):
    url = f"/dashboards/shop/{page}/?{RANGE}"
    count_queries(reader, url)
    warm, sql = count_queries(reader, url)
    assert warm == 6, sql


def test_the_api_list_endpoint_has_a_pinned_query_count(client, viewer, other_site):
    from dashboards.models import Site, SiteMembership
    from dashboards.tokens import token_create

    for number in range(3):
        site = Site.objects.create(name=f"S{number}", slug=f"s{number}", app_ids=[f"s{number}"])
        SiteMembership.objects.create(site=site, user=viewer, role="admin")
    secret = token_create("t", ["api"], user=viewer)[1]
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/sites/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert len(captured) == 4  # token with its user, last-used update, sites, roles (however many sites)


def test_tiles_in_use_are_refreshed(shop):
    query = parse_query(shop, _params(RANGE))
    assert selectors.get_totals(query).page_views == 0
    load(shop_events())
    assert selectors.get_totals(query).page_views == 0  # still the cached tile
    assert tiles.tiles_refresh() >= 1
    assert selectors.get_totals(query).page_views == 5


def _params(text: str):
    from django.http import QueryDict

    return QueryDict(text)


class FakeModels(types.SimpleNamespace):
    """Stands in for warehouse.modeling.api with its documented signatures and record of calls."""


@pytest.fixture
def models(monkeypatch):
    from warehouse.modeling.reports import BreakdownRow, Metrics, TimeseriesPoint, UnsupportedQuery

    calls = []

    def get_overview(site, start, end, filters=None, include_bots=False):
        calls.append(("overview", start, end, filters))
        if filters and any(c.op == "contains" and c.dimension == "page" for c in filters):
            raise UnsupportedQuery("no page substrings here")
        return Metrics(visitors=7, page_views=20, sessions=10, bounces=4, engaged_time_s=300, conversions=2)

    def list_breakdown(site, dimension, start, end, filters=None, order_by="visitors", limit=10, offset=0,
                       include_bots=False):
        calls.append(("breakdown", dimension, filters, limit, offset))
        return [BreakdownRow("/home", Metrics(visitors=5, page_views=8, sessions=6, engaged_time_s=80))]

    def list_timeseries(site, start, end, interval="day", filters=None, include_bots=False):
        return [TimeseriesPoint(dt.datetime(2026, 11, 30), Metrics(visitors=1, page_views=2, sessions=1))]

    fake = FakeModels(DIMENSIONS=("all", "page", "event", "source", "country", "goal"), get_overview=get_overview,
                      list_breakdown=list_breakdown, list_timeseries=list_timeseries, UnsupportedQuery=UnsupportedQuery,
                      Condition=Condition)
    monkeypatch.setattr(selectors, "_api", lambda: fake)
    monkeypatch.setattr(selectors, "uses_models", lambda site_id: True)
    return calls


def test_the_models_answer_once_they_have_run(shop, models):
    query = parse_query(shop, _params(f"{RANGE}&f=event_name:is:signup"))
    totals = selectors.get_totals(query)
    assert (totals.visitors, totals.sessions, totals.page_views, totals.bounce_rate) == (7, 10, 20, 0.4)
    assert totals.engaged_seconds == 30 and totals.conversions == 2
    assert models[0] == ("overview", dt.date(2026, 11, 30), dt.date(2026, 12, 1), [Condition("event", "signup")])
    row, = selectors.list_breakdown(parse_query(shop, _params(RANGE)), "page", limit=5, offset=5)
    assert (row.value, row.visitors, row.page_views, row.engaged_seconds) == ("/home", 5, 8, 10)
    assert models[-1] == ("breakdown", "page", None, 5, 5)


def test_all_filters_go_to_the_models_as_conditions(shop, models):
    query = parse_query(shop, _params(f"{RANGE}&f=country:is:FR&f=page:is_not:/&f=prop:plan:contains:pro"))
    selectors.get_totals(query)
    assert models[-1][3] == [Condition("country", "FR"), Condition("page", "/", "is_not"),
                             Condition("prop", "pro", "contains", "plan")]
    selectors.list_breakdown(query, "source")
    assert models[-1][2] == models[0][3]


def test_questions_the_models_cannot_answer_are_clear(shop, models):
    with pytest.raises(QueryError, match="cannot answer this yet: no page substrings"):
        selectors.get_totals(parse_query(shop, _params(f"{RANGE}&f=country:is:FR&f=page:contains:/")))
    with pytest.raises(QueryError, match="cannot filter by UTM term"):
        selectors.get_totals(parse_query(shop, _params(f"{RANGE}&f=term:is:x")))
    with pytest.raises(Unavailable):
        selectors.list_breakdown(parse_query(shop, _params(RANGE)), "term")
    with pytest.raises(Unavailable):
        selectors.list_breakdown(parse_query(shop, _params(f"{RANGE}&f=country:is:FR")), "goal")


def test_pages_read_the_models_not_atomic_events(client, viewer, models):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(f"/dashboards/shop/?{RANGE}").content.decode()
    assert not any("atomic.events" in q["sql"] for q in captured)
    assert '<div class="value">7</div>' in html
