"""Refreshing enrichment files: databases and lists referenced by URI, and the GeoIP databases for geography.

Files are downloaded next to their target and renamed over it, so workers keep enriching with the old file until
the new one is complete; they notice the new file at their next refresh (`Enrichment.refresh`), without a restart.

Reliability of the beat task: idempotent (a file younger than the update period is left alone), not retried
(the next run tries again), and a failing download is logged and leaves the old file in place.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from celery import shared_task
from django.conf import settings

from enrichment.configuration import list_enabled_configurations
from enrichment.enrichments.assets import asset_fetch, file_download, local_path
from enrichment.enrichments.base import Asset
from enrichment.enrichments.ip_lookups import IpLookupsConfig
from enrichment.enrichments.registry import get_enrichment_class

logger = logging.getLogger(__name__)

DAY_SECONDS = 86_400
MAXMIND_URL = "https://download.maxmind.com/app/geoip_download?edition_id={edition}&license_key={key}&suffix=tar.gz"
DBIP_URL = "https://download.db-ip.com/free/dbip-{edition}-lite-{month}.mmdb.gz"
DBIP_EDITIONS = {"GeoLite2-City.mmdb": "city", "GeoIP2-City.mmdb": "city", "GeoLite2-ASN.mmdb": "asn"}
DEFAULT_GEO_ASSET = Asset(uri="var://geoip", database="GeoLite2-City.mmdb")


@dataclass
class UpdateReport:
    updated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def enrichment_assets_update(force: bool = False) -> UpdateReport:
    """Download the remote files of every enabled enrichment that are missing or older than the update period."""
    max_age = None if force else settings.ENRICHMENT_ASSETS_UPDATE_DAYS * DAY_SECONDS
    report = UpdateReport()
    for row, parsed in list_enabled_configurations():
        cls = get_enrichment_class(parsed.enrichment_name)
        for asset in cls.assets_of(parsed.config) if cls else []:
            try:
                if asset_fetch(asset, max_age_seconds=max_age):
                    report.updated.append(str(local_path(asset)))
            except (OSError, ValueError) as error:
                logger.error("Updating %s/%s for %s failed: %s", asset.uri, asset.database, row.name, error)
                report.failed.append(f"{asset.uri}/{asset.database}: {error}")
    return report


def geoip_targets() -> list[Asset]:
    """Where ip_lookups reads its databases: the configured local files (var:// or file://) or the default."""
    targets = []
    for _, parsed in list_enabled_configurations():
        if isinstance(parsed.config, IpLookupsConfig):
            targets += [asset for asset in (parsed.config.geo, parsed.config.asn) if asset is not None]
    return [asset for asset in targets if asset.uri.startswith(("var://", "file://"))] or [DEFAULT_GEO_ASSET]


def geoip_url(source: str, database: str, license_key: str | None, base_url: str | None, today: dt.date) -> str:
    """The download URL of a database from MaxMind (GeoLite2, needs a licence key) or DB-IP (lite, no key)."""
    edition = database.removesuffix(".mmdb")
    if source == "maxmind":
        if not license_key:
            raise ValueError("MaxMind downloads need a licence key (MAXMIND_LICENSE_KEY)")
        url = MAXMIND_URL.format(edition=edition.replace("GeoIP2", "GeoLite2"), key=license_key)
    elif source == "dbip":
        url = DBIP_URL.format(edition=DBIP_EDITIONS.get(database, "city"), month=today.strftime("%Y-%m"))
    else:
        raise ValueError(f"unknown GeoIP source {source!r}: maxmind or dbip")
    if base_url:
        url = base_url.rstrip("/") + "/" + url.split("/", 3)[3]
    return url


def geoip_databases_update(source: str, license_key: str | None = None, base_url: str | None = None,
                           targets: list[Asset] | None = None) -> list[Path]:
    """Download fresh GeoIP databases into the files ip_lookups reads; return the files written."""
    written = []
    for asset in targets or geoip_targets():
        url = geoip_url(source, asset.database, license_key, base_url, dt.date.today())
        written.append(file_download(url, local_path(asset), asset.database))
    return written


@shared_task(name="enrichment.assets_update", ignore_result=True)
def assets_update_task() -> int:
    """Beat: refresh enrichment files, and GeoIP databases when a source is configured."""
    report = enrichment_assets_update()
    source = settings.ENRICHMENT_GEOIP_SOURCE
    if source and _geoip_due():
        try:
            report.updated += [str(path) for path in geoip_databases_update(source, settings.MAXMIND_LICENSE_KEY)]
        except (OSError, ValueError) as error:
            logger.error("GeoIP update from %s failed: %s", source, error)
    return len(report.updated)


def _geoip_due() -> bool:
    max_age = settings.ENRICHMENT_ASSETS_UPDATE_DAYS * DAY_SECONDS
    for asset in geoip_targets():
        path = local_path(asset)
        if not path.exists() or dt.datetime.now().timestamp() - path.stat().st_mtime > max_age:
            return True
    return False
