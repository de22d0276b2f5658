"""How a per-schema table must change to take another version of its schema (spec 1.5).

New columns are added, varchar columns widened, integer widened to bigint. A column whose type would have to
change otherwise is an incompatible change: that version's entities go to a recovery table instead.

Where a required column becomes optional, Snowplow's RDB loader also writes to a recovery table; here the
NOT NULL constraint is simply dropped, since in PostgreSQL that breaks no reader and loses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from warehouse.columns import Column

_TYPE = re.compile(r"^([a-z ]+?)(?:\((\d+)\))?$")
STRING_TYPES = {"varchar", "char"}


@dataclass
class Migration:
    """The DDL one schema version needs: columns to add, widen (name -> new type) or make nullable."""

    add: list[Column] = field(default_factory=list)
    widen: dict[str, str] = field(default_factory=dict)
    drop_not_null: list[str] = field(default_factory=list)
    incompatible: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.add or self.widen or self.drop_not_null or self.incompatible)


def parse_type(pg_type: str) -> tuple[str, int | None]:
    """`varchar(12)` -> ("varchar", 12); `bigint` -> ("bigint", None)."""
    match = _TYPE.match(pg_type)
    if not match:
        return pg_type, None
    return match[1], int(match[2]) if match[2] else None


def type_change(current: str, wanted: str) -> str | None:
    """Return the type a column of type `current` must get to hold values of type `wanted`: `current` itself
    when it already does, a wider type when widening does, None when the change is incompatible."""
    if current == wanted:
        return current
    (base, length), (wanted_base, wanted_length) = parse_type(current), parse_type(wanted)
    if base in STRING_TYPES and wanted_base in STRING_TYPES:
        if base == "varchar" and length >= wanted_length:
            return current
        return f"varchar({max(length, wanted_length)})"
    if (base, wanted_base) == ("varchar", "uuid") and length >= 36:
        return current
    if (base, wanted_base) in {("bigint", "integer"), ("double precision", "integer"), ("double precision", "bigint")}:
        return current
    if (base, wanted_base) == ("integer", "bigint"):
        return "bigint"
    return None


def plan_migration(current: list[Column], wanted: list[Column]) -> Migration:
    """Compare a table's columns with one schema version's and return what must change."""
    migration = Migration()
    by_name = {column.name: column for column in current}
    for column in wanted:
        existing = by_name.get(column.name)
        if existing is None:
            # Rows loaded before have no value for it, so an added column is always nullable.
            migration.add.append(Column(column.name, column.pg_type, True, column.path))
            continue
        if existing.path != column.path:
            migration.incompatible.append(f"{column.name}: path {column.path} clashes with {existing.path}")
            continue
        new_type = type_change(existing.pg_type, column.pg_type)
        if new_type is None:
            migration.incompatible.append(f"{column.name}: {existing.pg_type} cannot hold {column.pg_type}")
        elif new_type != existing.pg_type:
            migration.widen[column.name] = new_type
        if column.nullable and not existing.nullable:
            migration.drop_not_null.append(column.name)
    wanted_names = {column.name for column in wanted}
    for column in current:
        if column.name not in wanted_names and not column.nullable:
            migration.drop_not_null.append(column.name)
    return migration


def migrated_columns(current: list[Column], migration: Migration) -> list[Column]:
    """Return the table's columns after `migration` (assumed compatible)."""
    nullable = set(migration.drop_not_null)
    columns = [
        Column(c.name, migration.widen.get(c.name, c.pg_type), c.nullable or c.name in nullable, c.path)
        for c in current
    ]
    return columns + migration.add
