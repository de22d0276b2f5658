"""Export the configuration (sites, schemas, enrichments, webhooks, goals, alerts, ...) as JSON files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from operations.configuration import config_export


class Command(BaseCommand):
    help = "Write the whole configuration as one JSON file per section into a directory."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options) -> None:
        report = config_export(Path(directory))
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {count}")
        if report.skipped:
            self.stdout.write(f"not installed here: {', '.join(report.skipped)}")
