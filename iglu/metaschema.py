"""Check that a schema is a self-describing JSON Schema before it is stored (spec 4.1)."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError

from iglu.errors import InvalidSchema, InvalidSchemaKey
from iglu.keys import SchemaKey, SchemaVer
from iglu.repositories import BuiltinRepository
from iglu.validation import SchemaValidator

META_SCHEMA_URI = "iglu:com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0"
META_SCHEMA_REF = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#"

_meta_validator: SchemaValidator | None = None


def _meta() -> SchemaValidator:
    global _meta_validator
    if _meta_validator is None:
        from iglu.keys import parse_schema_key

        _meta_validator = SchemaValidator(BuiltinRepository().lookup(parse_schema_key(META_SCHEMA_URI)))
    return _meta_validator


def check_self_describing_schema(schema: Any) -> SchemaKey:
    """Return the schema's key from its `self` block; raise InvalidSchema listing every problem."""
    if not isinstance(schema, dict):
        raise InvalidSchema("A schema must be a JSON object")
    issues = [{"path": r["path"], "message": r["message"]} for r in _meta().errors(schema)]
    issues += _regex_issues(schema)
    if not issues:
        try:
            Draft4Validator.check_schema(schema)
        except SchemaError as error:
            issues.append({"path": "$", "message": f"Not a valid Draft-04 JSON Schema: {error.message}"})
    if issues:
        raise InvalidSchema("; ".join(issue["message"] for issue in issues), issues)
    block = schema["self"]
    try:
        SchemaVer.parse(block["version"])
    except InvalidSchemaKey as error:
        raise InvalidSchema(str(error), [{"path": "$.self.version", "message": str(error)}]) from error
    return SchemaKey(block["vendor"], block["name"], block["format"], block["version"])


def _regex_issues(schema: Any, path: str = "$") -> list[dict[str, str]]:
    """Patterns must compile; the meta-schema alone lets any string through on some validators."""
    issues: list[dict[str, str]] = []
    if isinstance(schema, dict):
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as error:
                issues.append({"path": f"{path}.pattern", "message": f"Invalid regular expression: {error}"})
        for key, value in schema.items():
            if key not in {"enum", "default", "examples", "const"}:
                issues += _regex_issues(value, f"{path}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            issues += _regex_issues(value, f"{path}[{index}]")
    return issues
