"""ua-parser: the `ua_parser_context` and the br_*, os_*, dvce_* atomic fields, from uap-core's regexes.

Parsing uses ua-parser's native resolver (`ua-parser-rs`, Rust regexes, built once per worker) behind an LRU
cache of finished results keyed by user agent, so a repeated user agent costs one dictionary lookup.

Snowplow's only producer of br_*/os_*/dvce_* was the deprecated user-agent-utils enrichment. We fill them from
ua-parser's result whenever ua_parser_config (or user_agent_utils_config) is enabled:

| field           | from ua-parser                                                                      |
|-----------------|-------------------------------------------------------------------------------------|
| br_name         | user agent family and major version, "Chrome 131" (family alone without a major)    |
| br_family       | user agent family, "Chrome", "Mobile Safari", "Firefox"                             |
| br_version      | major.minor.patch.patch_minor as far as known, "131.0.0"                            |
| br_type         | "Robot" (device Spider), "Email Client", "Browser (mobile)", "Browser", "Unknown"   |
| br_renderengine | from the user agent tokens: EDGE_HTML, TRIDENT, PRESTO, GECKO, BLINK, WEBKIT, OTHER |
| os_name         | OS family and major version, "Windows 10", "Android 14", "iOS 17"                   |
| os_family       | OS family, "Windows", "Mac OS X", "Android", "iOS", "Linux"                          |
| os_manufacturer | "Microsoft Corporation", "Apple Inc.", "Google Inc.", "Canonical Ltd.", else "Other" |
| dvce_type       | "Computer", "Mobile", "Tablet", "Game console", "Digital media receiver", "Unknown"  |
| dvce_ismobile   | dvce_type is Mobile or Tablet                                                        |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ua_parser import Domain, load_builtins
from ua_parser.loaders import load_yaml

from enrichment.enrichments.assets import local_path
from enrichment.enrichments.base import Asset, Enrichment, sdj

CONTEXT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0"
CACHE_SIZE = 5_000  # Snowplow's ua_parser LRU size; real traffic hits it ~99% of the time
OTHER = "Other"
MANUFACTURERS = {
    "Windows": "Microsoft Corporation", "Windows Phone": "Microsoft Corporation", "Xbox": "Microsoft Corporation",
    "Mac OS X": "Apple Inc.", "macOS": "Apple Inc.", "iOS": "Apple Inc.", "iPadOS": "Apple Inc.",
    "watchOS": "Apple Inc.", "tvOS": "Apple Inc.", "ATV OS X": "Apple Inc.",
    "Android": "Google Inc.", "Chrome OS": "Google Inc.", "Fuchsia": "Google Inc.",
    "Ubuntu": "Canonical Ltd.", "BlackBerry OS": "BlackBerry Ltd.", "Tizen": "Samsung",
}
DESKTOP_OS = {"Windows", "Mac OS X", "macOS", "Linux", "Ubuntu", "Fedora", "Debian", "Chrome OS", "FreeBSD",
              "OpenBSD", "NetBSD", "Solaris", "Red Hat", "SUSE", "Mint", "Arch Linux", "Gentoo", "Kubuntu"}
MOBILE_OS = {"Android", "iOS", "Windows Phone", "BlackBerry OS", "Symbian OS", "Firefox OS", "KaiOS", "Tizen",
             "webOS", "HarmonyOS", "Sailfish"}
EMAIL_CLIENTS = re.compile(r"Outlook|Thunderbird|Apple Mail|Airmail|Mailbird|Postbox", re.IGNORECASE)
CONSOLES = re.compile(r"PlayStation|Xbox|Nintendo|Wii", re.IGNORECASE)
MEDIA_RECEIVERS = re.compile(r"SmartTV|Smart-TV|SMART-TV|AppleTV|Apple TV|GoogleTV|Roku|BRAVIA|HbbTV|CrKey|AFT",
                             re.IGNORECASE)
TABLETS = re.compile(r"iPad|Tablet|Kindle|Silk|Nexus (7|9|10)|SM-T\d|Tab\b|PlayBook", re.IGNORECASE)
ENGINES = (("Edge/", "EDGE_HTML"), ("Trident", "TRIDENT"), ("MSIE", "TRIDENT"), ("Presto", "PRESTO"),
           ("Gecko/", "GECKO"), ("Chrome/", "BLINK"), ("Chromium", "BLINK"), ("AppleWebKit", "WEBKIT"))


@dataclass(frozen=True)
class UaParserConfig:
    database: Asset | None  # a custom uap-core regexes.yaml; None: the regexes bundled with ua-parser


def _joined(*parts: str | None) -> str | None:
    known = []
    for part in parts:
        if part is None:
            break
        known.append(part)
    return ".".join(known) or None


def _spaced(family: str | None, version: str | None) -> str | None:
    if family is None:
        return None
    return f"{family} {version}" if version else family


def context_data(result: Any) -> dict[str, Any]:
    """Snowplow's ua_parser_context: missing parts are null; versions are "Family major.minor.patch"."""
    ua, os_, device = result.user_agent, result.os, result.device
    ua_family = ua.family if ua else OTHER
    os_family = os_.family if os_ else OTHER
    ua_parts = (ua.major, ua.minor, ua.patch) if ua else (None, None, None)
    os_parts = (os_.major, os_.minor, os_.patch, os_.patch_minor) if os_ else (None, None, None, None)
    return {
        "useragentFamily": ua_family,
        "useragentMajor": ua_parts[0],
        "useragentMinor": ua_parts[1],
        "useragentPatch": ua_parts[2],
        "useragentVersion": _spaced(ua_family, _joined(*ua_parts)),
        "osFamily": os_family,
        "osMajor": os_parts[0],
        "osMinor": os_parts[1],
        "osPatch": os_parts[2],
        "osPatchMinor": os_parts[3],
        "osVersion": _spaced(os_family, _joined(*os_parts)),
        "deviceFamily": device.family if device else OTHER,
    }


