"""The atomic.events table (DESIGN contract 6): its DDL and COPY column order, both from the canonical event."""

from __future__ import annotations

from enrichment.events import FIELDS

SCHEMA = "atomic"
EVENTS_TABLE = "atomic.events"
DEFAULT_PARTITION = "atomic.events_default"

# The loader sets load_tstamp itself, as Snowplow's RDB Loader does; dbt models use it for incrementality.
LOAD_TSTAMP = "load_tstamp"
COLUMNS: tuple[str, ...] = (*(field.name for field in FIELDS), LOAD_TSTAMP)

# name, method, columns. Partitioned indexes: PostgreSQL creates them on every partition, present and future.
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("events_collector_tstamp_brin", "brin", "collector_tstamp"),
    ("events_app_id_collector_tstamp", "btree", "app_id, collector_tstamp"),
    ("events_domain_sessionid", "btree", "domain_sessionid"),
    ("events_domain_userid", "btree", "domain_userid"),
    # Derived models bucket by event time and read new rows by load time; both grow with collector_tstamp,
    # so a BRIN index serves their range scans at almost no load cost.
    ("events_derived_tstamp_brin", "brin", "derived_tstamp"),
    ("events_load_tstamp_brin", "brin", "load_tstamp"),
)


def column_definitions() -> list[str]:
    """Return one `name type [NOT NULL]` line per column, in enriched-TSV order then load_tstamp."""
    lines = [f"{field.name} {field.pg_type}{' NOT NULL' if field.required else ''}" for field in FIELDS]
    lines.append(f"{LOAD_TSTAMP} timestamp")
    return lines


def create_events_sql() -> list[str]:
    """Return the statements creating schema atomic, the partitioned events table, its default partition and
    indexes. Monthly partitions are created separately (warehouse.partitions)."""
    columns = ",\n    ".join(column_definitions())
    statements = [
        f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        f"CREATE TABLE {EVENTS_TABLE} (\n    {columns}\n) PARTITION BY RANGE (collector_tstamp)",
        f"COMMENT ON TABLE {EVENTS_TABLE} IS 'Snowplow enriched events, one row per event (131 canonical columns)'",
        f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {EVENTS_TABLE} DEFAULT",
    ]
    statements += [f"CREATE INDEX {name} ON {EVENTS_TABLE} USING {method} ({cols})" for name, method, cols in INDEXES]
    return statements


def drop_events_sql() -> list[str]:
    """Return the statements undoing create_events_sql (the whole atomic schema goes)."""
    return [f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"]
