"""Contexts and self-describing events land in per-schema tables created and migrated from their schemas."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from tests.warehouse.conftest import acme_schema, fetch
from tests.warehouse.factories import CONTEXTS, UNSTRUCT, loadable, page_view
from warehouse.api import batch_load
from warehouse.models import ShreddedTable, ShreddedVersion
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db

PRODUCT_100 = "iglu:com.acme/product/jsonschema/1-0-0"
PRODUCT_101 = "iglu:com.acme/product/jsonschema/1-0-1"
PRODUCT_110 = "iglu:com.acme/product/jsonschema/1-1-0"
PRODUCT_111 = "iglu:com.acme/product/jsonschema/1-1-1"
BASKET = "iglu:com.acme/AddToBasket/jsonschema/1-0-0"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"

PRODUCT_PROPERTIES = {
    "sku": {"type": "string", "maxLength": 64},
    "price": {"type": ["number", "null"]},
    "dims": {"type": "object", "properties": {"widthCm": {"type": "integer", "minimum": 0, "maximum": 1000}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "addedAt": {"type": "string", "format": "date-time"},
}


@pytest.fixture(autouse=True)
def _setup(schemas):
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))
    schemas[PRODUCT_100] = acme_schema("product", "1-0-0", PRODUCT_PROPERTIES, ["sku"])
    schemas[PRODUCT_101] = acme_schema(
        "product", "1-0-1", {**PRODUCT_PROPERTIES, "colour": {"type": "string", "maxLength": 20}}, ["sku"]
    )
    schemas[PRODUCT_110] = acme_schema(
        "product", "1-1-0", {**PRODUCT_PROPERTIES, "sku": {"type": "string", "maxLength": 128}}, []
    )
    schemas[PRODUCT_111] = acme_schema("product", "1-1-1", {**PRODUCT_PROPERTIES, "price": {"type": "string"}})
    schemas[BASKET] = acme_schema("AddToBasket", "1-0-0", {"quantity": {"type": "integer"}}, ["quantity"])


def _event(*contexts: tuple[str, dict], unstruct: tuple[str, dict] | None = None) -> dict:
    event = page_view(contexts={"schema": CONTEXTS, "data": [{"schema": s, "data": d} for s, d in contexts]})
    if unstruct:
        event["unstruct_event"] = {"schema": UNSTRUCT, "data": {"schema": unstruct[0], "data": unstruct[1]}}
    return event


def _columns(table: str) -> list[tuple]:
    return fetch(
        "SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'atomic' AND table_name = %s ORDER BY ordinal_position",
        [table],
    )


def _comment(table: str) -> str:
    return fetch("SELECT obj_description(%s::regclass, 'pg_class')", [f'atomic."{table}"'])[0][0]


def test_a_new_schema_creates_its_table_with_the_loaders_layout():
    product = {"sku": "X-1", "price": 12.5, "dims": {"widthCm": 30}, "tags": ["a"], "addedAt": "2026-12-01T08:00:00Z"}
    batch_load([loadable(_event((PRODUCT_100, product)))], [])
    assert _columns("com_acme_product_1") == [
        ("schema_vendor", "character varying", 128, "NO"),
        ("schema_name", "character varying", 128, "NO"),
        ("schema_format", "character varying", 128, "NO"),
        ("schema_version", "character varying", 128, "NO"),
        ("root_id", "uuid", None, "NO"),
        ("root_tstamp", "timestamp without time zone", None, "NO"),
        ("added_at", "timestamp without time zone", None, "YES"),
        ("dims.width_cm", "integer", None, "YES"),
        ("price", "double precision", None, "YES"),
        ("sku", "character varying", 64, "NO"),
        ("tags", "jsonb", None, "YES"),
    ]
    assert _comment("com_acme_product_1") == PRODUCT_100
    table = ShreddedTable.objects.get(name="com_acme_product_1")
    assert (table.vendor, table.schema_name, table.model, table.latest_uri) == ("com.acme", "product", 1, PRODUCT_100)
    assert list(ShreddedVersion.objects.values_list("uri", "table_id")) == [(PRODUCT_100, "com_acme_product_1")]


def test_every_entity_of_a_batch_lands_in_its_table_with_the_right_values():
    product = {
        "sku": "X-1",
        "price": 12.5,
        "dims": {"widthCm": 30},
        "tags": ["a", "b"],
        "addedAt": "2026-12-01T09:30:00+01:00",
    }
    event = _event(
        (WEB_PAGE, {"id": "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c"}),
        (PRODUCT_100, product),
        (PRODUCT_100, {"sku": "Y-2"}),
        unstruct=(BASKET, {"quantity": 3}),
    )
    result = batch_load([loadable(event)], ["p1"])
    assert (result.events_loaded, result.entities_loaded) == (1, 4)
    root = (uuid.UUID(event["event_id"]), dt.datetime(2026, 12, 3, 10, 0, 0, 123000))
    rows = fetch(
        "SELECT schema_vendor, schema_name, schema_format, schema_version, root_id, root_tstamp, sku, price, "
        '"dims.width_cm", tags::text, added_at FROM atomic.com_acme_product_1 ORDER BY sku'
    )
    assert rows == [
        (
            "com.acme",
            "product",
            "jsonschema",
            "1-0-0",
            *root,
            "X-1",
            12.5,
            30,
            '["a", "b"]',
            dt.datetime(2026, 12, 1, 8, 30),
        ),
        ("com.acme", "product", "jsonschema", "1-0-0", *root, "Y-2", None, None, None, None),
    ]
    assert fetch("SELECT root_id, root_tstamp, id FROM atomic.com_snowplowanalytics_snowplow_web_page_1") == [
        (*root, "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c")
    ]
    assert fetch("SELECT schema_name, root_id, quantity FROM atomic.com_acme_add_to_basket_1") == [
        ("AddToBasket", root[0], 3)
    ]


def test_rows_join_back_to_their_event_on_root_id_and_root_tstamp():
    events = [_event((PRODUCT_100, {"sku": f"S-{i}"})) for i in range(3)]
    batch_load([loadable(event) for event in events], [])
    joined = fetch(
        "SELECT count(*) FROM atomic.events e JOIN atomic.com_acme_product_1 p "
        "ON p.root_id = e.event_id AND p.root_tstamp = e.collector_tstamp"
    )
    assert joined == [(3,)]


def test_versions_of_one_family_add_and_widen_columns_of_one_table():
    batch_load([loadable(_event((PRODUCT_100, {"sku": "A"})))], [])
    batch_load([loadable(_event((PRODUCT_101, {"sku": "B", "colour": "red"})))], [])
    columns = {name: (length, nullable) for name, _, length, nullable in _columns("com_acme_product_1")}
    assert columns["colour"] == (20, "YES")
    assert columns["sku"] == (64, "NO")
    assert _comment("com_acme_product_1") == PRODUCT_101
    batch_load([loadable(_event((PRODUCT_110, {"sku": "C" * 100})))], [])
    columns = {name: (length, nullable) for name, _, length, nullable in _columns("com_acme_product_1")}
    assert columns["sku"] == (128, "YES")
    assert _comment("com_acme_product_1") == PRODUCT_110
    # An older version arriving late changes nothing and keeps the newest URI in the comment.
    batch_load([loadable(_event((PRODUCT_100, {"sku": "D"})))], [])
    assert _comment("com_acme_product_1") == PRODUCT_110
    assert fetch("SELECT schema_version, sku, colour FROM atomic.com_acme_product_1 ORDER BY sku") == [
        ("1-0-0", "A", None),
        ("1-0-1", "B", "red"),
        ("1-1-0", "C" * 100, None),
        ("1-0-0", "D", None),
    ]
    assert ShreddedTable.objects.filter(is_recovery=False, vendor="com.acme").count() == 1


def test_an_incompatible_version_goes_to_a_recovery_table():
    batch_load([loadable(_event((PRODUCT_100, {"sku": "A", "price": 1.5})))], [])
    batch_load([loadable(_event((PRODUCT_111, {"sku": "B", "price": "cheap"})))], [])
    recovery = ShreddedTable.objects.get(is_recovery=True)
    assert recovery.name.startswith("com_acme_product_1_1_1_recovered_")
    assert ShreddedVersion.objects.get(uri=PRODUCT_111).table == recovery
    assert fetch(f'SELECT sku, price FROM atomic."{recovery.name}"') == [("B", "cheap")]
    assert fetch("SELECT sku, price FROM atomic.com_acme_product_1") == [("A", 1.5)]
    assert _comment(recovery.name) == PRODUCT_111
    assert _comment("com_acme_product_1") == PRODUCT_100


def test_an_unknown_schema_is_logged_and_its_entity_skipped_while_the_event_loads(caplog):
    event = _event(("iglu:com.acme/unknown/jsonschema/1-0-0", {"a": 1}), (PRODUCT_100, {"sku": "A"}))
    result = batch_load([loadable(event)], [])
    assert (result.events_loaded, result.entities_loaded) == (1, 1)
    assert "com.acme/unknown" in caplog.text


def test_values_a_column_cannot_take_are_nulled_and_hostile_text_cleaned():
    bad = {"sku": "A\x00B", "price": "12", "dims": {"widthCm": 10**12}, "addedAt": "yesterday"}
    good = {"sku": "ok", "price": 2.0}
    batch_load([loadable(_event((PRODUCT_100, bad), (PRODUCT_100, good)))], [])
    assert fetch('SELECT sku, price, "dims.width_cm", added_at FROM atomic.com_acme_product_1 ORDER BY sku') == [
        ("AB", None, None, None),
        ("ok", 2.0, None, None),
    ]


def test_a_synthetic_duplicates_entities_hang_off_its_new_id_with_its_duplicate_context():
    original = _event((PRODUCT_100, {"sku": "A"}))
    batch_load([loadable(original, "fp-1")], [])
    batch_load([loadable(dict(original), "fp-2")], [])
    new_id = uuid.uuid5(uuid.UUID(original["event_id"]), "fp-2")
    assert fetch("SELECT root_id FROM atomic.com_acme_product_1 ORDER BY root_id = %s", [new_id])[1] == (new_id,)
    assert fetch('SELECT root_id, "original_event_id" FROM atomic.com_snowplowanalytics_snowplow_duplicate_1') == [
        (new_id, uuid.UUID(original["event_id"]))
    ]


def test_the_contexts_column_of_atomic_events_keeps_the_whole_envelope():
    event = _event((PRODUCT_100, {"sku": "A"}))
    batch_load([loadable(event)], [])
    [(contexts,)] = fetch("SELECT contexts FROM atomic.events")
    assert json.loads(contexts) == event["contexts"]
