"""Celery tasks of the data models: thin wrappers over runs.model_run and realtime.realtime_prune (STYLE 5).

Reliability: runs are idempotent (whole sessions and buckets are replaced, the manifest moves in the same
transaction) and serialised by an advisory lock, so a duplicate, late or retried message is harmless; a failed
run is not retried here, since beat sends the next one within minutes and it redoes the same work. Messages
expire before the next beat tick so a backlog never queues runs up."""

from __future__ import annotations

from celery import shared_task

from warehouse.modeling.realtime import realtime_prune
from warehouse.modeling.runs import model_run


@shared_task(name="warehouse.modeling.run", ignore_result=True, acks_late=True)
def run_models() -> str:
    """Run the models incrementally (the first run, with no manifest yet, is a full refresh)."""
    return model_run().mode


@shared_task(name="warehouse.modeling.prune_realtime", ignore_result=True)
def prune_realtime() -> int:
    return realtime_prune()
