"""Run bookkeeping: the high-water mark of loaded events consumed, and what each site was modeled with.

Both are written in the transaction that writes the models, so a crashed run leaves the previous state and the
next run redoes its work (runs are idempotent: whole sessions and whole buckets are replaced)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

MODEL = "web"


@dataclass(frozen=True)
class SiteState:
    app_ids: tuple[str, ...]
    timezone: str
    goals_hash: str


def get_high_water() -> dt.datetime | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_load_tstamp FROM derived.model_manifest WHERE model = %s", [MODEL])
        row = cursor.fetchone()
    return row[0] if row else None


def high_water_set(until: dt.datetime, seconds: float, sessions: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO derived.model_manifest (model, last_load_tstamp, last_run_at, last_run_seconds,
                   sessions_processed) VALUES (%s, %s, now(), %s, %s)
               ON CONFLICT (model) DO UPDATE SET last_load_tstamp = excluded.last_load_tstamp,
                   last_run_at = now(), last_run_seconds = excluded.last_run_seconds,
                   sessions_processed = derived.model_manifest.sessions_processed + excluded.sessions_processed""",
            [MODEL, until, seconds, sessions],
        )


def list_site_states() -> dict[int, SiteState]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT site_id, app_ids, timezone, goals_hash FROM derived.site_state")
        return {row[0]: SiteState(tuple(row[1]), row[2], row[3]) for row in cursor.fetchall()}


def site_state_set(site_id: int, state: SiteState) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO derived.site_state (site_id, app_ids, timezone, goals_hash) VALUES (%s, %s, %s, %s)
               ON CONFLICT (site_id) DO UPDATE SET app_ids = excluded.app_ids, timezone = excluded.timezone,
                   goals_hash = excluded.goals_hash""",
            [site_id, list(state.app_ids), state.timezone, state.goals_hash],
        )


def site_forget(site_id: int) -> None:
    """Delete everything modeled for a site (before rebuilding it, or when it was deleted)."""
    with connection.cursor() as cursor:
        for table in ("page_views", "sessions", "users", "events", "goal_conversions", "rollups",
                      "session_lifecycle", "site_state"):
            cursor.execute(f"DELETE FROM derived.{table} WHERE site_id = %s", [site_id])
