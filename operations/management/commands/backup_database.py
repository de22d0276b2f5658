"""Back up the database (embedded or external) to a pg_dump custom-format file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, database_backup, default_backup_path


class Command(BaseCommand):
    help = "Back up the whole PostgreSQL database with pg_dump (custom format). Restore with restore_database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="Where to write the dump (default: var/backups/...).")

    def handle(self, *args, path: str | None = None, **options) -> None:
        try:
            written = database_backup(Path(path) if path else default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
