"""`manage.py privacy_subject {preview,export,delete} IDENTIFIER VALUE`: data-subject requests from scripts.

Thin over privacy.subjects, like the admin screen; exports and deletions are audited (actor `system`).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy.subjects import IDENTIFIERS, get_subject_preview, subject_delete, subject_export


class Command(BaseCommand):
    help = "Preview, export (JSON) or delete everything held about one person."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["preview", "export", "delete"])
        parser.add_argument("identifier", choices=IDENTIFIERS)
        parser.add_argument("value")
        parser.add_argument("--output", help="Export: write the JSON here instead of standard output.")
        parser.add_argument("--yes", action="store_true", help="Delete without asking.")

    def handle(self, *args, action: str, identifier: str, value: str, output: str | None, yes: bool,
               **options) -> None:
        if action == "preview":
            preview = get_subject_preview(identifier, value)
            self.stdout.write(f"{preview.events} events, first {preview.first_seen}, last {preview.last_seen}, "
                              f"app ids {', '.join(preview.app_ids) or '-'}, "
                              f"consent withdrawals {preview.consent_withdrawals}")
        elif action == "export":
            text = json.dumps(subject_export(identifier, value, None), indent=2, default=str)
            if output:
                Path(output).write_text(text, "utf-8")
                self.stderr.write(f"wrote {output}")
            else:
                self.stdout.write(text)
        else:
            if not yes:
                raise CommandError("Deleting needs --yes.")
            self.stdout.write(json.dumps(subject_delete(identifier, value, None), indent=2, default=str))
