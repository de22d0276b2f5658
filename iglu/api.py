"""The Iglu app's public interface: what enrichment, warehouse and webhooks call to resolve and validate.

Contract (DESIGN 9): SchemaNotFound means every repository said "not found" and the event becomes a
schema_violations bad row; RegistryUnavailable means a repository failed otherwise, so the caller leaves
the payload unacknowledged for a retry. Validators are built once per (URI, schema hash) and cached;
`clear_caches()` drops them when the configuration version changes (DESIGN 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from time import monotonic
from typing import Any

from iglu.errors import (
    IgluError,
    InvalidSchemaKey,
    NotSelfDescribing,
    RegistryUnavailable,
    ResolutionFailed,
    SchemaNotFound,
)
from iglu.keys import SchemaCriterion, SchemaKey, SchemaVer
from iglu.keys import parse_schema_key as _parse_schema_key
from iglu.resolver import ResolvedSchema
from iglu.resolver_config import get_resolver, reset_resolver
from iglu.validation import SchemaValidator, ValidatorCache

__all__ = [
    "IgluError",
    "InvalidSchemaKey",
    "NotSelfDescribing",
    "RegistryUnavailable",
    "SchemaCriterion",
    "SchemaKey",
    "SchemaNotFound",
    "SchemaVer",
    "ValidationResult",
    "check_instance",
    "clear_caches",
    "iglu_error_message",
    "parse_schema_key",
    "resolve_schema",
    "validate_instance",
]

_validators = ValidatorCache()
MAX_HOT_VALIDATORS = 10_000
_hot_validators: dict[str, tuple[float, SchemaValidator]] = {}


@lru_cache(maxsize=4096)
def _cached_key(uri: str) -> SchemaKey:
    return _parse_schema_key(uri)


def parse_schema_key(uri: str) -> SchemaKey:
    """Parse `iglu:vendor/name/format/M-R-A` (SDK regex); raise InvalidSchemaKey naming the problem."""
    if isinstance(uri, SchemaKey):
        return uri
    if not isinstance(uri, str):
        raise InvalidSchemaKey(f"Schema key must be a string, got {type(uri).__name__}")
    return _cached_key(uri)


def resolve_schema(uri_or_key: str | SchemaKey) -> dict[str, Any]:
    """Return the JSON Schema for a key (the superseding one if `$supersededBy` is set); do not mutate it."""
    return _resolve(parse_schema_key(uri_or_key)).schema


def _resolve(key: SchemaKey) -> ResolvedSchema:
    return get_resolver().resolve(key)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one SDJ; `superseded_by` feeds enrich's validation_info entity."""

    key: SchemaKey
    reports: list[dict[str, Any]]
    superseded_by: str | None = None

    @property
    def valid(self) -> bool:
        return not self.reports


def check_instance(sdj: object) -> ValidationResult:
    """Like validate_instance, but also say which version validated the data when a schema was superseded."""
    uri, data = _split_self_describing(sdj)
    key = parse_schema_key(uri)
    resolved = _resolve(key)
    validator = _validators.get(key.uri, resolved.digest, resolved.schema)
    return ValidationResult(key, validator.errors(data), resolved.superseded_by)


def validate_instance(sdj: object) -> list[dict[str, Any]]:
    """Validate an SDJ's `data` against its schema: `[]` when valid, else Snowplow data reports.

    Raises NotSelfDescribing, InvalidSchemaKey, SchemaNotFound or RegistryUnavailable.
    """
    # Hot path: a URI seen recently maps straight to its validator until the resolver's cache entry expires.
    if type(sdj) is dict and len(sdj) == 2 and "data" in sdj and type(sdj.get("schema")) is str:
        hot = _hot_validators.get(sdj["schema"])
        if hot is not None and hot[0] > monotonic():
            return hot[1].errors(sdj["data"])
    uri, data = _split_self_describing(sdj)
    key = parse_schema_key(uri)
    resolver = get_resolver()
    resolved = resolver.resolve(key)
    validator = _validators.get(key.uri, resolved.digest, resolved.schema)
    if len(_hot_validators) >= MAX_HOT_VALIDATORS:
        _hot_validators.clear()
    _hot_validators[uri] = (resolver.expires_at(resolved), validator)
    return validator.errors(data)


def _split_self_describing(sdj: object) -> tuple[str, Any]:
    if not isinstance(sdj, dict) or len(sdj) != 2 or "schema" not in sdj or "data" not in sdj:
        raise NotSelfDescribing(_not_self_describing_reason(sdj))
    uri = sdj["schema"]
    if not isinstance(uri, str):
        raise InvalidSchemaKey(f"The 'schema' field must be a string, got {type(uri).__name__}")
    return uri, sdj["data"]


def _not_self_describing_reason(value: object) -> str:
    if not isinstance(value, dict):
        return f"A self-describing JSON must be an object, got {type(value).__name__}"
    missing = [name for name in ("schema", "data") if name not in value]
    if missing:
        return f"A self-describing JSON needs 'schema' and 'data'; missing {', '.join(missing)}"
    extra = sorted(set(value) - {"schema", "data"})
    return f"A self-describing JSON has only 'schema' and 'data'; unexpected {', '.join(extra)}"


def iglu_error_message(key_uri: str, error: Exception | list[dict[str, Any]]) -> dict[str, Any]:
    """Build the bad-row IgluError message: a ValidationError from data reports, a ResolutionError otherwise."""
    if isinstance(error, list):
        return {"schemaKey": key_uri, "error": {"error": "ValidationError", "dataReports": error}}
    if isinstance(error, ResolutionFailed):
        history = error.lookup_history_json()
        return {"schemaKey": key_uri, "error": {"error": "ResolutionError", "lookupHistory": history}}
    issues = getattr(error, "issues", None) or [{"path": "$", "message": str(error)}]
    return {"schemaKey": key_uri, "error": {"error": "ValidationError", "schemaIssues": issues}}


def clear_caches() -> None:
    """Drop cached schemas, misses and validators; the next lookup re-reads the configuration and registries."""
    resolver = get_resolver()
    resolver.clear()
    reset_resolver()
    _hot_validators.clear()
    _validators.clear()
