"""Celery beat's periodic pipeline check: sample the sink, evaluate alerts, prune old counters.

Reliability: the task is idempotent and holds no data; a lost or doubled run only shifts a sample. Alert
evaluation serialises on a row lock, so overlapping runs never notify an incident twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from operations.checks import pipeline_check

logger = logging.getLogger(__name__)


@shared_task(name="operations.pipeline_check", ignore_result=True)
def pipeline_check_task() -> int:
    """Run one check; return the number of incidents it opened."""
    return len(pipeline_check())
