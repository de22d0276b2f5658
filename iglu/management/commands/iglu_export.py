"""Export the database registry as schemas/vendor/name/format/M-R-A files (Iglu Central's layout)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from iglu.importing import schemas_export
from iglu.models import Schema


class Command(BaseCommand):
    help = "Export the database registry to DIR/schemas/vendor/name/format/M-R-A."

    def add_arguments(self, parser):
        parser.add_argument("target", help="directory to write into")

    def handle(self, *args, target, **options):
        count = schemas_export(Path(target), Schema.objects.order_by("vendor", "name", "model", "revision", "addition"))
        self.stdout.write(f"exported {count} schemas to {Path(target) / 'schemas'}")
