"""Replay archived payloads of a time range, or selected bad rows, through the current configuration."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from warehouse.archive import archived_payloads
from warehouse.management.commands._options import parse_moment
from warehouse.replay import replay_archive, replay_bad_rows


class Command(BaseCommand):
    help = (
        "Replay the raw archive between --from and --to, or bad rows (--bad-rows), through the current "
        "configuration. Replays are de-duplicated: running the same one twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="start of the range (ISO 8601, UTC unless an offset is given)")
        parser.add_argument("--to", dest="end", help="end of the range, exclusive")
        parser.add_argument("--bad-rows", action="store_true", help="replay bad rows instead of the archive")
        parser.add_argument("--type", help="only bad rows of this type (e.g. schema_violations)")
        parser.add_argument("--status", default="new", help="only bad rows with this status (default: new)")
        parser.add_argument("--ids", help="only these bad row ids, comma-separated")
        parser.add_argument("--run", default="replay", help="replay name; a new name reprocesses replayed payloads")

    def handle(self, *args, **options):
        if options["bad_rows"]:
            report = self._bad_rows(options)
        else:
            if not (options["start"] and options["end"]):
                raise CommandError("give --from and --to, or --bad-rows")
            start, end = parse_moment(options["start"]), parse_moment(options["end"])
            total = sum(1 for _ in archived_payloads(start, end))
            with tqdm(total=total, unit="payload", desc="replay", disable=options["verbosity"] == 0) as bar:
                report = replay_archive(start, end, run=options["run"], progress=bar.update)
        self.stdout.write(json.dumps(report.as_dict()))

    def _bad_rows(self, options):
        from enrichment.models import BadRow

        rows = BadRow.objects.filter(payload__isnull=False).order_by("id")
        if options["ids"]:
            rows = rows.filter(id__in=[int(part) for part in options["ids"].split(",") if part.strip()])
        else:
            rows = rows.filter(status=options["status"])
        if options["type"]:
            rows = rows.filter(type=options["type"])
        if options["start"]:
            rows = rows.filter(first_seen__gte=parse_moment(options["start"]))
        if options["end"]:
            rows = rows.filter(first_seen__lt=parse_moment(options["end"]))
        rows = list(rows)
        with tqdm(total=len(rows), unit="bad row", desc="replay", disable=options["verbosity"] == 0) as bar:
            return replay_bad_rows(rows, run=options["run"], progress=bar.update)
