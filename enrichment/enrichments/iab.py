"""IAB spiders and robots: the `spiders_and_robots` context from the user agent and the IP address (spec 3).

IAB/ABC's lists are commercial. When configured (`uri` pointing at your copies), their files are read as IAB
publishes them: one entry per line, `pattern|active flag|exception patterns|primary impact|...`, patterns matched
as case-insensitive substrings, and CIDRs one per line in the IP file. With the default `builtin://open-bot-data`
URI the shipped stand-ins are read instead and the open patterns of the `crawlerdetect` package (MIT, maintained)
exclude robots too. Checks in IAB's order: IP exclude, then user-agent include (skipped when the include list
is empty), then user-agent exclude. Runs before anon_ip, so it sees the real address.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from enrichment.enrichments.assets import local_path
from enrichment.enrichments.base import Asset, Enrichment, sdj
from enrichment.enrichments.ip_lookups import normalise_ip

logger = logging.getLogger(__name__)

CONTEXT_SCHEMA = "iglu:com.iab.snowplow/spiders_and_robots/jsonschema/1-0-0"
OPEN_DATA_SCHEME = "builtin://"
IMPACTS = {"0": "PAGE_IMPRESSIONS", "1": "AD_IMPRESSIONS", "2": "PAGE_AND_AD_IMPRESSIONS"}
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class IabConfig:
    ip_file: Asset
    exclude_file: Asset
    include_file: Asset
    include_useragents: tuple[str, ...]
    exclude_useragents: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    pattern: str
    active: bool
    exceptions: tuple[str, ...]
    impact: str

    def matches(self, lowered_ua: str) -> bool:
        return self.pattern in lowered_ua and not any(exception in lowered_ua for exception in self.exceptions)


def read_entries(path: Any) -> list[Entry]:
    """IAB list entries of a file (missing file: none, logged)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        logger.error("IAB list %s unreadable: %s", path, error)
        return []
    entries = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        fields = [*line.split("|"), "1", "", ""]
        exceptions = tuple(part.strip().lower() for part in fields[2].split(",") if part.strip())
        entries.append(Entry(fields[0].strip().lower(), fields[1].strip() != "0", exceptions,
                             IMPACTS.get(fields[3].strip(), "UNKNOWN")))
    return entries


def read_networks(path: Any) -> list[Any]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        logger.error("IAB IP list %s unreadable: %s", path, error)
        return []
    networks = []
    for line in lines:
        text = line.split("|")[0].strip()
        if text and not text.startswith("#"):
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                logger.warning("IAB IP list %s: not a CIDR: %r", path, text)
    return networks


def verdict(spider: bool, category: str, reason: str, impact: str) -> dict[str, Any]:
    return {"spiderOrRobot": spider, "category": category, "reason": reason, "primaryImpact": impact}


BROWSER = verdict(False, "BROWSER", "PASSED_ALL", "NONE")


class IabEnrichment(Enrichment):
    name = "iab_spiders_and_robots_enrichment"
    identifier = "iab-spiders-and-robots"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/iab_spiders_and_robots_enrichment/jsonschema/1-*-*"
    output_schemas = (CONTEXT_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> IabConfig:
        parameters = data.get("parameters") or {}
        return IabConfig(
            ip_file=Asset.from_parameter(parameters["ipFile"]),
            exclude_file=Asset.from_parameter(parameters["excludeUseragentFile"]),
            include_file=Asset.from_parameter(parameters["includeUseragentFile"]),
            include_useragents=tuple(ua.lower() for ua in parameters.get("includeUseragents") or ()),
            exclude_useragents=tuple(ua.lower() for ua in parameters.get("excludeUseragents") or ()),
        )

    @classmethod
    def assets_of(cls, config: IabConfig) -> list[Asset]:
        return [config.ip_file, config.exclude_file, config.include_file]

    def __init__(self, config: IabConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.networks = read_networks(local_path(config.ip_file))
        includes = [Entry(ua, True, (), "UNKNOWN") for ua in config.include_useragents]
        self.includes = read_entries(local_path(config.include_file)) + includes
        excludes = [Entry(ua, True, (), "UNKNOWN") for ua in config.exclude_useragents]
        self.excludes = read_entries(local_path(config.exclude_file)) + excludes
        self.crawlers = None
        if config.exclude_file.uri.startswith(OPEN_DATA_SCHEME):
            from crawlerdetect import CrawlerDetect

            self.crawlers = CrawlerDetect()
        self._ua_verdict = lru_cache(maxsize=CACHE_SIZE)(self._ua_verdict_uncached)
        self._ip_excluded = lru_cache(maxsize=CACHE_SIZE)(self._ip_excluded_uncached)

    def enrich(self, ctx: Any) -> None:
        event = ctx.event
        useragent, ip = event.get("useragent"), normalise_ip(event.get("user_ipaddress"))
        if event.get("derived_tstamp") is None or (not useragent and ip is None):
            return
        if ip is not None and self._ip_excluded(ip):
            result = verdict(True, "SPIDER_OR_ROBOT", "FAILED_IP_EXCLUDE", "UNKNOWN")
        else:
            result = self._ua_verdict(useragent or "")
        ctx.derived_contexts.append(sdj(CONTEXT_SCHEMA, dict(result)))

    def _ip_excluded_uncached(self, ip: str) -> bool:
        address = ipaddress.ip_address(ip)
        return any(address in network for network in self.networks)

    def _ua_verdict_uncached(self, useragent: str) -> dict[str, Any]:
        lowered = useragent.lower()
        if self.includes and not any(entry.matches(lowered) for entry in self.includes):
            return verdict(True, "SPIDER_OR_ROBOT", "FAILED_UA_INCLUDE", "UNKNOWN")
        for entry in self.excludes:
            if entry.matches(lowered):
                category = "ACTIVE_SPIDER_OR_ROBOT" if entry.active else "INACTIVE_SPIDER_OR_ROBOT"
                return verdict(True, category, "FAILED_UA_EXCLUDE", entry.impact)
        if self.crawlers is not None and useragent and self.crawlers.isCrawler(useragent):
            return verdict(True, "ACTIVE_SPIDER_OR_ROBOT", "FAILED_UA_EXCLUDE", "UNKNOWN")
        return BROWSER
