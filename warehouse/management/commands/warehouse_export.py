"""Export the events of a time range as enriched TSV or JSON lines to the warehouse storage."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from warehouse.exports import FORMATS, events_export, naive_utc
from warehouse.management.commands._options import parse_moment


class Command(BaseCommand):
    help = "Write the events collected between --from and --to to exports/ as gzip TSV (131 columns) or JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="ISO 8601, UTC unless an offset is given")
        parser.add_argument("--to", dest="end", required=True, help="exclusive")
        parser.add_argument("--format", choices=FORMATS, default="tsv")

    def handle(self, *args, **options):
        start, end = parse_moment(options["start"]), parse_moment(options["end"])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM atomic.events WHERE collector_tstamp >= %s AND collector_tstamp < %s",
                [naive_utc(start), naive_utc(end)],
            )
            total = cursor.fetchone()[0]
        with tqdm(total=total, unit="event", desc="export", disable=options["verbosity"] == 0) as bar:
            name, count = events_export(start, end, options["format"], progress=bar.update)
        self.stdout.write(f"{count} events written to {name}")
