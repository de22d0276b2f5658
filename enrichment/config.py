"""The enrichment configuration a worker runs with, reloaded when the configuration version moves."""

from __future__ import annotations

from enrichment.pipeline import BUILTIN_PHASE_2, Step


def get_pipeline() -> list[tuple[str, Step]]:
    """Phase-2 steps in order: the built-in steps (configured enrichments join them as they land)."""
    return BUILTIN_PHASE_2
