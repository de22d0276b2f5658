"""Download GeoIP databases for the IP lookups enrichment: MaxMind GeoLite2 (licence key) or DB-IP lite (no key)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enrichment.asset_updates import geoip_databases_update


class Command(BaseCommand):
    help = ("Download the City (and ASN, if configured) databases ip_lookups reads. DB-IP's lite databases are "
            "CC BY 4.0 (credit DB-IP); GeoLite2 needs a free MaxMind account and licence key.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", choices=["dbip", "maxmind"], default=settings.ENRICHMENT_GEOIP_SOURCE or "dbip")
        parser.add_argument("--license-key", default=settings.MAXMIND_LICENSE_KEY)
        parser.add_argument("--base-url", help="a mirror to download from instead (same paths)")

    def handle(self, *args, **options) -> None:
        try:
            written = geoip_databases_update(options["source"], options["license_key"], options["base_url"])
        except (OSError, ValueError) as error:
            raise CommandError(f"GeoIP download failed: {error}") from None
        for path in written:
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}; workers switch to it within seconds."))
