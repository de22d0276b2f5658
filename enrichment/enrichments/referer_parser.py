"""Referer parser: refr_medium, refr_source and refr_term from the referrer URL (spec 3, scala-referer-parser).

The referer database is a JSON file in Snowplow's `referers-latest.json` format, `{medium: {source: {domains,
parameters}}}`, fetched from the configured `uri`/`database` (so Snowplow's own hosted file works unchanged).
The default configuration reads `builtin://referers/referers.json`: a database this project authors and maintains in
`enrichment/enrichments/data/referers.json`, covering the major search engines, social networks, webmail providers
and ad networks. Custom `referrers` from the configuration are merged over the file (enrich 6.9.0).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from enrichment.enrichments.assets import WatchedFile, local_path
from enrichment.enrichments.base import Asset, ConfigInvalid, Enrichment
from enrichment.raw import parse_querystring

logger = logging.getLogger(__name__)

MEDIUMS = ("search", "social", "email", "paid", "internal", "unknown")
SCHEMES = {"http", "https", "android-app"}
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Source:
    medium: str
    name: str
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class RefererParserConfig:
    internal_domains: frozenset[str]
    database: Asset
    referrers: dict[str, Any]  # custom {medium: {source: {domains, parameters}}}, merged over the file


def build_index(*databases: dict[str, Any]) -> dict[str, Source]:
    """Map each domain (with an optional path) to its source; later databases win."""
    index: dict[str, Source] = {}
    for database in databases:
        for medium, sources in database.items():
            for name, entry in sources.items():
                source = Source(medium, name, tuple(entry.get("parameters") or ()))
                for domain in entry.get("domains") or ():
                    index[domain.lower()] = source
    return index


def check_database(database: Any, where: str) -> list[str]:
    """Problems with a referer database's shape, each naming where."""
    if not isinstance(database, dict):
        return [f"{where}: must be an object of mediums"]
    errors = []
    for medium, sources in database.items():
        if medium not in MEDIUMS:
            errors.append(f"{where}: unknown medium {medium!r} (expected one of {', '.join(MEDIUMS)})")
        elif not isinstance(sources, dict) or not all(
                isinstance(entry, dict) and isinstance(entry.get("domains"), list) for entry in sources.values()):
            errors.append(f"{where}.{medium}: each source needs a list of domains")
    return errors


def candidate_keys(host: str, path: str) -> list[str]:
    """Keys tried in order: host+path, host+first path segment, host, then ever shorter host suffixes."""
    keys = []
    while host:
        if path and path != "/":
            keys.append(host + path)
            first = "/" + path.strip("/").split("/", 1)[0]
            if first != path:
                keys.append(host + first)
        keys.append(host)
        host = host.partition(".")[2]
    return keys


class RefererParserEnrichment(Enrichment):
    name = "referer_parser"
    identifier = "referer-parser"
    criterion = "iglu:com.snowplowanalytics.snowplow/referer_parser/jsonschema/2-*-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> RefererParserConfig:
        parameters = data.get("parameters") or {}
        referrers = parameters.get("referrers") or {}
        errors = check_database(referrers, "parameters.referrers")
        if errors:
            raise ConfigInvalid(errors)
        return RefererParserConfig(
            internal_domains=frozenset(domain.lower() for domain in parameters.get("internalDomains") or ()),
            database=Asset.from_parameter(parameters),
            referrers=referrers,
        )

    @classmethod
    def assets_of(cls, config: RefererParserConfig) -> list[Asset]:
        return [config.database]

    def __init__(self, config: RefererParserConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.path = local_path(config.database)
        self.watch = WatchedFile(None)
        self.index: dict[str, Source] = {}
        self._classify = lru_cache(maxsize=CACHE_SIZE)(self._classify_uncached)
        self.refresh()

    def refresh(self) -> None:
        if not self.watch.changed(self.path):
            return
        self.watch.mark(self.path)
        try:
            database = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            logger.error("Referer database %s unreadable (%s); only custom referrers are known", self.path, error)
            database = {}
        problems = check_database(database, str(self.path))
        if problems:
            logger.error("Referer database %s ignored: %s", self.path, "; ".join(problems))
            database = {}
        self.index = build_index(database, self.config.referrers)
        self._classify.cache_clear()

    def enrich(self, ctx: Any) -> None:
        event = ctx.event
        host = event.get("refr_urlhost")
        if not host or event.get("refr_urlscheme") not in SCHEMES:
            return
        medium, source, term = self._classify(host, event.get("refr_urlpath") or "", event.get("refr_urlquery"),
                                              event.get("page_urlhost"))
        event["refr_medium"] = medium
        if source is not None:
            event["refr_source"] = source
        if term is not None:
            event["refr_term"] = term

    def _classify_uncached(self, host: str, path: str, query: str | None,
                           page_host: str | None) -> tuple[str, str | None, str | None]:
        host = host.lower()
        if host == page_host or host in self.config.internal_domains:
            return "internal", None, None
        index = self.index
        source = next((index[key] for key in candidate_keys(host, path) if key in index), None)
        if source is None:
            return "unknown", None, None
        return source.medium, source.name, self._term(source, query)

    @staticmethod
    def _term(source: Source, query: str | None) -> str | None:
        if not source.parameters or not query:
            return None
        values = dict(parse_querystring(query))
        for parameter in source.parameters:
            value = values.get(parameter)
            if value:
                return value.replace("\t", " ").replace("\n", " ")
        return None
