"""Import a directory of Snowplow enrichment configuration JSON files (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrichment.configuration import enrichments_import
from enrichment.enrichments.base import ConfigInvalid


class Command(BaseCommand):
    help = "Import Snowplow enrichment JSON files from a directory; nothing is imported if any file is wrong."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--replace", action="store_true", help="delete configurations not in the directory")

    def handle(self, *args, **options) -> None:
        if not options["directory"].is_dir():
            raise CommandError(f"{options['directory']} is not a directory")
        try:
            rows = enrichments_import(options["directory"], replace=options["replace"])
        except ConfigInvalid as error:
            raise CommandError("Nothing imported:\n  " + "\n  ".join(error.errors)) from None
        for row in rows:
            self.stdout.write(f"{row.name}: {row.schema} ({'enabled' if row.enabled else 'disabled'})")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(rows)} enrichment configurations."))
