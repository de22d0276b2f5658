"""Snowplow's resolver configuration (`iglu_resolver.json`) parsed into a Resolver, plus the process-wide one.

A Snowplow user's file works unchanged: an SDJ of `iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-*`
with `cacheSize`, optional `cacheTtl` and `repositories` (`embedded` or `http` connections). The built-in
schemas and the database registry are always added in front, as iglu-scala-client adds its bootstrap repository.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from iglu.errors import IgluError
from iglu.keys import SchemaCriterion, parse_schema_key
from iglu.repositories import BuiltinRepository, DatabaseRepository, EmbeddedRepository, HttpRepository, Repository
from iglu.resolver import Resolver
from iglu.validation import SchemaValidator

logger = logging.getLogger(__name__)

RESOLVER_CONFIG_CRITERION = SchemaCriterion.parse("iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-*")
LATEST_RESOLVER_CONFIG = "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3"
DEFAULT_CACHE_SIZE = 500
DEFAULT_CACHE_TTL_SECONDS = 600


class ResolverConfigError(IgluError, ValueError):
    """The resolver configuration is not one Snowplow's client would accept; the message lists why."""


def parse_resolver_config(config: dict[str, Any] | str, base_dir: Path | None = None) -> Resolver:
    """Check a resolver configuration (SDJ or its `data`) against its schema and build the Resolver."""
    data = _config_data(json.loads(config) if isinstance(config, str) else config)
    repositories: list[Repository] = [BuiltinRepository(name="Built-in schemas")]
    if getattr(settings, "IGLU_DATABASE_REGISTRY", True):
        repositories.append(DatabaseRepository(name="Database registry"))
    names = {repo.name for repo in repositories}
    for entry in data["repositories"]:
        if entry["name"] in names:
            raise ResolverConfigError(f"Repository name {entry['name']!r} is used twice; names must be unique")
        names.add(entry["name"])
        repositories.append(_repository(entry, base_dir or Path(settings.BASE_DIR)))
    # Deliberate difference: with no cacheTtl Snowplow caches forever; we expire after 10 minutes so that a
    # schema published to a remote registry is picked up without a restart. `"cacheTtl": null` still means forever.
    ttl = data.get("cacheTtl", DEFAULT_CACHE_TTL_SECONDS)
    return Resolver(repositories, cache_size=int(data["cacheSize"]), cache_ttl=ttl)


def _config_data(config: Any) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise ResolverConfigError("A resolver configuration must be a JSON object")
    uri = LATEST_RESOLVER_CONFIG
    if "schema" in config and "data" in config:
        uri, config = config["schema"], config["data"]
        try:
            key = parse_schema_key(uri)
        except IgluError as error:
            raise ResolverConfigError(str(error)) from error
        if not RESOLVER_CONFIG_CRITERION.matches(key):
            raise ResolverConfigError(f"{uri} is not a resolver configuration schema ({RESOLVER_CONFIG_CRITERION})")
    schema = BuiltinRepository(name="bootstrap").lookup(parse_schema_key(uri))
    reports = SchemaValidator(schema).errors(config)
    if reports:
        raise ResolverConfigError("; ".join(report["message"] for report in reports))
    return config


def _repository(entry: dict[str, Any], base_dir: Path) -> Repository:
    common = {
        "name": entry["name"],
        "priority": entry["priority"],
        "vendor_prefixes": tuple(entry.get("vendorPrefixes", ())),
    }
    connection = entry["connection"]
    if "http" in connection:
        http = connection["http"]
        return HttpRepository(**common, uri=http["uri"], apikey=http.get("apikey"))
    root = Path(connection["embedded"]["path"])
    return EmbeddedRepository(**common, root=root if root.is_absolute() else base_dir / root)


def default_resolver_config() -> dict[str, Any]:
    """The configuration used when IGLU_RESOLVER_CONFIG is not set: built-in schemas and the database only."""
    return {"schema": LATEST_RESOLVER_CONFIG, "data": {"cacheSize": DEFAULT_CACHE_SIZE, "repositories": []}}


_resolver: Resolver | None = None
_resolver_lock = threading.Lock()


def get_resolver() -> Resolver:
    """The process-wide resolver, built lazily from settings.IGLU_RESOLVER_CONFIG (a path or a dict)."""
    global _resolver
    resolver = _resolver
    if resolver is None:
        with _resolver_lock:
            if _resolver is None:
                _resolver = _resolver_from_settings()
            resolver = _resolver
    return resolver


def reset_resolver() -> None:
    """Forget the process-wide resolver so that the next call re-reads the configuration."""
    global _resolver
    with _resolver_lock:
        _resolver = None


def resolver_config_import(text: str | bytes, file_name: str = "", user: Any = None) -> Any:
    """Store an uploaded `iglu_resolver.json` once it parses and validates; it becomes the configuration in use.

    Raises ResolverConfigError naming the problem (bad JSON, not a resolver configuration, duplicate names...);
    nothing is stored then. Caches are dropped after the commit and workers are told to reload (DESIGN 10).
    """
    from iglu.models import ResolverConfig
    from iglu.publishing import _bump_configuration_version

    try:
        config = json.loads(text)
    except ValueError as error:
        raise ResolverConfigError(f"The file is not valid JSON: {error}") from error
    if isinstance(config, dict) and not ("schema" in config and "data" in config):
        config = {"schema": LATEST_RESOLVER_CONFIG, "data": config}
    parse_resolver_config(config)
    with transaction.atomic():
        row = ResolverConfig.objects.create(
            configuration=config,
            file_name=file_name[:255],
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(_forget_resolver)
        transaction.on_commit(_bump_configuration_version)
    return row


def _forget_resolver() -> None:
    from iglu.api import clear_caches

    clear_caches()


def _imported_config() -> dict[str, Any] | None:
    """The newest configuration imported in the admin, or None (also when the database cannot be asked)."""
    from iglu.models import ResolverConfig

    try:
        row = ResolverConfig.objects.order_by("-uploaded_at", "-pk").values_list("configuration", flat=True).first()
    except Exception as error:  # no database (bench, scripts) or no table yet: settings decide
        logger.debug("No imported resolver configuration: %s", error)
        return None
    return row


def _resolver_from_settings() -> Resolver:
    imported = _imported_config()
    if imported is not None:
        return parse_resolver_config(imported)
    configured = getattr(settings, "IGLU_RESOLVER_CONFIG", None)
    if not configured:
        return parse_resolver_config(default_resolver_config())
    if isinstance(configured, dict):
        return parse_resolver_config(configured)
    path = Path(configured)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ResolverConfigError(f"IGLU_RESOLVER_CONFIG: cannot read {path}: {error}") from error
    return parse_resolver_config(text, base_dir=path.parent)
