"""Configuration as code: the whole configuration as a directory of JSON files, exported and imported.

One file per section (`sites.json`, `schemas.json`, ...) holding a list of records keyed by natural keys, so
a staging setup can be promoted to production and reviewed in version control. A section names a model by
label; sections whose model is not installed are skipped, so adding one is a line in SECTIONS (with a `save`
hook when the model must be written through its app's service). Secrets are never exported, and on import a
field absent from a record is left as it is, so production keeps its own secrets.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction

logger = logging.getLogger(__name__)
FORMAT = 1
MANIFEST = "manifest.json"

Saver = Callable[[type[models.Model], dict[str, Any], dict[str, Any]], None]  # (model, key, fields)


class ConfigImportError(ValueError):
    """A file is not a configuration export, or a record refers to something that does not exist."""


@dataclass(frozen=True)
class ConfigSection:
    name: str  # the file is <name>.json
    model: str  # "app_label.ModelName"
    key: tuple[str, ...]  # natural key; a foreign key in it is written as the target section's key
    exclude: tuple[str, ...] = ()  # secrets and bookkeeping that do not travel between installations
    save: Saver | None = None  # write through the owning app's service instead of update_or_create

    def get_model(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None


def _save_schema(model: type[models.Model], key: dict[str, Any], fields: dict[str, Any]) -> None:
    from iglu.publishing import schema_publish

    schema_publish(fields["schema"], is_public=fields.get("is_public", False))


def _save_enrichment(model: type[models.Model], key: dict[str, Any], fields: dict[str, Any]) -> None:
    from enrichment.configuration import enrichment_config_save

    enrichment_config_save(key["name"], fields["configuration"], position=fields.get("position"))


SECTIONS: list[ConfigSection] = [
    ConfigSection("sites", "dashboards.Site", ("slug",)),
    ConfigSection("schemas", "iglu.Schema", ("vendor", "name", "format", "version"), save=_save_schema),
    ConfigSection("resolver", "iglu.ResolverConfig", ("name",)),  # when the Iglu app stores one
    ConfigSection("enrichments", "enrichment.EnrichmentConfig", ("name",), save=_save_enrichment),
    ConfigSection("webhooks", "webhooks.WebhookEndpoint", ("vendor", "version"), exclude=("signing_secret",)),
    ConfigSection("remote_adapters", "webhooks.RemoteAdapter", ("vendor", "version")),
    ConfigSection("goals", "warehouse.Goal", ("site", "name")),
    ConfigSection("funnels", "dashboards.Funnel", ("site", "name")),  # when the dashboards app stores funnels
    ConfigSection("alerts", "operations.AlertSettings", ("id",)),
    ConfigSection("recovery_rules", "operations.RecoveryRule", ("name",)),
]


@dataclass
class ConfigReport:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # sections whose model is not installed
    errors: list[str] = field(default_factory=list)


def _fields(section: ConfigSection, model: type[models.Model]) -> list[models.Field]:
    """The fields that travel: concrete, editable, not timestamps kept by Django, not users, not excluded."""
    chosen = []
    for f in model._meta.concrete_fields:
        if f.name in section.exclude or (f.primary_key and f.name not in section.key):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if not f.editable and f.name not in section.key:
            continue
        if f.is_relation and _section_for(f.related_model) is None:
            continue  # users and other rows that are not configuration
        chosen.append(f)
    return chosen


def _section_for(model: type[models.Model]) -> ConfigSection | None:
    return next((s for s in SECTIONS if s.get_model() is model), None)


def _natural_key(obj: models.Model, section: ConfigSection) -> dict[str, Any]:
    model = type(obj)
    return {name: _value(obj, model._meta.get_field(name)) for name in section.key}


def _value(obj: models.Model, f: models.Field) -> Any:
    if f.is_relation:
        target = getattr(obj, f.name)
        return None if target is None else _natural_key(target, _section_for(f.related_model))
    return f.value_from_object(obj)


def config_export(directory: Path) -> ConfigReport:
    """Write one JSON file per installed section and a manifest; return how many records each holds."""
    directory.mkdir(parents=True, exist_ok=True)
    report = ConfigReport()
    for section in SECTIONS:
        model = section.get_model()
        if model is None:
            report.skipped.append(section.name)
            continue
        chosen = _fields(section, model)
        records = [{f.name: _value(obj, f) for f in chosen} for obj in model.objects.all()]
        records.sort(key=lambda r: json.dumps([r.get(k) for k in section.key], sort_keys=True, default=str))
        _write_json(directory / f"{section.name}.json", records)
        report.counts[section.name] = len(records)
    _write_json(directory / MANIFEST, {"format": FORMAT, "exported_at": datetime.now(UTC).isoformat(),
                                       "sections": report.counts})
    return report


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def config_import(directory: Path, prune: bool = False) -> ConfigReport:
    """Create or update every record of every section file present, in dependency order, in one transaction.

    With `prune`, rows of an imported section that the file does not list are deleted. Configuration-version
    bumps from the services run on commit, so workers reload once the import is complete.
    """
    manifest = _read_json(directory / MANIFEST) if (directory / MANIFEST).exists() else None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ConfigImportError(f"{directory / MANIFEST} is not a configuration export of format {FORMAT}.")
    report = ConfigReport()
    with transaction.atomic():
        for section in SECTIONS:
            path, model = directory / f"{section.name}.json", section.get_model()
            if not path.exists():
                continue
            if model is None:
                report.skipped.append(section.name)
                continue
            records = _read_json(path)
            kept = [_import_record(section, model, record) for record in records]
            if prune:
                model.objects.exclude(pk__in=[obj.pk for obj in kept]).delete()
            report.counts[section.name] = len(kept)
    from enrichment.api import config_version_bump

    config_version_bump()
    return report


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ConfigImportError(f"{path}: {error}") from error


def _import_record(section: ConfigSection, model: type[models.Model], record: dict[str, Any]) -> models.Model:
    known = {f.name: f for f in _fields(section, model)}
    values = {name: _resolve(known[name], value) for name, value in record.items() if name in known}
    key = {name: values.pop(name) for name in section.key}
    if section.save is not None:
        section.save(model, key, values)
        return model.objects.get(**key)
    obj, _ = model.objects.update_or_create(**key, defaults=values)
    return obj


def _resolve(f: models.Field, value: Any) -> Any:
    """A foreign key's natural key becomes the row it names."""
    if not f.is_relation or value is None:
        return value
    target_section = _section_for(f.related_model)
    lookup = {name: _resolve(f.related_model._meta.get_field(name), v) for name, v in value.items()}
    obj = f.related_model.objects.filter(**lookup).first()
    if obj is None:
        raise ConfigImportError(f"{target_section.name}: no record {value} (referred to by {f.model.__name__}).")
    return obj
