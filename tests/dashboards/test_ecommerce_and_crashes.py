"""The Ecommerce page and the Apps page's crashes over known data sets, with the numbers computed by hand."""

import csv
import io

import pytest

from dashboards.tokens import token_create
from tests.dashboards.analysis_data import crash_events, order_events
from tests.dashboards.conftest import RANGE, load
from tests.dashboards.test_pages import table_rows, tile

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client, viewer):
    load(order_events())
    client.force_login(viewer)
    return client


def page(client, query: str = RANGE) -> str:
    response = client.get(f"/dashboards/shop/ecommerce/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def summary(html: str) -> tuple[str, ...]:
    return tuple(tile(html, key) for key in ("revenue", "transactions", "average_order_value", "items"))


def test_the_ecommerce_page_shows_revenue_orders_and_products_computed_by_hand(shopper):
    html = page(shopper)
    assert summary(html) == ("175.50", "3", "58.50", "7")
    assert table_rows(html, "products") == [
        ["SKU-B", "Tee", "Clothes", "3", "85.00", "2"],
        ["SKU-A", "Mug", "Kitchen", "3", "60.00", "2"],
        ["SKU-C", "Cap", "Clothes", "1", "30.50", "1"],
    ]
    assert "SKU-S" not in html and "5,000.00" not in html and "SKU-Z" not in html


def test_a_filter_and_a_narrower_range_change_the_ecommerce_numbers(shopper):
    france = page(shopper, f"{RANGE}&f=country:is:FR")
    assert summary(france) == ("150.50", "2", "75.25", "6")
    assert [row[0] for row in table_rows(france, "products")] == ["SKU-A", "SKU-B", "SKU-C"]
    december = page(shopper, "period=custom&from=2026-12-01&to=2026-12-01")
    assert summary(december)[:3] == ("75.50", "2", "37.75")


def test_the_comparison_shows_the_previous_period(shopper):
    html = page(shopper, f"{RANGE}&compare=previous")
    assert "999.00 before" in html and "\u221282%" in html  # 175.50 against 999.00


def test_the_products_csv_matches_the_table(shopper):
    response = shopper.get(f"/dashboards/shop/export/products.csv?{RANGE}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Product (SKU)", "Name", "Category", "Quantity", "Revenue", "Orders"]
    assert rows[1:] == [["SKU-B", "Tee", "Clothes", "3", "85.00", "2"], ["SKU-A", "Mug", "Kitchen", "3", "60.00", "2"],
                        ["SKU-C", "Cap", "Clothes", "1", "30.50", "1"]]


def test_the_ecommerce_api_agrees_with_the_page(client, viewer):
    load(order_events())
    token = token_create("reporting", ["api"], user=viewer)[1]
    body = client.get(f"/api/v1/sites/shop/ecommerce/?{RANGE}&compare=previous&limit=2",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["results"] == {"revenue": 175.5, "transactions": 3, "average_order_value": 58.5, "items": 7}
    assert body["comparison"]["revenue"] == 999.0 and body["comparison"]["transactions"] == 1
    assert [(p["sku"], p["quantity"], p["revenue"], p["orders"]) for p in body["products"]] == [
        ("SKU-B", 3, 85.0, 2), ("SKU-A", 3, 60.0, 2)]
    assert "offset=2" in body["next"]
    other = client.get(f"/api/v1/sites/other/ecommerce/?{RANGE}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert other.status_code == 404


def test_an_unknown_filter_on_the_ecommerce_page_is_a_400(shopper):
    assert shopper.get(f"/dashboards/shop/ecommerce/?{RANGE}&f=planet:is:mars").status_code == 400


def test_product_names_render_escaped(client, viewer):
    import datetime as dt

    from tests.dashboards.analysis_data import order

    load(order(dt.datetime(2026, 11, 30, 5), "v1", "O7", 1.0, [("<script>x</script>", "<b>n</b>", "c", 1.0, 1)]))
    client.force_login(viewer)
    html = page(client)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_crashes_wait_for_the_models_then_show_by_message_exception_and_version(client, viewer):
    from django.core.cache import cache

    from warehouse.modeling.runs import model_run

    load(crash_events())
    client.force_login(viewer)
    before = client.get(f"/dashboards/shop/apps/?{RANGE}").content.decode()
    assert table_rows(before, "crash-messages") == [["Not available from the data models yet."]]
    model_run()
    cache.clear()  # the tile saying "no models yet" would otherwise live until its TTL
    html = client.get(f"/dashboards/shop/apps/?{RANGE}").content.decode()
    assert table_rows(html, "crash-messages") == [["NPE in cart", "3", "2", "1"], ["Index out of range", "1", "1", "1"]]
    assert table_rows(html, "crash-exceptions") == [["NullPointerException", "3", "2", "1"],
                                                    ["IndexError", "1", "1", "1"]]
    assert table_rows(html, "crash-versions") == [["2.0.0", "3", "2", "1"], ["1.9.0", "1", "1", "1"]]
    assert "Secret crash" not in html and "Old crash" not in html
    response = client.get(f"/dashboards/shop/export/crash-messages.csv?{RANGE}")
    assert list(csv.reader(io.StringIO(response.content.decode())))[1] == ["NPE in cart", "3", "2", "1"]


def test_the_ecommerce_page_has_pinned_query_counts(shopper):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            assert shopper.get(f"/dashboards/shop/ecommerce/?{RANGE}").status_code == 200
        return len(captured), [q["sql"] for q in captured]

    cold, _ = count()
    warm, sql = count()
    assert cold == 6 + 2  # access queries (session, user, site, role, segments, annotations) + totals + products
    assert warm == 6, sql  # every number from the tile cache
    assert not any("atomic.events" in q for q in sql)
