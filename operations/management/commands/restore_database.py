"""Restore the database from a backup_database dump, replacing what it holds."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore the PostgreSQL database from a dump written by backup_database. Stop the workers first."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path: str, yes: bool = False, **options) -> None:
        if not yes and input(f"Replace the database's contents with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("Cancelled.")
        try:
            database_restore(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {path}. Run `manage.py migrate` if the dump came from an older version.")
