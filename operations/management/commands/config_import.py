"""Import a configuration directory written by config_export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.configuration import ConfigImportError, config_import


class Command(BaseCommand):
    help = "Create or update the configuration from a directory written by config_export, in one transaction."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--prune", action="store_true",
                            help="Also delete rows of each imported section that the files do not list.")

    def handle(self, *args, directory: str, prune: bool = False, **options) -> None:
        try:
            report = config_import(Path(directory), prune=prune)
        except (ConfigImportError, ValueError) as error:
            raise CommandError(str(error)) from error
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {count}")
        if report.skipped:
            self.stdout.write(f"not installed here, skipped: {', '.join(report.skipped)}")
