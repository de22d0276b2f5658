"""Write a run's staged sessions into the derived tables, replacing their previous versions, and report the
site-local days whose rollups must be rebuilt (the days of the old rows and of the new ones)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from warehouse.modeling.config import ModelConfig
from warehouse.modeling.events import events_stage
from warehouse.modeling.goals import conversions_stage
from warehouse.modeling.page_views import page_views_stage
from warehouse.modeling.sessions import sessions_stage
from warehouse.modeling.staging import events_stage as raw_events_stage
from warehouse.modeling.users import users_rebuild

_TIMESTAMPS = (("page_views", "start_tstamp"), ("sessions", "start_tstamp"), ("events", "tstamp"),
               ("goal_conversions", "tstamp"))
_STAGED = {"page_views": "modeling_pv", "sessions": "modeling_sessions", "events": "modeling_events",
           "goal_conversions": "modeling_conversions"}
_TZ = "(SELECT timezone FROM modeling_sites ms WHERE ms.site_id = t.site_id LIMIT 1)"


def selection_process(config: ModelConfig) -> tuple[int, int, dict[int, set[dt.date]]]:
    """Stage and write the selected sessions; return (sessions written, events read, touched days by site).
    Needs modeling_sites, modeling_goals, modeling_sel and modeling_replace; runs in the caller's transaction."""
    events = raw_events_stage(config)
    page_views_stage(config)
    events_stage()
    conversions_stage()
    sessions_stage(config)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO modeling_replace SELECT site_id, session_id FROM modeling_sessions
               EXCEPT SELECT site_id, session_id FROM modeling_replace"""
        )
        cursor.execute("CREATE TEMP TABLE modeling_touched (site_id integer, day date) ON COMMIT DROP")
        cursor.execute(
            """CREATE TEMP TABLE modeling_visitors ON COMMIT DROP AS
               SELECT s.site_id, s.visitor_id FROM derived.sessions s
               JOIN modeling_replace r ON r.site_id = s.site_id AND r.session_id = s.session_id
               WHERE s.visitor_id IS NOT NULL
               UNION SELECT site_id, visitor_id FROM modeling_sessions WHERE visitor_id IS NOT NULL"""
        )
        for table, column in _TIMESTAMPS:
            cursor.execute(
                f"""INSERT INTO modeling_touched
                    SELECT DISTINCT t.site_id, (t.{column} AT TIME ZONE 'UTC' AT TIME ZONE {_TZ})::date
                    FROM derived.{table} t JOIN modeling_replace r
                      ON r.site_id = t.site_id AND r.session_id = t.session_id"""
            )
            cursor.execute(
                f"""DELETE FROM derived.{table} t USING modeling_replace r
                    WHERE r.site_id = t.site_id AND r.session_id = t.session_id"""
            )
            cursor.execute(_insert_staged(table))
            cursor.execute(
                f"""INSERT INTO modeling_touched
                    SELECT DISTINCT t.site_id, (t.{column} AT TIME ZONE 'UTC' AT TIME ZONE {_TZ})::date
                    FROM {_STAGED[table]} t"""
            )
        _lifecycle_write(cursor)
        users_rebuild()
        cursor.execute("SELECT count(*) FROM modeling_sessions")
        sessions = cursor.fetchone()[0]
        cursor.execute("SELECT DISTINCT site_id, day FROM modeling_touched")
        touched: dict[int, set[dt.date]] = defaultdict(set)
        for site_id, day in cursor.fetchall():
            touched[site_id].add(day)
        for table in ("modeling_pv", "modeling_events", "modeling_conversions", "modeling_sessions", "modeling_ev",
                      "modeling_touched", "modeling_visitors"):
            cursor.execute(f"DROP TABLE {table}")
    return sessions, events, touched


def _insert_staged(table: str) -> str:
    """INSERT the staged rows into derived.<table>, matching columns by name."""
    columns = _derived_columns(table)
    names = ", ".join(columns)
    return f"INSERT INTO derived.{table} ({names}) SELECT {names} FROM {_STAGED[table]}"


_COLUMNS_CACHE: dict[str, list[str]] = {}


def _derived_columns(table: str) -> list[str]:
    if table not in _COLUMNS_CACHE:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'derived'"
                " AND table_name = %s ORDER BY ordinal_position",
                [table],
            )
            _COLUMNS_CACHE[table] = [row[0] for row in cursor.fetchall()]
    return _COLUMNS_CACHE[table]


def _lifecycle_write(cursor) -> None:
    cursor.execute(
        """DELETE FROM derived.session_lifecycle l USING modeling_replace r
           WHERE r.site_id = l.site_id AND r.session_id = l.session_id"""
    )
    cursor.execute(
        """INSERT INTO derived.session_lifecycle (site_id, session_id, kind, visitor_id, first_collector_tstamp,
               last_collector_tstamp, quarantined)
           SELECT s.site_id, s.session_id, s.kind, s.visitor_id, s.first_collector_tstamp,
                  greatest(s.last_collector_tstamp, sel.hi_seen), coalesce(sel.quarantined, false)
           FROM modeling_sessions s
           LEFT JOIN (SELECT site_id, session_id, bool_or(quarantined) AS quarantined, NULL::timestamp AS hi_seen
                      FROM modeling_sel WHERE session_id IS NOT NULL GROUP BY 1, 2) sel
             ON sel.site_id = s.site_id AND sel.session_id = s.session_id"""
    )
