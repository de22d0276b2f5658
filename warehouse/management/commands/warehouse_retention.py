"""Apply the warehouse retention settings now (the warehouse.apply_retention task does it daily)."""

import json

from django.core.management.base import BaseCommand

from warehouse.retention import retention_apply


class Command(BaseCommand):
    help = "Drop events, bad rows and archived payloads older than the WAREHOUSE_*_DAYS settings; print a report."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(retention_apply().as_dict()))
