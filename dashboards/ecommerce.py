"""Ecommerce reads: revenue, transactions, average order value and top products, from Snowplow's ecommerce events.

The data models (warehouse.modeling) do not stage the `tr_*`/`ti_*` columns, so these reads go to
`atomic.events` itself, bounded like a page load should be: only the site's app ids, only the period's
`collector_tstamp` range (the (app_id, collector_tstamp) index and monthly partition pruning), then the
site-local `derived_tstamp` range, and only `transaction` (e=tr) and `transaction_item` (e=ti) rows. Every answer
is a cached tile like the other pages'.

Definitions: a transaction is one `tr_orderid`; a tracker that re-sends the same order counts once (its first
event). Revenue is `tr_total`, or `tr_total_base` when currency conversion filled it; the average order value
is revenue / transactions. A product is its `ti_sku` (else its name); its revenue is price x quantity summed
over the items, its orders the distinct `ti_orderid`s. Filters apply to the ecommerce events' own columns
(their page, country, source, ...), as on the raw-events fallback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from dashboards import rawfallback
from dashboards.periods import DateRange
from dashboards.query import DashboardQuery
from dashboards.tiles import tile

# derived_tstamp may precede collector_tstamp (device clocks, offline caches); site time zones are within
# 14 hours of UTC. Rows outside this margin are left out by design.
COLLECTOR_MARGIN = dt.timedelta(days=2)


@dataclass(frozen=True)
class EcommerceTotals:
    revenue: Decimal  # money keeps its cents exactly, in pages, CSV and the API alike
    transactions: int
    items: int

    @property
    def average_order_value(self) -> Decimal | None:
        return _cents(self.revenue / self.transactions) if self.transactions else None


@dataclass(frozen=True)
class ProductRow:
    value: str
    name: str | None
    category: str | None
    quantity: int
    revenue: Decimal
    orders: int


def _cents(amount: Decimal | int) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def _where(query: DashboardQuery, period: DateRange, *kinds: str) -> tuple[str, dict]:
    where, params = rawfallback._where(query, period)
    params |= {"kinds": list(kinds), "c_lo": dt.datetime.combine(period.start, dt.time()) - COLLECTOR_MARGIN,
               "c_hi": dt.datetime.combine(period.end, dt.time()) + dt.timedelta(days=1) + COLLECTOR_MARGIN}
    return (f"event = ANY(%(kinds)s) AND collector_tstamp >= %(c_lo)s AND collector_tstamp < %(c_hi)s "
            f"AND {where}"), params


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@tile("ecommerce_totals")
def get_ecommerce_totals(query: DashboardQuery, comparison: bool = False) -> EcommerceTotals:
    """Revenue, transactions and items sold over the query's period (or its comparison period)."""
    period = query.comparison if comparison else query.period
    if period is None:
        raise ValueError("The query has no comparison period.")
    where, params = _where(query, period, "transaction", "transaction_item")
    # One scan of the period's ecommerce rows for both the orders and the items.
    revenue, transactions, items = _fetch(f"""
        WITH rows AS MATERIALIZED (
            SELECT event, tr_orderid, coalesce(tr_total_base, tr_total) AS total, ti_quantity, derived_tstamp, event_id
            FROM atomic.events WHERE {where}),
        orders AS (SELECT DISTINCT ON (tr_orderid) total FROM rows
                   WHERE event = 'transaction' AND tr_orderid IS NOT NULL
                   ORDER BY tr_orderid, derived_tstamp, event_id)
        SELECT (SELECT coalesce(sum(total), 0) FROM orders), (SELECT count(*) FROM orders),
               (SELECT coalesce(sum(ti_quantity), 0) FROM rows WHERE event = 'transaction_item')""", params)[0]
    return EcommerceTotals(_cents(revenue), transactions, int(items))


@tile("ecommerce_products")
def list_products(query: DashboardQuery, dimension: str = "product", limit: int = 10,
                  offset: int = 0) -> list[ProductRow]:
    """The best-selling products of the period by revenue, then quantity."""
    where, params = _where(query, query.period, "transaction_item")
    params |= {"limit": limit, "offset": offset}
    rows = _fetch(f"""
        SELECT coalesce(ti_sku, ti_name) AS product, max(ti_name), max(ti_category), coalesce(sum(ti_quantity), 0),
               coalesce(sum(coalesce(ti_price_base, ti_price) * coalesce(ti_quantity, 1)), 0),
               count(DISTINCT ti_orderid)
        FROM atomic.events WHERE {where} AND coalesce(ti_sku, ti_name) IS NOT NULL
        GROUP BY 1 ORDER BY 5 DESC, 4 DESC, 1 LIMIT %(limit)s OFFSET %(offset)s""", params)
    return [ProductRow(sku, name, category, int(quantity), _cents(revenue), orders)
            for sku, name, category, quantity, revenue, orders in rows]
