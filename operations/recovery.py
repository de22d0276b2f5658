"""Bad-row replay and recovery: payloads go back into the raw sink and through the normal pipeline.

Going through the sink keeps every warehouse guarantee: the load manifest and the (event_id, fingerprint)
de-duplication make a payload that is replayed twice land once. Rows are taken with `SKIP LOCKED` and only
while `new`, so two operators replaying the same group never send a row twice; the sink write comes before the
status update, so a crash in between leaves the row `new` and a second replay is caught by de-duplication.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from collector.sinks import get_sink
from enrichment.models import BadRow
from operations.jsonpatch import PatchError, check_patch, patch_apply
from operations.payload_documents import PayloadDocumentError, payload_document, payload_from_document

logger = logging.getLogger(__name__)
CHUNK = 500
PREVIEW_SAMPLE = 5


@dataclass
class ReplayResult:
    replayed: int = 0
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


def badrows_replay(rows: QuerySet[BadRow], patch: list[dict[str, Any]] | None = None,
                   chunk: int = CHUNK) -> ReplayResult:
    """Replay the `new` rows among `rows` (patched when a rule is given) and mark them replayed or recovered."""
    if patch:
        check_patch(patch)
    status = BadRow.Status.RECOVERED if patch else BadRow.Status.REPLAYED
    result, last_id = ReplayResult(), 0
    candidates = rows.filter(status=BadRow.Status.NEW).order_by()
    result.unreplayable = candidates.filter(payload__isnull=True).count()
    sink = get_sink()
    while True:
        ids = list(candidates.filter(id__gt=last_id, payload__isnull=False).order_by("id")
                   .values_list("id", flat=True)[:chunk])
        if not ids:
            return result
        last_id = ids[-1]
        with transaction.atomic():
            # Rows another replay holds are skipped; the status is checked again under the lock.
            batch = list(BadRow.objects.filter(id__in=ids, status=BadRow.Status.NEW).select_for_update(
                skip_locked=True).order_by("id").only("id", "payload"))
            payloads, done = [], []
            for row in batch:
                try:
                    payloads.append(recovered_payload(bytes(row.payload), patch))
                    done.append(row.id)
                except (PatchError, PayloadDocumentError) as error:
                    result.errors[row.id] = str(error)
            if payloads:
                sink.write_batch(payloads)
                BadRow.objects.filter(id__in=done).update(status=status)
            result.replayed += len(done)


def recovery_preview(rows: QuerySet[BadRow], patch: list[dict[str, Any]] | None,
                     sample: int = PREVIEW_SAMPLE) -> list[PreviewItem]:
    """Apply the rule to a few rows and run them through enrichment without loading anything."""
    from enrichment.config import get_pipeline
    from enrichment.processing import process_payload
    from iglu.api import RegistryUnavailable
    from operations.badrow_selectors import failure_messages

    if patch:
        check_patch(patch)
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
