"""JSON Schema to per-schema table columns, by the type rules of Snowplow's PostgreSQL loader (spec 1.4).

Nested objects are flattened to one column per leaf, named by the snake_cased path joined with dots
(`"a_field.b_field"`, as schema-ddl names them); arrays, unions and complex enums become jsonb.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_VARCHAR = 4096
VARCHAR_MAX = 10_485_760
INT4_MAX = 2**31 - 1
INT4_MIN = -(2**31)
PG_IDENTIFIER_MAX = 63

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL = re.compile(r"([a-z\d])([A-Z])")


@dataclass(frozen=True)
class Column:
    """One leaf of a schema: its column name, PostgreSQL type, nullability and path in the data."""

    name: str
    pg_type: str
    nullable: bool
    path: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "pg_type": self.pg_type, "nullable": self.nullable, "path": list(self.path)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Column:
        return cls(data["name"], data["pg_type"], data["nullable"], tuple(data["path"]))


def snake_case(text: str) -> str:
    """`AddToBasket` -> `add_to_basket`, `anonymous-customer` -> `anonymous_customer` (schema-ddl's rule)."""
    text = _CAMEL.sub(r"\1_\2", _ACRONYM.sub(r"\1_\2", text))
    return text.replace("-", "_").replace(".", "_").lower()


def fit_identifier(name: str) -> str:
    """Return `name`, or for names PostgreSQL would silently truncate, a shortened one made unique by a hash."""
    if len(name) <= PG_IDENTIFIER_MAX:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[: PG_IDENTIFIER_MAX - 9]}_{digest}"


def schema_columns(schema: dict[str, Any]) -> list[Column]:
    """Return the leaf columns of an object schema, in path order."""
    columns = list(_leaves(schema, (), nullable=False))
    return sorted(columns, key=lambda column: column.path)


def _leaves(schema: dict[str, Any], path: tuple[str, ...], nullable: bool):
    required = set(schema.get("required") or [])
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        child_path = (*path, key)
        child_nullable = nullable or key not in required or _allows_null(prop)
        if _is_plain_object(prop) and prop.get("properties"):
            yield from _leaves(prop, child_path, child_nullable)
        else:
            name = fit_identifier(".".join(snake_case(part) for part in child_path))
            yield Column(name, column_type(prop), child_nullable, child_path)


def _types(prop: dict[str, Any]) -> set[str] | None:
    declared = prop.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _allows_null(prop: dict[str, Any]) -> bool:
    types = _types(prop)
    return bool(types and "null" in types) or None in (prop.get("enum") or [])


def _is_plain_object(prop: dict[str, Any]) -> bool:
    types = _types(prop)
    return types is not None and types - {"null"} == {"object"}


def _only(prop: dict[str, Any], kind: str) -> bool:
    """True when the property's type is `kind`, possibly with null (schema-ddl's possiblyWithNull)."""
    types = _types(prop)
    return types is not None and types - {"null"} == {kind}


def column_type(prop: dict[str, Any]) -> str:
    """Return the PostgreSQL type for one leaf property; the first matching rule wins, as in the loader."""
    for rule in _RULES:
        pg_type = rule(prop)
        if pg_type:
            return pg_type
    return "jsonb"


def _complex_enum(prop: dict[str, Any]) -> str | None:
    values = [value for value in prop.get("enum") or [] if value is not None]
    numeric = any(_is_number(value) for value in values)
    non_numeric = any(not _is_number(value) for value in values)
    boolean = any(isinstance(value, bool) for value in values)
    return "jsonb" if numeric + non_numeric + boolean >= 2 else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _product(prop: dict[str, Any]) -> str | None:
    types = _types(prop)
    if types is None:
        return None
    non_null = types - {"null"}
    if non_null == {"integer", "number"}:
        return None  # a number that may be integral: the number rule makes it double precision
    return "jsonb" if len(non_null) > 1 or "array" in non_null else None


def _timestamp(prop: dict[str, Any]) -> str | None:
    return "timestamp" if _only(prop, "string") and prop.get("format") == "date-time" else None


def _date(prop: dict[str, Any]) -> str | None:
    return "date" if _only(prop, "string") and prop.get("format") == "date" else None


def _integer(prop: dict[str, Any]) -> str | None:
    enum = [value for value in prop.get("enum") or [] if value is not None]
    if _only(prop, "integer"):
        if "maximum" in prop or "minimum" in prop:
            # Unlike the loader, which looks at the maximum only, a low minimum also needs bigint.
            fits = prop.get("maximum", 0) <= INT4_MAX and prop.get("minimum", 0) >= INT4_MIN
            return "integer" if fits else "bigint"
        if enum:
            return "integer" if all(_is_int4(value) for value in enum) else "bigint"
        return "bigint"
    if _types(prop) is None and enum and all(_is_integer(value) for value in enum):
        return "integer" if all(_is_int4(value) for value in enum) else "bigint"
    return None


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_int4(value: Any) -> bool:
    return _is_integer(value) and INT4_MIN <= value <= INT4_MAX


def _number(prop: dict[str, Any]) -> str | None:
    types = _types(prop)
    if types is None:
        return None
    non_null = types - {"null"}
    return "double precision" if non_null in ({"number"}, {"integer", "number"}) else None


def _boolean(prop: dict[str, Any]) -> str | None:
    if _only(prop, "boolean"):
        return "boolean"
    enum = [value for value in prop.get("enum") or [] if value is not None]
    if _types(prop) is None and enum and all(isinstance(value, bool) for value in enum):
        return "boolean"
    return None


def _char(prop: dict[str, Any]) -> str | None:
    if _only(prop, "string") and "maxLength" in prop and prop.get("minLength") == prop["maxLength"]:
        return f"char({min(max(int(prop['maxLength']), 1), VARCHAR_MAX)})"
    return None


def _uuid(prop: dict[str, Any]) -> str | None:
    return "uuid" if _only(prop, "string") and prop.get("format") == "uuid" else None


def _varchar(prop: dict[str, Any]) -> str | None:
    enum = [value for value in prop.get("enum") or [] if value is not None]
    if _only(prop, "string") and "maxLength" in prop:
        return varchar(prop["maxLength"])
    if _only(prop, "string") and not enum:
        return varchar(DEFAULT_VARCHAR)
    if enum and all(isinstance(value, str) for value in enum):
        return varchar(max(len(value) for value in enum))
    return None


def varchar(length: Any) -> str:
    """Return `varchar(n)` with n clamped to what PostgreSQL allows (1 to 10485760)."""
    return f"varchar({min(max(int(length), 1), VARCHAR_MAX)})"


_RULES = (_complex_enum, _product, _timestamp, _date, _integer, _number, _boolean, _char, _uuid, _varchar)
