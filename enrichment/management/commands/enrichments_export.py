"""Export every enrichment configuration as a Snowplow enrichment JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from enrichment.configuration import enrichments_export


class Command(BaseCommand):
    help = "Write each enrichment configuration to DIRECTORY/<name>.json in Snowplow's format."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options) -> None:
        written = enrichments_export(options["directory"])
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {options['directory']}."))
