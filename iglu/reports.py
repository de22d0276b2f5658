"""Turn jsonschema errors into Snowplow data reports (`{message, path, keyword, targets}`).

Snowplow validates with networknt's json-schema-validator and copies its messages into bad rows, so the
wording below follows networknt's message templates: the message starts with the JSONPath of the value,
`required` and `additionalProperties` are reported at the parent object's path with the property in the
message and in `targets`, and `type` reports `[found, expected]`. Where networknt differs by version
(union types are keyword `unionType` there; format failures carry Java regexes) we keep the shape and
say the Python-side fact instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

_SIMPLE_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def json_path(parts: Iterable[Any]) -> str:
    """Write a path as Snowplow does: `$`, `$.field`, `$.list[0].field` (odd keys in brackets)."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _SIMPLE_NAME.match(part):
            path += f".{part}"
        else:
            path += "['" + part.replace("'", "\\'") + "']"
    return path


def json_type(value: Any) -> str:
    """networknt's JsonType name of a value: 1 is `integer`, 1.5 is `number`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def data_reports(errors: Iterable[ValidationError]) -> list[dict[str, Any]]:
    """Map every error to one or more data reports, without duplicates, in the validator's order."""
    reports: list[dict[str, Any]] = []
    for error in errors:
        for report in _reports_for(error):
            if report not in reports:
                reports.append(report)
    return reports


def _report(message: str, path: str, keyword: str, targets: list[str]) -> dict[str, Any]:
    return {"message": message, "path": path, "keyword": keyword, "targets": targets}


def _reports_for(error: ValidationError) -> list[dict[str, Any]]:
    path = json_path(error.absolute_path)
    keyword = str(error.validator)
    value = error.validator_value
    builder = _BUILDERS.get(keyword)
    if builder is not None:
        return builder(error, path, value)
    return [_report(f"{path}: {error.message}", path, keyword, [])]


def _required(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    missing = [name for name in value if name not in instance]
    return [_report(f"{path}.{name}: is missing but it is required", path, "required", [name]) for name in missing]


def _additional_properties(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    extra = [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
    if value is False:
        message = "is not defined in the schema and the schema does not allow additional properties"
        return [_report(f"{path}.{name}: {message}", path, "additionalProperties", [name]) for name in extra]
    return [_report(f"{path}: {error.message}", path, "additionalProperties", extra)]


def _type(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    found = json_type(error.instance)
    if isinstance(value, list):
        expected = "[" + ", ".join(value) + "]"
        return [_report(f"{path}: {found} found, but {expected} is required", path, "unionType", [found, expected])]
    return [_report(f"{path}: {found} found, {value} expected", path, "type", [found, str(value)])]


def _enum(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    listed = "[" + ", ".join(_as_text(v) for v in value) + "]"
    return [_report(f"{path}: does not have a value in the enumeration {listed}", path, "enum", [listed])]


def _as_text(value: Any) -> str:
    """Jackson's asText(): strings bare, null as `null`, booleans lower-case."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _template(template: str) -> Any:
    def build(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
        text = _as_text(value)
        return [_report(f"{path}: " + template.format(text), path, str(error.validator), [text])]

    return build


def _minimum(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    exclusive = bool(error.schema.get("exclusiveMinimum")) if isinstance(error.schema, dict) else False
    kind = "an exclusive minimum" if exclusive else "a minimum"
    return [_report(f"{path}: must have {kind} value of {_as_text(value)}", path, "minimum", [_as_text(value)])]


def _maximum(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    exclusive = bool(error.schema.get("exclusiveMaximum")) if isinstance(error.schema, dict) else False
    kind = "an exclusive maximum" if exclusive else "a maximum"
    return [_report(f"{path}: must have {kind} value of {_as_text(value)}", path, "maximum", [_as_text(value)])]


def _format(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
    if value in {"date-time", "uuid", "date", "time"}:
        text = str(error.instance)
        return [_report(f"{path}: {text} is an invalid {value}", path, "format", [text, value])]
    return [_report(f"{path}: does not match the {value} pattern", path, "format", [value])]


def _combinator(template: str) -> Any:
    def build(error: ValidationError, path: str, value: Any) -> list[dict[str, Any]]:
        return [_report(f"{path}: {template}", path, str(error.validator), [])]

    return build


_BUILDERS = {
    "required": _required,
    "additionalProperties": _additional_properties,
    "type": _type,
    "enum": _enum,
    "minLength": _template("must be at least {} characters long"),
    "maxLength": _template("may only be {} characters long"),
    "minItems": _template("there must be a minimum of {} items in the array"),
    "maxItems": _template("there must be a maximum of {} items in the array"),
    "minProperties": _template("should have a minimum of {} properties"),
    "maxProperties": _template("may only have a maximum of {} properties"),
    "pattern": _template("does not match the regex pattern {}"),
    "multipleOf": _template("must be multiple of {}"),
    "minimum": _minimum,
    "maximum": _maximum,
    "format": _format,
    "uniqueItems": _combinator("the items in the array must be unique"),
    "anyOf": _combinator("should be valid to any of the schemas"),
    "allOf": _combinator("should be valid to all the schemas"),
    "oneOf": _combinator("should be valid to one and only one of the schemas"),
    "not": _combinator("should not be valid to the schema"),
}
