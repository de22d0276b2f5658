"""Import schemas from an Iglu-Central-style directory or a single file into the database registry."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from iglu.importing import list_schema_files, schemas_import


class Command(BaseCommand):
    help = "Import schemas (schemas/vendor/name/jsonschema/M-R-A layout, or one file) into the database registry."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a directory laid out like Iglu Central, or a single schema file")
        parser.add_argument("--public", action="store_true", help="make imported schemas public")

    def handle(self, *args, source, public, **options):
        path = Path(source)
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        files = list_schema_files(path)
        with tqdm(total=len(files), unit="schema", disable=options["verbosity"] == 0) as bar:
            summary = schemas_import(files, is_public=public, progress=bar.update)
        self.stdout.write(
            f"created {len(summary.created)}, updated {len(summary.updated)}, "
            f"unchanged {len(summary.unchanged)}, rejected {len(summary.rejected)}"
        )
        for file, reason in summary.rejected:
            self.stdout.write(f"rejected {file}: {reason}")
        if summary.rejected and not (summary.created or summary.updated or summary.unchanged):
            raise CommandError("no schema was imported")
