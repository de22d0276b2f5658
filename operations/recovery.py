"""Bad-row replay and recovery, through the warehouse's replay of bad rows.

The warehouse processes each row's payload (patched by a recovery rule, or as it is) with the current
configuration and loads it under the manifest key `<run>:badrow:<id>`: the same run twice changes nothing, and
de-duplication on (event_id, fingerprint) keeps events loaded by another run from landing twice. A row whose
payload now gives only good events becomes `recovered`, one still failing `replayed`. Rows are taken with
`SKIP LOCKED` and only while `new`, so two operators acting on the same group never process a row twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from enrichment.models import BadRow
from operations.jsonpatch import PatchError, check_patch, patch_apply
from operations.payload_documents import PayloadDocumentError, payload_document, payload_from_document

logger = logging.getLogger(__name__)
CHUNK = 500
PREVIEW_SAMPLE = 5


@dataclass
class ReplayResult:
    replayed: int = 0  # rows whose payload went through the pipeline again
    recovered: int = 0  # of those, rows whose payload gave only good events
    events_loaded: int = 0
    unreplayable: int = 0  # rows without an original payload (for example size violations)
    errors: dict[int, str] = field(default_factory=dict)  # bad row id -> why its patch failed


@dataclass(frozen=True)
class PreviewItem:
    """One sample row under a rule: the payload before and after, and what the pipeline would make of it."""

    badrow_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    error: str
    good: int
    bad: int
    messages: list[str]


def recovered_payload(data: bytes, patch: list[dict[str, Any]] | None) -> bytes:
    """The payload to replay: the original bytes as they are, or the decoded, patched and re-encoded ones."""
    if not patch:
        return data
    return payload_from_document(patch_apply(payload_document(data), patch))


def fixes_visible() -> None:
    """Forget cached schema lookups: a replay follows a fix (a schema just published), which must count."""
    from iglu.api import clear_caches

    clear_caches()


def replay_run_name(patch: list[dict[str, Any]] | None) -> str:
    """A rule's runs share one name (running it twice is a no-op); each as-is replay is a run of its own."""
    if patch:
        digest = hashlib.sha1(json.dumps(patch, sort_keys=True).encode()).hexdigest()[:12]
        return f"recovery-{digest}"
    return f"replay-{timezone.now():%Y%m%dT%H%M%S.%f}"


def badrows_replay(rows: QuerySet[BadRow], patch: list[dict[str, Any]] | None = None,
                   chunk: int = CHUNK) -> ReplayResult:
    """Replay the `new` rows among `rows`, patched when a rule is given; see the module docstring."""
    from warehouse.api import replay_bad_rows

    if patch:
        check_patch(patch)
    fixes_visible()
    run, result, last_id = replay_run_name(patch), ReplayResult(), 0
    candidates = rows.filter(status=BadRow.Status.NEW).order_by()
    result.unreplayable = candidates.filter(payload__isnull=True).count()
    while True:
        ids = list(candidates.filter(id__gt=last_id, payload__isnull=False).order_by("id")
                   .values_list("id", flat=True)[:chunk])
        if not ids:
            return result
        last_id = ids[-1]
        with transaction.atomic():
            # Rows another replay holds are skipped; the status is checked again under the lock.
            batch = list(BadRow.objects.filter(id__in=ids, status=BadRow.Status.NEW).select_for_update(
                skip_locked=True).order_by("id").only("id", "payload", "status"))
            patched = []
            for row in batch:
                try:  # an unsaved copy carries the patched bytes; the warehouse updates the status by id
                    patched.append(BadRow(id=row.id, payload=recovered_payload(bytes(row.payload), patch),
                                          status=row.status))
                except (PatchError, PayloadDocumentError) as error:
                    result.errors[row.id] = str(error)
            report = replay_bad_rows(patched, run=run)
            result.replayed += len(patched)
            result.events_loaded += report.events_loaded
            result.recovered += BadRow.objects.filter(id__in=[row.id for row in patched],
                                                      status=BadRow.Status.RECOVERED).count()


def recovery_preview(rows: QuerySet[BadRow], patch: list[dict[str, Any]] | None,
                     sample: int = PREVIEW_SAMPLE) -> list[PreviewItem]:
    """Apply the rule to a few rows and run them through enrichment without loading anything."""
    from enrichment.config import get_pipeline
    from enrichment.processing import process_payload
    from iglu.api import RegistryUnavailable
    from operations.badrow_selectors import failure_messages

    if patch:
        check_patch(patch)
    fixes_visible()
    phase_2 = get_pipeline()
    items = []
    for row in rows.filter(payload__isnull=False).order_by("id")[:sample]:
        original = bytes(row.payload)
        before = after = None
        try:
            before = payload_document(original)
            after = patch_apply(before, patch) if patch else before
            outcome = process_payload(recovered_payload(original, patch), phase_2)
        except (PatchError, PayloadDocumentError, RegistryUnavailable) as error:
            items.append(PreviewItem(row.id, before, after, str(error), 0, 0, []))
            continue
        messages = [m for bad in outcome.bad for m in failure_messages(bad.as_json())]
        items.append(PreviewItem(row.id, before, after, "", len(outcome.good), len(outcome.bad), messages))
    return items


def badrows_status_set(rows: QuerySet[BadRow], status: str) -> int:
    """Set the status of the selected rows (for example ignore a known, harmless failure); return how many."""
    if status not in BadRow.Status.values:
        raise ValueError(f"Unknown status {status!r}; use one of {', '.join(BadRow.Status.values)}.")
    return BadRow.objects.filter(id__in=rows.order_by().values("id")).update(status=status)
