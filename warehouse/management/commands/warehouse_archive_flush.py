"""Write finished hours of the raw archive to files now (the warehouse.flush_raw_archive task does it)."""

from django.core.management.base import BaseCommand

from warehouse.archive import raw_archive_flush


class Command(BaseCommand):
    help = "Write every finished hour of archived payloads to a compressed file in the warehouse storage."

    def handle(self, *args, **options):
        for name in raw_archive_flush():
            self.stdout.write(name)
