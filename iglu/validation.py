"""Validators built once per schema: a compiled fast path for valid data, jsonschema for the full error list."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import fastjsonschema
from jsonschema import Draft4Validator, FormatChecker
from jsonschema_specifications import REGISTRY as SPECIFICATIONS

from iglu.fastpath import compile_predicate
from iglu.formats import FORMAT_CHECKS
from iglu.reports import data_reports

logger = logging.getLogger(__name__)

DRAFT_04 = "http://json-schema.org/draft-04/schema#"

FORMAT_CHECKER = FormatChecker(formats=())
for _name, _check in FORMAT_CHECKS.items():
    FORMAT_CHECKER.checks(_name)(lambda value, check=_check: not isinstance(value, str) or check(value))

# fastjsonschema asserts its own regexes for these Draft-04 formats; ours replace them so both paths agree.
_FAST_FORMATS: dict[str, Callable[[Any], bool]] = {
    **{name: (lambda value: True) for name in fastjsonschema.CodeGeneratorDraft04.FORMAT_REGEXS},
    **FORMAT_CHECKS,
}


def schema_hash(schema: dict[str, Any]) -> str:
    """A stable digest of a schema's JSON, so that an edited schema gets a new validator."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _known_or_refused(uri: str) -> Any:
    """Serve the JSON Schema meta-schemas jsonschema ships; never fetch anything over the network."""
    try:
        return SPECIFICATIONS.contents(uri)
    except LookupError:
        raise LookupError(f"remote $ref {uri} is not fetched while compiling") from None


class SchemaValidator:
    """Validate instances of one schema; `errors()` returns Snowplow data reports, `[]` when valid.

    Three tiers: the predicate iglu.fastpath generates for the flat shapes Snowplow schemas use (True only for
    valid instances), else fastjsonschema's compiled code for the other schemas, and always jsonschema's
    Draft4Validator for the full error list of an instance the faster tiers did not accept.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.full = Draft4Validator(schema, format_checker=FORMAT_CHECKER)
        self.accepts = compile_predicate(schema)
        self.fast = None if self.accepts is not None else _compile_fast(schema)

    def is_valid(self, instance: Any) -> bool:
        accepts = self.accepts
        if accepts is not None:
            return accepts(instance) or self.full.is_valid(instance)
        if self.fast is not None:
            try:
                self.fast(instance)
            except fastjsonschema.JsonSchemaValueException:
                return False
            return True
        return self.full.is_valid(instance)

    def errors(self, instance: Any) -> list[dict[str, Any]]:
        accepts = self.accepts
        if accepts is not None:
            if accepts(instance):
                return []
        elif self.fast is not None:
            try:
                self.fast(instance)
                return []
            except fastjsonschema.JsonSchemaValueException:
                pass
        return data_reports(self.full.iter_errors(instance))


def _compile_fast(schema: dict[str, Any]) -> Callable[[Any], Any] | None:
    """Compile with fastjsonschema (Draft-04, no defaults injected); None when it cannot, which is only slower."""
    definition = copy.deepcopy(schema)
    definition["$schema"] = DRAFT_04
    handlers = {scheme: _known_or_refused for scheme in ("http", "https", "iglu", "file")}
    try:
        return fastjsonschema.compile(
            definition, handlers=handlers, formats=_FAST_FORMATS, use_default=False, detailed_exceptions=False
        )
    except Exception as error:  # fastjsonschema raises several types for schemas it cannot compile
        logger.info("No compiled validator for schema %s: %s", schema.get("self"), error)
        return None


class ValidatorCache:
    """Validators keyed by (URI, schema hash); thread-safe to build, lock-free to read."""

    def __init__(self) -> None:
        self._validators: dict[tuple[str, str], SchemaValidator] = {}
        self._lock = threading.Lock()

    def get(self, uri: str, digest: str, schema: dict[str, Any]) -> SchemaValidator:
        validator = self._validators.get((uri, digest))
        if validator is None:
            with self._lock:
                validator = self._validators.get((uri, digest))
                if validator is None:
                    validator = SchemaValidator(schema)
                    self._drop_stale(uri)
                    self._validators[(uri, digest)] = validator
        return validator

    def _drop_stale(self, uri: str) -> None:
        for key in [k for k in self._validators if k[0] == uri]:
            del self._validators[key]

    def clear(self) -> None:
        with self._lock:
            self._validators = {}