def device_type(useragent: str, os_family: str, device_family: str) -> str:
    """User-agent-utils' device types, decided from ua-parser's OS and device families and the UA tokens."""
    if device_family == "Spider":
        return "Unknown"
    if CONSOLES.search(useragent) or CONSOLES.search(device_family):
        return "Game console"
    if MEDIA_RECEIVERS.search(useragent):
        return "Digital media receiver"
    if TABLETS.search(device_family) or TABLETS.search(useragent) or (
            os_family == "Android" and "Mobile" not in useragent):
        return "Tablet"
    if os_family in MOBILE_OS or device_family in {"iPhone", "iPod"}:
        return "Mobile"
    if os_family in DESKTOP_OS:
        return "Computer"
    return "Unknown"


def browser_type(useragent: str, ua_family: str, device_family: str, dvce_type: str) -> str:
    if device_family == "Spider":
        return "Robot"
    if EMAIL_CLIENTS.search(ua_family):
        return "Email Client"
    if ua_family == OTHER:
        return "Unknown"
    return "Browser (mobile)" if dvce_type in {"Mobile", "Tablet"} else "Browser"


def render_engine(useragent: str) -> str:
    for token, engine in ENGINES:
        if token in useragent:
            return engine
    return "OTHER"


def atomic_fields(useragent: str, context: dict[str, Any]) -> dict[str, Any]:
    """The br_*, os_*, dvce_* fields documented in this module's table."""
    ua_family, os_family, device_family = context["useragentFamily"], context["osFamily"], context["deviceFamily"]
    dvce_type = device_type(useragent, os_family, device_family)
    return {
        "br_name": _spaced(ua_family, context["useragentMajor"]),
        "br_family": ua_family,
        "br_version": _joined(context["useragentMajor"], context["useragentMinor"], context["useragentPatch"]),
        "br_type": browser_type(useragent, ua_family, device_family, dvce_type),
        "br_renderengine": render_engine(useragent),
        "os_name": _spaced(os_family, context["osMajor"]),
        "os_family": os_family,
        "os_manufacturer": MANUFACTURERS.get(os_family, OTHER),
        "dvce_type": dvce_type,
        "dvce_ismobile": dvce_type in {"Mobile", "Tablet"},
    }


@lru_cache(maxsize=4)
def build_resolver(regexes_path: str | None) -> Any:
    """The Rust-backed resolver over uap-core's regexes (built once per process: it costs ~1 s)."""
    from ua_parser.regex import Resolver

    return Resolver(load_yaml(regexes_path) if regexes_path else load_builtins())


class UaParserEnrichment(Enrichment):
    name = "ua_parser_config"
    identifier = "ua-parser"
    criterion = "iglu:com.snowplowanalytics.snowplow/ua_parser_config/jsonschema/1-*-*"
    can_fail = True
    output_schemas = (CONTEXT_SCHEMA,)
    adds_context = True

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> UaParserConfig:
        parameters = data.get("parameters") or {}
        if "database" in parameters and "uri" in parameters:
            return UaParserConfig(Asset.from_parameter(parameters))
        return UaParserConfig(None)

    @classmethod
    def assets_of(cls, config: UaParserConfig) -> list[Asset]:
        return [config.database] if config.database else []

    def __init__(self, config: UaParserConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        path = local_path(config.database) if config.database else None
        self.resolver = build_resolver(str(path) if path and path.is_file() else None)
        self._parse = lru_cache(maxsize=CACHE_SIZE)(self._parse_uncached)

    def _parse_uncached(self, useragent: str) -> tuple[dict[str, Any], dict[str, Any]]:
        context = context_data(self.resolver(useragent, Domain.ALL))
        return context, atomic_fields(useragent, context)

    def enrich(self, ctx: Any) -> None:
        useragent = ctx.event.get("useragent")
        if not useragent:
            return
        context, fields = self._parse(useragent)
        ctx.event.update(fields)
        if self.adds_context:
            ctx.derived_contexts.append(sdj(CONTEXT_SCHEMA, dict(context)))
