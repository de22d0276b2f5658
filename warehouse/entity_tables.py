"""Per-schema tables (DESIGN contract 7): found in the registry, or created and migrated from the Iglu schema.

DDL runs in the caller's load transaction under an advisory lock per table, so two workers meeting a new
schema at once never race: the second waits, then finds the version registered. Tables and registry rows
commit or roll back with the batch that needed them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from iglu.api import IgluError, RegistryUnavailable, SchemaKey, SchemaVer, parse_schema_key, resolve_schema
from warehouse.atomic import SCHEMA
from warehouse.columns import Column, fit_identifier, schema_columns, snake_case
from warehouse.evolution import migrated_columns, plan_migration
from warehouse.locks import advisory_xact_lock
from warehouse.models import ShreddedTable, ShreddedVersion

logger = logging.getLogger(__name__)

# The PostgreSQL loader's boilerplate columns, in front of the schema's own.
META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("schema_vendor", "varchar(128)"),
    ("schema_name", "varchar(128)"),
    ("schema_format", "varchar(128)"),
    ("schema_version", "varchar(128)"),
    ("root_id", "uuid"),
    ("root_tstamp", "timestamp"),
)

# Processes share nothing but the registry; this cache only holds committed states (filled on commit).
_cache: dict[str, TableState] = {}


@dataclass(frozen=True)
class TableState:
    """Where entities of one schema version go: the table and the columns it had when looked up."""

    table: str
    columns: tuple[Column, ...]

    @property
    def qualified_name(self) -> str:
        return f"{quote(SCHEMA)}.{quote(self.table)}"


class SchemaUnusable(Exception):
    """The schema cannot be turned into a table (not found, not an object schema)."""


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def table_name(vendor: str, name: str, model: int) -> str:
    """`com.acme.website`, `anonymous-customer`, 1 -> `com_acme_website_anonymous_customer_1` (spec 1.4)."""
    return fit_identifier(f"{snake_case(vendor)}_{snake_case(name)}_{model}")


def tables_prepare(uris: Iterable[str]) -> dict[str, TableState]:
    """Return the table of each entity schema URI, creating or migrating tables where needed.

    A URI whose schema is unusable (not found, not an object schema) is logged and left out; an unreachable
    registry raises RegistryUnavailable, so the batch is retried later (DESIGN 9)."""
    states: dict[str, TableState] = {}
    missing = sorted({uri for uri in uris if uri not in _cache})
    states.update({uri: _cache[uri] for uri in uris if uri in _cache})
    if not missing:
        return states
    found = _registered(missing)
    unknown = [uri for uri in missing if uri not in found]
    for uri in sorted(unknown, key=_table_of_uri):
        try:
            found[uri] = version_apply(uri)
        except SchemaUnusable as error:
            logger.error("entities of %s are not shredded: %s", uri, error)
    states.update(found)
    transaction.on_commit(lambda: _cache.update(found))
    return states


def _table_of_uri(uri: str) -> str:
    try:
        key = parse_schema_key(uri)
    except IgluError:
        return ""
    return table_name(key.vendor, key.name, key.schemaver.model)


def _registered(uris: list[str]) -> dict[str, TableState]:
    versions = ShreddedVersion.objects.filter(uri__in=uris).select_related("table")
    return {version.uri: _state(version.table) for version in versions}


def _state(table: ShreddedTable) -> TableState:
    return TableState(table.name, tuple(Column.from_json(column) for column in table.columns))


def cache_clear() -> None:
    """Forget cached table states (tests; after tables were dropped by hand)."""
    _cache.clear()


def version_apply(uri: str) -> TableState:
    """Register one schema version: create its table, or migrate the table to take it, or create a recovery
    table when the change is incompatible. Idempotent; serialised per table by an advisory lock."""
    try:
        key = parse_schema_key(uri)
        model = key.schemaver.model
        name = table_name(key.vendor, key.name, model)
        with transaction.atomic():
            advisory_xact_lock(f"warehouse.shredded:{name}")
            existing = ShreddedVersion.objects.filter(uri=uri).select_related("table").first()
            if existing is not None:
                return _state(existing.table)
            columns = schema_columns(_object_schema(resolve_schema(uri), uri))
            table = ShreddedTable.objects.filter(name=name).first()
            if table is None and _catalog_columns(name) is not None:
                table = _table_adopt(name, key, columns)
            if table is None:
                table = _table_create(name, key, columns, is_recovery=False)
            else:
                table = _table_migrate(table, key, columns)
            ShreddedVersion.objects.create(uri=uri, table=table, columns=[c.as_json() for c in columns])
            return _state(table)
    except RegistryUnavailable:
        raise
    except IgluError as error:
        raise SchemaUnusable(str(error)) from error


def _object_schema(schema: dict, uri: str) -> dict:
    if not isinstance(schema, dict) or not isinstance(schema.get("properties", {}), dict):
        raise SchemaUnusable(f"{uri} is not an object schema")
    return schema


def _table_create(name: str, key: SchemaKey, columns: list[Column], is_recovery: bool) -> ShreddedTable:
    qualified = f"{quote(SCHEMA)}.{quote(name)}"
    definitions = [f"{quote(column)} {pg_type} NOT NULL" for column, pg_type in META_COLUMNS]
    definitions += [_column_definition(column) for column in columns]
    body = ",\n    ".join(definitions)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {qualified} (\n    {body}\n)")
        # Models join entities to events over a time range (root_tstamp = collector_tstamp), which a BRIN index
        # serves at almost no load cost; Snowplow's loader creates no index at all. A btree on root_id would
        # cost every load a random insert per entity for point lookups only deletion requests make.
        cursor.execute(
            f"CREATE INDEX {quote(fit_identifier(name + '_root_tstamp'))} ON {qualified} USING brin (root_tstamp)"
        )
        _comment(cursor, qualified, key.uri)
    logger.info("created %s for %s", qualified, key.uri)
    return ShreddedTable.objects.create(
        name=name,
        vendor=key.vendor,
        schema_name=key.name,
        format=key.format,
        model=key.schemaver.model,
        latest_uri=key.uri,
        columns=[column.as_json() for column in columns],
        is_recovery=is_recovery,
    )


def _column_definition(column: Column) -> str:
    return f"{quote(column.name)} {column.pg_type}{'' if column.nullable else ' NOT NULL'}"


def _comment(cursor, qualified: str, uri: str) -> None:
    literal = uri.replace("'", "''")
    cursor.execute(f"COMMENT ON TABLE {qualified} IS '{literal}'")


def _table_migrate(table: ShreddedTable, key: SchemaKey, columns: list[Column]) -> ShreddedTable:
    current = [Column.from_json(column) for column in table.columns]
    migration = plan_migration(current, columns)
    if migration.incompatible:
        logger.warning("%s is incompatible with %s (%s)", key.uri, table.name, "; ".join(migration.incompatible))
        return _recovery_table(table, key, columns)
    qualified = f"{quote(SCHEMA)}.{quote(table.name)}"
    actions = [f"ADD COLUMN {_column_definition(column)}" for column in migration.add]
    actions += [f"ALTER COLUMN {quote(name)} TYPE {pg_type}" for name, pg_type in migration.widen.items()]
    actions += [f"ALTER COLUMN {quote(name)} DROP NOT NULL" for name in migration.drop_not_null]
    newer = key.schemaver > _schemaver(table.latest_uri)
    with connection.cursor() as cursor:
        if actions:
            cursor.execute(f"ALTER TABLE {qualified} " + ", ".join(actions))
        if newer:
            _comment(cursor, qualified, key.uri)
    table.columns = [column.as_json() for column in migrated_columns(current, migration)]
    if newer:
        table.latest_uri = key.uri
    table.save()
    if actions:
        logger.info("migrated %s for %s: %s", qualified, key.uri, ", ".join(actions))
    return table


def _schemaver(uri: str) -> SchemaVer:
    return parse_schema_key(uri).schemaver


def _recovery_table(table: ShreddedTable, key: SchemaKey, columns: list[Column]) -> ShreddedTable:
    """Create (or reuse) `<name>_<M>_<R>_<A>_recovered_<hash>` holding this version's columns alone."""
    digest = hashlib.sha1(repr([c.as_json() for c in columns]).encode()).hexdigest()[:8]
    version = str(key.schemaver).replace("-", "_")
    base = f"{snake_case(key.vendor)}_{snake_case(key.name)}_{version}_recovered_{digest}"
    name = fit_identifier(base)
    existing = ShreddedTable.objects.filter(name=name).first()
    return existing or _table_create(name, key, columns, is_recovery=True)


