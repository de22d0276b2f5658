"""atomic.events has DESIGN contract 6's columns, types, partitioning and indexes."""

from __future__ import annotations

import hashlib

import pytest

from enrichment.events import FIELDS
from tests.warehouse.conftest import fetch
from warehouse.atomic import COLUMNS

pytestmark = pytest.mark.django_db

# The migration builds atomic.events from enrichment.events.FIELDS. If this digest changes, the field list
# changed: write a migration that alters atomic.events accordingly, then update the digest.
FIELDS_DIGEST = "4ca708b73ef221508c01b7156527d29bd3eeb63b14f168e7f000d7b7f58de803"


def _columns() -> list[tuple]:
    return fetch(
        """
        SELECT column_name, data_type, character_maximum_length, is_nullable
        FROM information_schema.columns WHERE table_schema = 'atomic' AND table_name = 'events'
        ORDER BY ordinal_position
        """
    )


def test_events_has_the_131_canonical_columns_in_tsv_order_then_load_tstamp():
    names = [row[0] for row in _columns()]
    assert len(names) == 132
    assert names == list(COLUMNS)
    assert names[:3] == ["app_id", "platform", "etl_tstamp"]
    assert names[-2:] == ["true_tstamp", "load_tstamp"]


def test_column_types_follow_the_newer_postgres_loader():
    columns = {row[0]: row[1:] for row in _columns()}
    assert columns["event_id"] == ("uuid", None, "NO")
    assert columns["collector_tstamp"] == ("timestamp without time zone", None, "NO")
    assert columns["v_collector"] == ("character varying", 100, "NO")
    assert columns["v_etl"] == ("character varying", 100, "NO")
    assert columns["domain_sessionidx"] == ("integer", None, "YES")
    assert columns["tr_total"] == ("double precision", None, "YES")
    assert columns["ti_price_base"] == ("double precision", None, "YES")
    assert columns["geo_country"] == ("character varying", 2, "YES")
    assert columns["page_url"] == ("text", None, "YES")
    assert columns["mkt_clickid"] == ("character varying", 1000, "YES")  # enrich's default limit, not 128
    assert columns["domain_userid"] == ("character varying", 128, "YES")
    assert columns["se_label"] == ("character varying", 4096, "YES")
    assert columns["contexts"] == ("jsonb", None, "YES")
    assert columns["unstruct_event"] == ("jsonb", None, "YES")
    assert columns["derived_contexts"] == ("jsonb", None, "YES")
    assert columns["br_cookies"] == ("boolean", None, "YES")
    assert columns["load_tstamp"] == ("timestamp without time zone", None, "YES")
    not_null = sorted(name for name, (_, _, nullable) in columns.items() if nullable == "NO")
    assert not_null == ["collector_tstamp", "event_id", "v_collector", "v_etl"]


def test_every_varchar_is_at_least_enrichs_length_limit():
    columns = {row[0]: row[2] for row in _columns()}
    for field in FIELDS:
        if field.max_length and columns[field.name] is not None:
            assert columns[field.name] >= field.max_length, field.name


def test_events_is_range_partitioned_by_month_on_collector_tstamp_with_a_default_partition():
    [(strategy, key)] = fetch(
        "SELECT partstrat, pg_get_partkeydef('atomic.events'::regclass) FROM pg_partitioned_table "
        "WHERE partrelid = 'atomic.events'::regclass"
    )
    assert (strategy, key) == ("r", "RANGE (collector_tstamp)")
    bounds = dict(
        fetch(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'atomic.events'::regclass"
        )
    )
    assert bounds.pop("events_default") == "DEFAULT"
    assert len(bounds) == 7  # three months back, this month, three ahead
    for name, bound in bounds.items():
        year, month = name.removeprefix("events_").split("_")
        assert bound.startswith(f"FOR VALUES FROM ('{year}-{month}-01 00:00:00')"), bound


def test_indexes_serve_time_ranges_sites_sessions_and_visitors():
    definitions = [row[0] for row in fetch("SELECT indexdef FROM pg_indexes WHERE tablename = 'events'")]
    expected = [
        "USING brin (collector_tstamp)",
        "USING btree (app_id, collector_tstamp)",
        "USING btree (domain_sessionid)",
        "USING btree (domain_userid)",
        "USING brin (derived_tstamp)",
        "USING brin (load_tstamp)",
    ]
    for fragment in expected:
        assert any(fragment in definition for definition in definitions), fragment
    partition_indexes = fetch("SELECT count(*) FROM pg_indexes WHERE tablename = 'events_default'")
    assert partition_indexes == [(len(expected),)]


def test_the_canonical_field_list_is_the_one_the_migration_was_written_for():
    digest = hashlib.sha256(repr([(f.name, f.pg_type, f.required) for f in FIELDS]).encode()).hexdigest()
    assert digest == FIELDS_DIGEST
