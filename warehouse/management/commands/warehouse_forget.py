"""Carry out an erasure request (GDPR): delete every row of one person and print what was deleted."""

import json

from django.core.management.base import BaseCommand, CommandError

from warehouse.deletion import IDENTIFIERS, person_delete


class Command(BaseCommand):
    help = (
        "Delete one person's rows from atomic.events, the per-schema and derived tables, the bad rows and the "
        "raw archive, by exactly one of --user-id, --domain-userid or --network-userid; print the report."
    )

    def add_arguments(self, parser):
        for identifier in IDENTIFIERS:
            parser.add_argument(f"--{identifier.replace('_', '-')}", dest=identifier)

    def handle(self, *args, **options):
        given = [(identifier, options[identifier]) for identifier in IDENTIFIERS if options[identifier]]
        if len(given) != 1:
            raise CommandError("give exactly one of --user-id, --domain-userid, --network-userid")
        self.stdout.write(json.dumps(person_delete(*given[0]), indent=2, sort_keys=True))