def _catalog_columns(name: str) -> dict[str, tuple[str, bool]] | None:
    """Return {column: (type, nullable)} of an existing table in schema atomic, or None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped
            """,
            [SCHEMA, name],
        )
        rows = cursor.fetchall()
    return {column: (_short_type(pg_type), nullable) for column, pg_type, nullable in rows} if rows else None


def _short_type(pg_type: str) -> str:
    """Spell a format_type() name the way warehouse.columns does (`character varying(9)` -> `varchar(9)`)."""
    for long, short in (
        ("character varying", "varchar"),
        ("character", "char"),
        ("timestamp without time zone", "timestamp"),
    ):
        if pg_type.startswith(long):
            return short + pg_type[len(long) :]
    return pg_type


def _table_adopt(name: str, key: SchemaKey, columns: list[Column]) -> ShreddedTable:
    """Register a table that exists without a registry row (built by Snowplow's own loader, or kept when the
    registry was reset), with the columns it really has; the caller then migrates it like any other."""
    catalog = _catalog_columns(name) or {}
    known = [
        Column(column.name, catalog[column.name][0], catalog[column.name][1], column.path)
        for column in columns
        if column.name in catalog
    ]
    meta = {column for column, _ in META_COLUMNS}
    strays = [column for column, (_, nullable) in catalog.items() if column not in meta and not nullable]
    strays = [column for column in strays if column not in {c.name for c in known}]
    if strays:
        # Columns the registry cannot fill must accept nulls, or every COPY would fail.
        actions = ", ".join(f"ALTER COLUMN {quote(column)} DROP NOT NULL" for column in strays)
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quote(SCHEMA)}.{quote(name)} {actions}")
    logger.warning("adopted existing table %s.%s for %s", SCHEMA, name, key.uri)
    return ShreddedTable.objects.create(
        name=name,
        vendor=key.vendor,
        schema_name=key.name,
        format=key.format,
        model=key.schemaver.model,
        latest_uri=key.uri,
        columns=[column.as_json() for column in known],
    )
