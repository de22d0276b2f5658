"""A small code generator for the flat schema shapes Snowplow schemas use: one Python predicate per schema.

The predicate answers True only for instances the Draft-04 validator accepts; anything else (an invalid
instance, or one it is unsure of) is False and the caller asks the full validator, which reports every error
with its path. Schemas that use a keyword the generator does not handle (`$ref`, `not`, `oneOf`, `multipleOf`,
`uniqueItems`, `patternProperties`, `dependencies`, ...) get no predicate at all (`compile_predicate` returns
None) and keep the slower paths.

Draft-04 semantics kept exactly: `integer` is an `int` and never a `bool` or a float such as `1.0`, `number` is
an int or a float (never a bool), `enum` compares as jsonschema does (`1` is not `true`), string lengths count
code points, `pattern` is an unanchored search, `format` runs the same checks (iglu.formats) as the full path and
only on strings, `exclusiveMinimum`/`exclusiveMaximum` are Draft-04 booleans. Types are tested with `type(x) is`,
so a value of any type JSON decoding does not produce is never accepted here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema._utils import equal

from iglu.formats import FORMAT_CHECKS

# Keywords of Draft-04 that only annotate, or that are handled together with another keyword.
_IGNORED = {
    "$schema", "id", "self", "title", "description", "default", "definitions", "$supersededBy",
    "exclusiveMinimum", "exclusiveMaximum",
}
# Every other Draft-04 validation keyword; any of these not in _HANDLED makes the schema unsupported.
_DRAFT4_KEYWORDS = {
    "$ref", "additionalItems", "additionalProperties", "allOf", "anyOf", "dependencies", "enum", "format", "items",
    "maxItems", "maxLength", "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum",
    "multipleOf", "not", "oneOf", "pattern", "patternProperties", "properties", "required", "type", "uniqueItems",
}
_HANDLED = {
    "additionalItems", "additionalProperties", "allOf", "anyOf", "enum", "format", "items", "maxItems", "maxLength",
    "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum", "pattern", "properties",
    "required", "type",
}
_TYPE_TESTS = {
    "string": "{v}.__class__ is str",
    "integer": "{v}.__class__ is int",
    "number": "({v}.__class__ is int or {v}.__class__ is float)",
    "boolean": "({v} is True or {v} is False)",
    "null": "{v} is None",
    "object": "{v}.__class__ is dict",
    "array": "{v}.__class__ is list",
}
_JSON_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})
_MAX_DEPTH = 32


class Unsupported(Exception):
    """The schema uses something the generator does not translate; the caller keeps the other paths."""


def compile_predicate(schema: Any) -> Callable[[Any], bool] | None:
    """The generated predicate for `schema`, or None when the schema is outside what the generator handles."""
    try:
        return _Generator().build(schema)
    except (Unsupported, RecursionError, TypeError, ValueError, re.error):
        return None


def predicate_source(schema: Any) -> str | None:
    """The generated Python source (for tests and for reading); None when unsupported."""
    try:
        generator = _Generator()
        generator.build(schema)
    except (Unsupported, RecursionError, TypeError, ValueError, re.error):
        return None
    return generator.source


def _in_enum(value: Any, values: tuple[Any, ...]) -> bool:
    return any(equal(value, each) for each in values)


class _Generator:
    def __init__(self) -> None:
        self.constants: dict[str, Any] = {"_JSON_TYPES": _JSON_TYPES, "_in_enum": _in_enum, "_MISSING": _MISSING}
        self.functions: list[str] = []
        self.counter = 0
        self.source = ""

    def build(self, schema: Any) -> Callable[[Any], bool]:
        name = self.function(schema, 0)
        self.source = "\n\n".join(self.functions)
        namespace = dict(self.constants)
        # Safe to exec: names are generated, property names are repr() literals, values are passed as constants.
        exec(compile(self.source, "<iglu fast path>", "exec"), namespace)
        return namespace[name]

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: Any, prefix: str = "_c") -> str:
        name = self.fresh(prefix)
        self.constants[name] = value
        return name

    def function(self, schema: Any, depth: int) -> str:
        """A `def fN(x) -> bool` for a (sub)schema; returns its name."""
        name = self.fresh("_f")
        body = self.block(schema, "x", depth, "    ")
        self.functions.append(f"def {name}(x):\n" + "".join(body) + "    return True")
        return name

    def block(self, schema: Any, var: str, depth: int, indent: str) -> list[str]:
        """Statements that `return False` unless `var` is valid against `schema`."""
        if depth > _MAX_DEPTH:
            raise Unsupported("too deep")
        if not isinstance(schema, dict):
            raise Unsupported("a schema must be an object")
        unknown = (set(schema) & _DRAFT4_KEYWORDS) - _HANDLED
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        lines: list[str] = []
        kinds = self.types(schema)
        if kinds is None:
            lines.append(f"{indent}if {var}.__class__ not in _JSON_TYPES: return False\n")
            kinds = set(_TYPE_TESTS)
        else:
            test = " or ".join(_TYPE_TESTS[kind].format(v=var) for kind in sorted(kinds))
            lines.append(f"{indent}if not ({test}): return False\n")
        if "integer" in kinds:
            kinds.add("number")
        if "enum" in schema:
            lines.append(f"{indent}if not ({self.enum_test(schema['enum'], var)}): return False\n")
        lines += self.guarded(kinds, "string", var, indent, self.string_checks(schema, var, indent + "    "))
        lines += self.guarded(kinds, "number", var, indent, self.number_checks(schema, var, indent + "    "))
        lines += self.guarded(kinds, "object", var, indent, self.object_checks(schema, var, depth, indent + "    "))
        lines += self.guarded(kinds, "array", var, indent, self.array_checks(schema, var, depth, indent + "    "))
        if "allOf" in schema:
            for sub in _schema_list(schema["allOf"]):
                lines += self.block(sub, var, depth + 1, indent)
        if "anyOf" in schema:
            names = [self.function(sub, depth + 1) for sub in _schema_list(schema["anyOf"])]
            lines.append(f"{indent}if not ({' or '.join(f'{n}({var})' for n in names)}): return False\n")
        return lines

    @staticmethod
    def types(schema: dict[str, Any]) -> set[str] | None:
        if "type" not in schema:
            return None
        kinds = schema["type"]
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list) or not kinds or any(kind not in _TYPE_TESTS for kind in kinds):
            raise Unsupported("type")
        return set(kinds)

    @staticmethod
    def guarded(kinds: set[str], kind: str, var: str, indent: str, checks: list[str]) -> list[str]:
        """Checks of one instance kind; under an `if` unless the type keyword admits that kind only."""
        if not checks or kind not in kinds:
            return []
        if kinds <= {kind, "integer"} and (kind == "number" or kinds == {kind}):
            return [line[4:] for line in checks]
        test = _TYPE_TESTS["number" if kind == "number" else kind].format(v=var)
        return [f"{indent}if {test}:\n", *checks]

    def enum_test(self, values: Any, var: str) -> str:
        if not isinstance(values, list) or not values:
            raise Unsupported("enum")
        strings = [value for value in values if isinstance(value, str)]
        others = [value for value in values if not isinstance(value, str)]
        tests = []
        if strings:
            tests.append(f"({var}.__class__ is str and {var} in {self.constant(frozenset(strings))})")
        if others == [None]:
            tests.append(f"{var} is None")
        elif others:
            tests.append(f"_in_enum({var}, {self.constant(tuple(others))})")
        return " or ".join(tests)

    def string_checks(self, schema: dict[str, Any], var: str, indent: str) -> list[str]:
        lines = []
        if "minLength" in schema:
            lines.append(f"{indent}if len({var}) < {_count(schema['minLength'])}: return False\n")
        if "maxLength" in schema:
            lines.append(f"{indent}if len({var}) > {_count(schema['maxLength'])}: return False\n")
        if "pattern" in schema:
            if not isinstance(schema["pattern"], str):
                raise Unsupported("pattern")
            search = self.constant(re.compile(schema["pattern"]).search, "_re")
            lines.append(f"{indent}if {search}({var}) is None: return False\n")
        if "format" in schema and schema["format"] in FORMAT_CHECKS:
            check = self.constant(FORMAT_CHECKS[schema["format"]], "_fmt")
            lines.append(f"{indent}if not {check}({var}): return False\n")
        return lines

    def number_checks(self, schema: dict[str, Any], var: str, indent: str) -> list[str]:
        lines = []
        for keyword, exclusive, below in (("minimum", "exclusiveMinimum", "<"), ("maximum", "exclusiveMaximum", ">")):
            if keyword not in schema:
                continue
            bound = schema[keyword]
            if bound.__class__ not in (int, float) or schema.get(exclusive, False) not in (True, False):
                raise Unsupported(keyword)
            operator = below + "=" if schema.get(exclusive, False) else below
            lines.append(f"{indent}if {var} {operator} {self.constant(bound)}: return False\n")
        return lines

    def object_checks(self, schema: dict[str, Any], var: str, depth: int, indent: str) -> list[str]:
        lines = []
        if "minProperties" in schema:
            lines.append(f"{indent}if len({var}) < {_count(schema['minProperties'])}: return False\n")
        if "maxProperties" in schema:
            lines.append(f"{indent}if len({var}) > {_count(schema['maxProperties'])}: return False\n")
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
            raise Unsupported("required")
        if len(required) == 1:
            lines.append(f"{indent}if {required[0]!r} not in {var}: return False\n")
        elif required:
            lines.append(f"{indent}if not {self.constant(frozenset(required))} <= {var}.keys(): return False\n")
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            raise Unsupported("properties")
        additional = schema.get("additionalProperties", True)
        if additional is False:
            lines.append(f"{indent}if not {var}.keys() <= {self.constant(frozenset(properties))}: return False\n")
        elif isinstance(additional, dict):
            check = self.function(additional, depth + 1)
            known = self.constant(frozenset(properties))
            item = self.fresh("k")
            lines.append(f"{indent}for {item} in {var}.keys() - {known}:\n")
            lines.append(f"{indent}    if not {check}({var}[{item}]): return False\n")
        elif additional is not True:
            raise Unsupported("additionalProperties")
        for name, subschema in properties.items():
            if subschema == {}:
                continue
            value = self.fresh("v")
            inner = self.block(subschema, value, depth + 1, indent + "    ")
            if name in required:
                lines.append(f"{indent}{value} = {var}[{name!r}]\n")
                lines += [line[4:] for line in inner]
            else:
                lines.append(f"{indent}{value} = {var}.get({name!r}, _MISSING)\n")
                lines.append(f"{indent}if {value} is not _MISSING:\n")
                lines += inner
        return lines

    def array_checks(self, schema: dict[str, Any], var: str, depth: int, indent: str) -> list[str]:
        lines = []
        if "minItems" in schema:
            lines.append(f"{indent}if len({var}) < {_count(schema['minItems'])}: return False\n")
        if "maxItems" in schema:
            lines.append(f"{indent}if len({var}) > {_count(schema['maxItems'])}: return False\n")
        items = schema.get("items", {})
        if isinstance(items, dict):
            if items:
                item = self.fresh("i")
                lines.append(f"{indent}for {item} in {var}:\n")
                lines += self.block(items, item, depth + 1, indent + "    ")
        elif isinstance(items, list):
            for position, subschema in enumerate(items):
                check = self.function(subschema, depth + 1)
                lines.append(f"{indent}if len({var}) > {position} and not {check}({var}[{position}]): return False\n")
            additional = schema.get("additionalItems", True)
            if additional is False:
                lines.append(f"{indent}if len({var}) > {len(items)}: return False\n")
            elif isinstance(additional, dict):
                check = self.function(additional, depth + 1)
                item = self.fresh("i")
                lines.append(f"{indent}for {item} in {var}[{len(items)}:]:\n")
                lines.append(f"{indent}    if not {check}({item}): return False\n")
            elif additional is not True:
                raise Unsupported("additionalItems")
        else:
            raise Unsupported("items")
        return lines


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _count(value: Any) -> int:
    if value.__class__ is not int or value < 0:
        raise Unsupported("a length must be a non-negative integer")
    return value


def _schema_list(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise Unsupported("allOf/anyOf must be a non-empty list")
    return value
