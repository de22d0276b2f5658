"""The operations app's public interface for other apps (the enrichment drain, the data models)."""

from __future__ import annotations

from datetime import datetime

from operations.counters import batch_counts_record

__all__ = ["batch_counts_record", "model_run_record"]


def model_run_record(name: str, started_at: datetime, finished_at: datetime, succeeded: bool = True,
                     detail: str = "") -> None:
    """Record one data-model run for the health page and /metrics (call it when a run ends, failed or not)."""
    from operations.models import ModelRun

    ModelRun.objects.create(name=name, started_at=started_at, finished_at=finished_at, succeeded=succeeded,
                            detail=detail[:10_000])
