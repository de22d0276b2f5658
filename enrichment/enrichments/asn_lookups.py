"""ASN lookups: mark the `asn` context of ip_lookups with `likelyBot` for data-centre networks (spec 3).

The list of bot ASNs comes from `botAsnsFile` (CSV `asn[,name]`, a header line allowed) plus `botAsns` from the
configuration. The default reads `builtin://open-bot-data/bot-asns.csv`, this project's own list of public cloud
and hosting networks. Events from `bypassPlatforms` (for example `srv`: server-side trackers run in data centres)
are left unmarked. Needs ip_lookups with an `asn` database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.assets import local_path
from enrichment.enrichments.base import Asset, Enrichment
from enrichment.enrichments.ip_lookups import ASN_SCHEMA

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AsnLookupsConfig:
    bot_asns_file: Asset | None
    bot_asns: frozenset[int]
    bypass_platforms: frozenset[str]


def read_bot_asns(path: Any) -> set[int]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        logger.error("Bot ASN list %s unreadable: %s", path, error)
        return set()
    numbers = set()
    for line in lines:
        first = line.split(",", 1)[0].strip().upper().removeprefix("AS")
        if first.isdigit():
            numbers.add(int(first))
    return numbers


class AsnLookupsEnrichment(Enrichment):
    name = "asn_lookups"
    identifier = "asn-lookups"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/asn_lookups/jsonschema/1-*-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> AsnLookupsConfig:
        parameters = data.get("parameters") or {}
        file = parameters.get("botAsnsFile")
        return AsnLookupsConfig(
            bot_asns_file=Asset.from_parameter(file) if file else None,
            bot_asns=frozenset(int(entry["asn"]) for entry in parameters.get("botAsns") or ()),
            bypass_platforms=frozenset(parameters.get("bypassPlatforms") or ()),
        )

    @classmethod
    def assets_of(cls, config: AsnLookupsConfig) -> list[Asset]:
        return [config.bot_asns_file] if config.bot_asns_file else []

    def __init__(self, config: AsnLookupsConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        from_file = read_bot_asns(local_path(config.bot_asns_file)) if config.bot_asns_file else set()
        self.bot_asns = frozenset(from_file | config.bot_asns)

    def enrich(self, ctx: Any) -> None:
        if ctx.event.get("platform") in self.config.bypass_platforms:
            return
        for context in ctx.derived_contexts:
            if context["schema"] == ASN_SCHEMA:
                context["data"]["likelyBot"] = context["data"].get("number") in self.bot_asns
