"""Model settings, read once per run into a frozen object (STYLE 10). Defaults are Snowplow's web model's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelConfig:
    # Must match the trackers' enableActivityTracking(minimumVisitLength, heartbeatDelay).
    heartbeat_s: int = 10
    min_visit_s: int = 5
    session_gap_s: int = 1800  # sessions of events without a session id (server-side, pixel)
    max_session_days: int = 3  # longer sessions are quarantined: later events are ignored
    lookback_minutes: int = 30  # reread events loaded this long before the last run's high-water mark
    bounce_engaged_s: int = 10  # a bounce has less engaged time than this (DESIGN glossary)


def get_config() -> ModelConfig:
    """Read MODELING_* settings (lazily, at run start)."""
    from django.conf import settings

    overrides = {
        name: int(getattr(settings, f"MODELING_{name.upper()}"))
        for name in ModelConfig.__dataclass_fields__
        if hasattr(settings, f"MODELING_{name.upper()}")
    }
    return ModelConfig(**overrides)
