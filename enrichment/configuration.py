"""Enrichment configurations: Snowplow's self-describing JSONs, checked into typed frozen configs before saving.

Every way in (admin, import command, defaults) goes through `check_configuration`, which collects every problem
(not self-describing, unknown enrichment, schema outside the accepted criterion, Iglu validation errors, and what
the enrichment's own parser rejects) and returns a `ParsedConfiguration`. Saving bumps the configuration version
so workers rebuild their pipeline at their next batch (DESIGN contract 10).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from enrichment.enrichments.base import ConfigInvalid
from enrichment.enrichments.registry import REPEATABLE, get_enrichment_class
from enrichment.models import EnrichmentConfig
from enrichment.versioning import config_version_bump
from iglu import api as iglu

logger = logging.getLogger(__name__)

DEFAULTS_DIR = Path(__file__).resolve().parent / "enrichments" / "defaults"
REGISTRY_CRITERION = "iglu:com.snowplowanalytics.snowplow/enrichments/jsonschema/1-*-*"


@dataclass(frozen=True)
class ParsedConfiguration:
    """A configuration that passed every check: what the pipeline builds an enrichment from."""

    enrichment_name: str
    schema_key: str
    enabled: bool
    config: Any
    document: dict[str, Any]


def check_configuration(document: Any) -> ParsedConfiguration:
    """Validate a Snowplow enrichment configuration JSON; raise ConfigInvalid listing every problem."""
    problem = _envelope_problem(document)
    if problem:
        raise ConfigInvalid([problem])
    key = iglu.parse_schema_key(document["schema"])
    cls = get_enrichment_class(key.name)
    if cls is None:
        raise ConfigInvalid([f"schema: no enrichment is named {key.name!r}"])
    if not iglu.SchemaCriterion.parse(cls.criterion).matches(key):
        raise ConfigInvalid([f"schema: {key.uri} is not accepted by {key.name} (accepts {cls.criterion})"])
    try:
        reports = iglu.validate_instance(document)
    except iglu.SchemaNotFound:
        raise ConfigInvalid([f"schema: {key.uri} is not in any Iglu registry"]) from None
    if reports:
        raise ConfigInvalid([report["message"] for report in reports])
    data = document["data"]
    return ParsedConfiguration(key.name, key.uri, bool(data.get("enabled")), cls.parse_config(data), document)


def _envelope_problem(document: Any) -> str | None:
    if not isinstance(document, dict) or set(document) != {"schema", "data"}:
        return "A configuration is a self-describing JSON: an object with exactly 'schema' and 'data'"
    if not isinstance(document["data"], dict):
        return "data: must be an object with vendor, name, enabled and parameters"
    try:
        iglu.parse_schema_key(document["schema"])
    except iglu.InvalidSchemaKey as error:
        return f"schema: {error}"
    return None


def enrichment_config_save(name: str, document: Any, position: int | None = None) -> EnrichmentConfig:
    """Check and store one configuration under `name`; raise ConfigInvalid and store nothing if it is wrong."""
    parsed = check_configuration(document)
    with transaction.atomic():
        row = _store(name, parsed, position)
        transaction.on_commit(config_version_bump)
    return row


def _store(name: str, parsed: ParsedConfiguration, position: int | None) -> EnrichmentConfig:
    fields = {"schema": parsed.schema_key, "enabled": parsed.enabled, "configuration": parsed.document}
    if position is not None:
        fields["position"] = position
    row, _ = EnrichmentConfig.objects.update_or_create(name=name, defaults=fields)
    return row


def enrichment_config_enable(row: EnrichmentConfig, enabled: bool) -> EnrichmentConfig:
    """Switch an enrichment on or off, keeping `data.enabled` of its JSON in step."""
    document = json.loads(json.dumps(row.configuration))
    document["data"]["enabled"] = enabled
    return enrichment_config_save(row.name, document)


def read_configuration_files(directory: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """(name, document) pairs of a directory of Snowplow enrichment files, and the problems reading them.

    A file holds one enrichment configuration, or the `enrichments` registry JSON whose data is a list of them.
    Names are file stems (a registry file names each by its enrichment, numbered when repeated).
    """
    found, errors = [], []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            errors.append(f"{path.name}: not JSON: {error}")
            continue
        if _is_registry(document):
            found.extend(_registry_entries(document["data"]))
        else:
            found.append((_slug(path.stem), document))
    return found, errors


def _is_registry(document: Any) -> bool:
    try:
        key = iglu.parse_schema_key(document["schema"])
    except (TypeError, KeyError, iglu.InvalidSchemaKey):
        return False
    return iglu.SchemaCriterion.parse(REGISTRY_CRITERION).matches(key)


def _registry_entries(items: Any) -> list[tuple[str, dict[str, Any]]]:
    entries, seen = [], {}
    for item in items if isinstance(items, list) else []:
        name = str((item.get("data") or {}).get("name") or "enrichment") if isinstance(item, dict) else "enrichment"
        seen[name] = seen.get(name, 0) + 1
        entries.append((_slug(name if seen[name] == 1 else f"{name}-{seen[name]}"), item))
    return entries


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:128] or "enrichment"


def enrichments_import(directory: Path, *, replace: bool = False) -> list[EnrichmentConfig]:
    """Import every configuration file of `directory` in one transaction; any problem imports nothing.

    Raises ConfigInvalid whose errors name the file or entry of each problem. With `replace`, configurations
    not in the directory are deleted.
    """
    entries, errors = read_configuration_files(directory)
    parsed = []
    for position, (name, document) in enumerate(entries):
        try:
            parsed.append((name, check_configuration(document), position))
        except ConfigInvalid as error:
            errors.extend(f"{name}: {message}" for message in error.errors)
    if errors:
        raise ConfigInvalid(errors)
    with transaction.atomic():
        rows = [_store(name, item, position) for name, item, position in parsed]
        if replace:
            EnrichmentConfig.objects.exclude(name__in=[name for name, _, _ in parsed]).delete()
        transaction.on_commit(config_version_bump)
    return rows


def enrichments_export(directory: Path) -> list[Path]:
    """Write each stored configuration to `<name>.json`, as Snowplow reads them."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for row in EnrichmentConfig.objects.all():
        path = target / f"{row.name}.json"
        path.write_text(json.dumps(row.configuration, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def enrichment_defaults_ensure() -> bool:
    """Load the default configurations when none are stored (first start); return whether it did."""
    if EnrichmentConfig.objects.exists():
        return False
    try:
        enrichments_import(DEFAULTS_DIR)
    except ConfigInvalid as error:  # a bug in the shipped defaults: say so loudly, run with built-ins only
        logger.error("Default enrichment configurations are invalid: %s", error)
        return False
    return True


def list_enabled_configurations() -> list[tuple[EnrichmentConfig, ParsedConfiguration]]:
    """Enabled, valid configurations in stored order; an invalid stored one is logged and skipped."""
    enabled = []
    for row in EnrichmentConfig.objects.filter(enabled=True):
        try:
            enabled.append((row, check_configuration(row.configuration)))
        except ConfigInvalid as error:
            logger.error("Enrichment configuration %s is invalid and skipped: %s", row.name, error)
    return enabled


def is_repeatable(enrichment_name: str) -> bool:
    return enrichment_name in REPEATABLE
