"""IP lookups: geography, ISP, domain, connection type and ASN from MaxMind-format databases (spec 3).

Databases are opened once per worker with maxminddb's C extension (memory-mapped) and re-opened when their file
is replaced (the asset update or the GeoIP command writes a new file, then renames it over the old one). A City
database that is configured but not on disk falls back to the `GEOIP_CITY_DATABASE` setting and then to the demo's
`var/demo-geoip2-city.mmdb`, so geography works on a fresh install. Like Snowplow (snowplow#351) this enrichment
never fails an event: an address that cannot be looked up leaves the fields empty.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import maxminddb
from django.conf import settings

from enrichment.enrichments.assets import WatchedFile, local_path
from enrichment.enrichments.base import Asset, Enrichment, sdj

logger = logging.getLogger(__name__)

ASN_SCHEMA = "iglu:com.snowplowanalytics.snowplow/asn/jsonschema/1-0-1"
CACHE_SIZE = 20_000  # Snowplow's LRU size for IP lookups
DATABASE_KINDS = ("geo", "isp", "domain", "connectionType", "asn")
DEMO_CITY_DATABASE = "demo-geoip2-city.mmdb"


@dataclass(frozen=True)
class IpLookupsConfig:
    geo: Asset | None
    isp: Asset | None
    domain: Asset | None
    connectionType: Asset | None
    asn: Asset | None


def normalise_ip(value: str | None) -> str | None:
    """The address without port or brackets (`1.2.3.4:80`, `[::1]:443`), or None when it is not an address."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def city_fields(record: dict[str, Any]) -> dict[str, Any]:
    """geo_* fields from a GeoIP2/GeoLite2 City record; the region is the most specific subdivision."""
    location = record.get("location") or {}
    subdivisions = record.get("subdivisions") or [{}]
    region = subdivisions[-1]
    return {
        "geo_country": (record.get("country") or {}).get("iso_code"),
        "geo_region": region.get("iso_code"),
        "geo_region_name": (region.get("names") or {}).get("en"),
        "geo_city": ((record.get("city") or {}).get("names") or {}).get("en"),
        "geo_zipcode": (record.get("postal") or {}).get("code"),
        "geo_latitude": location.get("latitude"),
        "geo_longitude": location.get("longitude"),
        "geo_timezone": location.get("time_zone"),
    }


class _Database:
    """One memory-mapped database, re-opened when the file at its path is replaced."""

    def __init__(self, candidates: list[Path]) -> None:
        self.candidates = candidates
        self.watch = WatchedFile(None)
        self.reader: Any = None
        self.refresh()

    def path(self) -> Path | None:
        return next((path for path in self.candidates if path.is_file()), None)

    def refresh(self) -> bool:
        """Re-open if a different or newer file is now the one to read; return whether it changed."""
        path = self.path()
        if not self.watch.changed(path):
            return False
        old, self.reader = self.reader, None
        if path is not None:
            self.reader = open_reader(path)
        self.watch.mark(path if self.reader is not None else None)
        if old is not None:
            old.close()
        return True

    def get(self, ip: str) -> dict[str, Any] | None:
        if self.reader is None:
            return None
        try:
            return self.reader.get(ip)
        except ValueError:  # an IPv6 address against an IPv4-only database
            return None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None


def open_reader(path: Path) -> Any:
    """Open with the C extension; fall back to pure Python loudly (it is ~20x slower); None if unreadable."""
    try:
        mode = maxminddb.MODE_MMAP_EXT
        if not _has_extension():
            logger.warning("maxminddb C extension unavailable; reading %s in pure Python", path)
            mode = maxminddb.MODE_MMAP
        return maxminddb.open_database(str(path), mode)
    except (OSError, ValueError, RuntimeError) as error:  # InvalidDatabaseError is a RuntimeError
        logger.error("Cannot open GeoIP database %s: %s", path, error)
        return None


def _has_extension() -> bool:
    try:
        import maxminddb.extension  # noqa: F401
    except ImportError:
        return False
    return True


def city_fallbacks() -> list[Path]:
    """Where a City database is looked for when the configured file is not on disk."""
    paths = []
    if getattr(settings, "GEOIP_CITY_DATABASE", None):
        paths.append(Path(settings.GEOIP_CITY_DATABASE))
    paths.append(Path(settings.VAR_DIR) / DEMO_CITY_DATABASE)
    return paths


class IpLookupsEnrichment(Enrichment):
    name = "ip_lookups"
    identifier = "ip-lookups"
    criterion = "iglu:com.snowplowanalytics.snowplow/ip_lookups/jsonschema/2-*-*"
    output_schemas = (ASN_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> IpLookupsConfig:
        parameters = data.get("parameters") or {}
        return IpLookupsConfig(**{kind: Asset.from_parameter(parameters[kind]) if kind in parameters else None
                                  for kind in DATABASE_KINDS})

    @classmethod
    def assets_of(cls, config: IpLookupsConfig) -> list[Asset]:
        return [asset for kind in DATABASE_KINDS if (asset := getattr(config, kind)) is not None]

    def __init__(self, config: IpLookupsConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.databases: dict[str, _Database] = {}
        for kind in DATABASE_KINDS:
            asset = getattr(config, kind)
            if asset is not None:
                candidates = [local_path(asset)] + (city_fallbacks() if kind == "geo" else [])
                self.databases[kind] = _Database(candidates)
        self._lookup = lru_cache(maxsize=CACHE_SIZE)(self._lookup_uncached)

    def refresh(self) -> None:
        if any([database.refresh() for database in self.databases.values()]):
            self._lookup.cache_clear()

    def close(self) -> None:
        for database in self.databases.values():
            database.close()

    def enrich(self, ctx: Any) -> None:
        fields, asn = self._lookup(ctx.event.get("user_ipaddress"))
        if fields:
            ctx.event.update(fields)
        if asn is not None:
            ctx.derived_contexts.append(sdj(ASN_SCHEMA, dict(asn)))

    def _lookup_uncached(self, raw_ip: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        ip = normalise_ip(raw_ip)
        if ip is None:
            return None, None
        fields: dict[str, Any] = {}
        databases = self.databases
        if "geo" in databases and (record := databases["geo"].get(ip)):
            fields.update(city_fields(record))
        if "isp" in databases and (record := databases["isp"].get(ip)):
            fields.update(ip_isp=record.get("isp"), ip_organization=record.get("organization"))
        if "domain" in databases and (record := databases["domain"].get(ip)):
            fields["ip_domain"] = record.get("domain")
        if "connectionType" in databases and (record := databases["connectionType"].get(ip)):
            fields["ip_netspeed"] = record.get("connection_type")
        asn = None
        if "asn" in databases and (record := databases["asn"].get(ip)) and record.get("autonomous_system_number"):
            asn = {"number": record["autonomous_system_number"]}
            if record.get("autonomous_system_organization"):
                asn["organization"] = record["autonomous_system_organization"]
        return {key: value for key, value in fields.items() if value is not None} or None, asn
