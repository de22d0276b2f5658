"""Model runs: incremental (events loaded since the last run, whole sessions, touched buckets) or a full refresh.

A run holds a session-level advisory lock, so beat and the command never model at once (a second run returns
at once). Each unit of work (the incremental batch, one month of a refresh) commits with its manifest update,
so an interrupted run is recovered by running again."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from warehouse.locks import lock_key
from warehouse.modeling import ddl, manifests, staging
from warehouse.modeling.config import ModelConfig, get_config
from warehouse.modeling.goals import conversions_recount, goals_stage
from warehouse.modeling.models import Goal, goals_hash
from warehouse.modeling.rollups import month_start, next_month, rollups_rebuild_all, rollups_refresh_days
from warehouse.modeling.writing import selection_process

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class RunResult:
    mode: str  # "incremental", "full", or "skipped" (another run held the lock)
    sessions: int = 0
    events: int = 0
    days_rebuilt: int = 0
    seconds: float = 0.0


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def _run_lock():
    key = lock_key("warehouse.modeling.run")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _site_rows(sites) -> list[tuple[int, list[str], list[str], str]]:
    return [(s.pk, list(s.app_ids or []), list(s.domains or []), s.timezone) for s in sites]


def _today(timezone: str) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def model_run(full_refresh: bool = False, progress: Progress | None = None) -> RunResult:
    """Bring the derived tables and rollups up to date with atomic.events (see module docstring)."""
    from dashboards.models import Site

    started = time.monotonic()
    config = get_config()
    with _run_lock() as acquired:
        if not acquired:
            return RunResult("skipped")
        sites = list(Site.objects.all())
        ddl.ensure_indexes()
        if full_refresh or manifests.get_high_water() is None:
            sessions, events = _refresh(config, sites, everything=True, progress=progress)
            return RunResult("full", sessions, events, 0, time.monotonic() - started)
        _sites_reconcile(config, sites, progress)
        sessions, events, days = _incremental(config, sites, started)
        return RunResult("incremental", sessions, events, days, time.monotonic() - started)


def _incremental(config: ModelConfig, sites, started: float) -> tuple[int, int, int]:
    until = _utcnow()
    with transaction.atomic():
        since = manifests.get_high_water() - dt.timedelta(minutes=config.lookback_minutes)
        staging.sites_stage(_site_rows(sites))
        goals_stage([s.pk for s in sites])
        staging.selection_create()
        seen = staging.select_loaded(since, until, config)
        sessions, events, touched = selection_process(config)
        days = 0
        for site in sites:
            if touched.get(site.pk):
                days += rollups_refresh_days(site.pk, site.timezone, touched[site.pk], _today(site.timezone))
        manifests.high_water_set(until, time.monotonic() - started, sessions)
    logger.info("model run: %d new events, %d sessions, %d day runs of rollups", seen, sessions, days)
    return sessions, events, days


def _site_state(site) -> manifests.SiteState:
    goals = list(Goal.objects.filter(site=site))
    app_key = (*sorted(site.app_ids or []), "|", *sorted(site.domains or []))
    return manifests.SiteState(app_key, site.timezone, goals_hash(goals))


def _sites_reconcile(config: ModelConfig, sites, progress: Progress | None) -> None:
    """Rebuild what a site's configuration change invalidated: everything for a new site or changed app ids or
    domains, the conversions for changed goals, the rollups for a changed time zone; forget deleted sites."""
    states = manifests.list_site_states()
    for site in sites:
        wanted, known = _site_state(site), states.pop(site.pk, None)
        if known is None or known.app_ids != wanted.app_ids:
            _refresh(config, [site], everything=False, progress=progress)
            continue
        if known.goals_hash != wanted.goals_hash:
            with transaction.atomic():
                goals_stage([site.pk])
                conversions_recount(site.pk, config)
                _users_rebuild_site(site.pk)
                manifests.site_state_set(site.pk, wanted)
            known = manifests.SiteState(known.app_ids, known.timezone, wanted.goals_hash)
            _rollups_all(site, progress)
        elif known.timezone != wanted.timezone:
            _rollups_all(site, progress)
        with transaction.atomic():
            manifests.site_state_set(site.pk, wanted)
    for site_id in states:
        with transaction.atomic():
            manifests.site_forget(site_id)


def _users_rebuild_site(site_id: int) -> None:
    from warehouse.modeling.users import users_rebuild

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE modeling_visitors ON COMMIT DROP AS SELECT DISTINCT site_id, visitor_id"
            " FROM derived.sessions WHERE site_id = %s AND visitor_id IS NOT NULL",
            [site_id],
        )
        users_rebuild()
        cursor.execute("DROP TABLE modeling_visitors")


def _first_event_time(sites) -> dt.datetime | None:
    """The earliest collector_tstamp of the sites' app ids (one index probe per app id)."""
    firsts = []
    with connection.cursor() as cursor:
        for app_id in {app_id for site in sites for app_id in (site.app_ids or [])}:
            cursor.execute("SELECT min(collector_tstamp) FROM atomic.events WHERE app_id = %s", [app_id])
            first = cursor.fetchone()[0]
            if first is not None:
                firsts.append(first)
    return min(firsts) if firsts else None


def _refresh(config: ModelConfig, sites, everything: bool, progress: Progress | None) -> tuple[int, int]:
    """Rebuild the given sites (or, with `everything`, all derived data) month by month of collector time."""
    until = _utcnow()
    with connection.cursor() as cursor:
        # Bulk loads (imports, replays, benchmarks) leave atomic.events' statistics stale, and the planner then
        # picks nested loops over "empty" partitions: seconds become minutes.
        cursor.execute("ANALYZE atomic.events")
    with transaction.atomic():
        if everything:
            with connection.cursor() as cursor:
                for table in ("page_views", "sessions", "users", "events", "goal_conversions", "rollups",
                              "session_lifecycle", "site_state", "model_manifest"):
                    cursor.execute(f"TRUNCATE derived.{table}")
        else:
            for site in sites:
                manifests.site_forget(site.pk)
    first = _first_event_time(sites)
    months = []
    if first is not None:
        month = month_start(first.date())
        while month <= until.date():
            months.append(month)
            month = next_month(month)
    sessions = events = 0
    for done, month in enumerate(months, 1):
        with transaction.atomic():
            staging.sites_stage(_site_rows(sites))
            goals_stage([s.pk for s in sites])
            staging.selection_create()
            lo = dt.datetime.combine(month, dt.time())
            hi = dt.datetime.combine(next_month(month), dt.time()) if done < len(months) else until
            staging.select_range(lo, hi, config)
            written, read, _ = selection_process(config)
            sessions, events = sessions + written, events + read
        if progress:
            progress("sessions", done, len(months))
    with connection.cursor() as cursor:
        for table in ("page_views", "sessions", "events", "goal_conversions"):
            cursor.execute(f"ANALYZE derived.{table}")
    for site in sites:
        _rollups_all(site, progress)
        with transaction.atomic():
            manifests.site_state_set(site.pk, _site_state(site))
    if everything:
        with transaction.atomic():
            manifests.high_water_set(until, 0.0, sessions)
    return sessions, events


def _rollups_all(site, progress: Progress | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(start_tstamp AT TIME ZONE 'UTC' AT TIME ZONE %s)::date FROM derived.sessions"
            " WHERE site_id = %s",
            [site.timezone, site.pk],
        )
        first = cursor.fetchone()[0]
    with transaction.atomic():
        today = _today(site.timezone)
        months = rollups_rebuild_all(site.pk, site.timezone, first or today, today)
    if progress:
        progress(f"rollups {site.slug}", len(months), len(months))
