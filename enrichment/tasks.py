"""Celery tasks: drain signals carry no event data, so a lost message never loses an event (DESIGN 3).

Reliability: the sink is the source of truth. A drain that dies mid-batch leaves its payloads unacknowledged
(PostgreSQL rows unlocked by the rollback, Redis entries reclaimed after idling), and the load manifest makes
a second delivery a no-op. Registry outages are retried with backoff; everything else becomes bad rows.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings

from enrichment.drain import drain_batch
from iglu.api import RegistryUnavailable

logger = logging.getLogger(__name__)
TIME_BUDGET_SECONDS = 20.0


@shared_task(name="enrichment.drain_sink", bind=True, ignore_result=True, max_retries=None)
def drain_sink(self) -> int:
    """Drain batches until the sink is empty or the time budget is spent, then re-queue if data remains."""
    started, processed = time.monotonic(), 0
    batch_size = settings.DRAIN_BATCH_SIZE
    while time.monotonic() - started < TIME_BUDGET_SECONDS:
        try:
            result = drain_batch(batch_size)
        except RegistryUnavailable as error:
            logger.warning("Iglu registry unavailable, retrying the drain later: %s", error)
            raise self.retry(exc=error, countdown=min(60, 2 ** min(self.request.retries, 6))) from error
        processed += result.payloads
        if result.payloads < batch_size:
            return processed
    drain_sink.delay()
    return processed
