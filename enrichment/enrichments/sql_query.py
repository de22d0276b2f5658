"""SQL query: look values up in a relational database and attach the rows as contexts (spec 3).

Only parameterised queries: the configured SQL keeps enrich's `?` placeholders, which are turned into the
driver's bound parameters (never formatted into the text), numbered by the inputs' `placeholder`. A null input
skips the query (#291). Rows are checked against `expectedRows`, named per `propertyNames`, and become one
context (`ALL_ROWS`: the list) or one per row (`EVERY_ROW`). Results are cached (size, ttl). One connection per
worker, opened on first use and re-opened after an error; statements time out after QUERY_TIMEOUT_SECONDS.
PostgreSQL uses psycopg; MySQL needs the `pymysql` package installed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from enrichment.enrichments.base import ConfigInvalid, Enrichment, EnrichmentFailure, sdj
from enrichment.enrichments.inputs import Input, parse_inputs, read_input
from enrichment.enrichments.ttlcache import MISSING, TtlCache

logger = logging.getLogger(__name__)

QUERY_TIMEOUT_SECONDS = 5
CONNECT_TIMEOUT_SECONDS = 5
# A `?` outside quoted strings and identifiers; every `%` is doubled for the drivers' format paramstyle.
_SQL_TOKENS = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|\?|%)""")
ROW_CHECKS = {
    "EXACTLY_ONE": lambda count: count == 1,
    "AT_MOST_ONE": lambda count: count <= 1,
    "AT_LEAST_ONE": lambda count: count >= 1,
    "AT_LEAST_ZERO": lambda count: True,
}


@dataclass(frozen=True)
class Database:
    engine: str  # postgresql | mysql
    host: str
    port: int
    database: str
    username: str
    password: str
    ssl: bool


@dataclass(frozen=True)
class SqlQueryConfig:
    inputs: tuple[Input, ...]
    database: Database
    sql: str  # with %s placeholders
    placeholders: int
    expected_rows: str
    schema: str
    describes: str
    property_names: str
    cache_size: int
    cache_ttl: int
    ignore_on_error: bool


def to_driver_sql(sql: str) -> tuple[str, int]:
    """Replace `?` placeholders by `%s` (and `%` by `%%`) outside quotes; return the SQL and the count."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        token = match.group(0)
        if token == "?":
            count += 1
            return "%s"
        return token.replace("%", "%%")  # the drivers read every %, quoted or not

    return _SQL_TOKENS.sub(replace, sql), count


def rename(name: str, style: str) -> str:
    """Column name in the configured `propertyNames` style."""
    words = [word for word in re.split(r"[_\s]+|(?<=[a-z0-9])(?=[A-Z])", name) if word]
    if style == "CAMEL_CASE":
        return words[0].lower() + "".join(word.capitalize() for word in words[1:]) if words else name
    if style == "PASCAL_CASE":
        return "".join(word.capitalize() for word in words)
    if style == "SNAKE_CASE":
        return "_".join(word.lower() for word in words)
    return {"LOWER_CASE": name.lower(), "UPPER_CASE": name.upper()}.get(style, name)


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def parse_database(spec: dict[str, Any], errors: list[str]) -> Database | None:
    engine = next((name for name in ("postgresql", "mysql") if name in spec), None)
    if engine is None:
        errors.append("parameters.database: needs postgresql or mysql")
        return None
    if engine == "mysql":
        try:
            import pymysql  # noqa: F401
        except ImportError:
            errors.append("parameters.database.mysql: install the pymysql package to query MySQL")
    values = spec[engine]
    return Database(engine, values["host"], int(values["port"]), values["database"], values["username"],
                    values.get("password") or "", bool(values.get("sslMode")))


class SqlQueryEnrichment(Enrichment):
    name = "sql_query_enrichment_config"
    identifier = "sql-query"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/sql_query_enrichment_config/jsonschema/1-*-*"
    can_fail = True

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> SqlQueryConfig:
        parameters = data.get("parameters") or {}
        inputs, errors = parse_inputs(parameters.get("inputs") or [], "placeholder", "parameters.inputs")
        database = parse_database(parameters.get("database") or {}, errors)
        sql, count = to_driver_sql((parameters.get("query") or {}).get("sql", ""))
        numbers = sorted(int(spec.name) for spec in inputs)
        if numbers != list(range(1, count + 1)):
            errors.append(f"parameters.inputs: placeholders {numbers} do not number the query's {count} `?` from 1")
        if errors or database is None:
            raise ConfigInvalid(errors)
        output = parameters.get("output") or {}
        described = output.get("json") or {}
        cache = parameters.get("cache") or {}
        return SqlQueryConfig(
            tuple(sorted(inputs, key=lambda spec: int(spec.name))), database, sql, count,
            output.get("expectedRows", "AT_LEAST_ZERO"), described["schema"], described.get("describes", "ALL_ROWS"),
            described.get("propertyNames", "AS_IS"), int(cache.get("size", 1000)), int(cache.get("ttl", 60)),
            bool(parameters.get("ignoreOnError", False)))

    def __init__(self, config: SqlQueryConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.cache = TtlCache(config.cache_size, config.cache_ttl)
        self.connection: Any = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def enrich(self, ctx: Any) -> None:
        values = []
        for spec in self.config.inputs:
            value = read_input(ctx, spec)
            if value is None:
                return
            values.append(value)
        key = tuple(map(repr, values))
        rows = self.cache.get(key)
        if rows is MISSING:
            rows = self._query(values)
            self.cache.put(key, rows, self.config.cache_ttl / 10 if isinstance(rows, EnrichmentFailure) else None)
        if isinstance(rows, EnrichmentFailure):
            if not self.config.ignore_on_error:
                raise rows
            return
        if self.config.describes == "EVERY_ROW":
            ctx.derived_contexts.extend(sdj(self.config.schema, dict(row)) for row in rows)
        elif rows:
            ctx.derived_contexts.append(sdj(self.config.schema, [dict(row) for row in rows]))

    def _query(self, values: list[Any]) -> list[dict[str, Any]] | EnrichmentFailure:
        try:
            cursor = self._connect().cursor()
            try:
                cursor.execute(self.config.sql, values)
                names = [rename(column[0], self.config.property_names) for column in cursor.description or []]
                rows = [dict(zip(names, map(json_value, row), strict=True)) for row in cursor.fetchall()]
            finally:
                cursor.close()
        except Exception as error:  # any driver error: report it, and reconnect next time
            logger.warning("SQL query enrichment failed: %s", error)
            self.close()
            return EnrichmentFailure.simple(f"SQL query failed: {error}")
        if not ROW_CHECKS[self.config.expected_rows](len(rows)):
            expected = self.config.expected_rows
            return EnrichmentFailure.simple(f"SQL query returned {len(rows)} rows; expected {expected}")
        return rows

    def _connect(self) -> Any:
        if self.connection is not None:
            return self.connection
        db = self.config.database
        if db.engine == "postgresql":
            import psycopg

            self.connection = psycopg.connect(
                host=db.host, port=db.port, dbname=db.database, user=db.username, password=db.password or None,
                sslmode="require" if db.ssl else "prefer", connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True,
                options=f"-c statement_timeout={QUERY_TIMEOUT_SECONDS * 1000} -c default_transaction_read_only=on")
        else:
            import pymysql

            self.connection = pymysql.connect(
                host=db.host, port=db.port, database=db.database, user=db.username, password=db.password,
                connect_timeout=CONNECT_TIMEOUT_SECONDS, read_timeout=QUERY_TIMEOUT_SECONDS, autocommit=True,
                ssl={} if db.ssl else None)
        return self.connection
