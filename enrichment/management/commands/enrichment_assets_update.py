"""Download the files enabled enrichments reference by URI (what the beat task does hourly)."""

from django.core.management.base import BaseCommand, CommandError

from enrichment.asset_updates import enrichment_assets_update


class Command(BaseCommand):
    help = "Fetch missing or stale enrichment files (databases, lists); --force fetches them all."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, **options) -> None:
        report = enrichment_assets_update(force=options["force"])
        for path in report.updated:
            self.stdout.write(f"updated {path}")
        if report.failed:
            raise CommandError("Some files could not be fetched:\n  " + "\n  ".join(report.failed))
        self.stdout.write(self.style.SUCCESS(f"{len(report.updated)} files updated."))
