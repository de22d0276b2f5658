"""Goal conversions: every page view or event of a session matching one of its site's active goals.

Goals are matched on the staged rows of a run, or (after a goal changes) recounted for a whole site from the
derived tables alone. Page patterns use `*` as a wildcard; they become LIKE patterns with % and _ escaped."""

from __future__ import annotations

from django.db import connection

from warehouse.modeling.config import ModelConfig
from warehouse.modeling.models import Goal

_MATCH_EVENTS = """
    SELECT x.site_id, g.goal_id, x.event_id, x.session_id, x.visitor_id, x.tstamp,
           coalesce(x.se_value, CASE WHEN jsonb_typeof(x.properties -> 'value') = 'number'
                                     THEN (x.properties ->> 'value')::float8 END), x.is_bot
    FROM {events} x JOIN modeling_goals g ON g.site_id = x.site_id
    WHERE (g.kind = 'struct' AND (x.event = 'struct' OR x.event_name = 'event')
           AND (g.se_category = '' OR x.se_category = g.se_category)
           AND (g.se_action = '' OR x.se_action = g.se_action)
        OR g.kind = 'schema' AND x.event_name = g.event_name
           AND (g.event_vendor = '' OR x.event_vendor = g.event_vendor))
      AND (g.property_name = '' OR x.properties ->> g.property_name = g.property_value)"""

_MATCH_PAGES = """
    SELECT x.site_id, g.goal_id, x.event_id, x.session_id, x.visitor_id, x.start_tstamp AS tstamp,
           NULL::float8 AS value, x.is_bot
    FROM {page_views} x JOIN modeling_goals g ON g.site_id = x.site_id
    WHERE g.kind = 'page' AND x.page LIKE g.pattern"""


def like_pattern(page_pattern: str) -> str:
    """Turn a goal's page pattern (`*` = anything) into a LIKE pattern matching it literally otherwise."""
    escaped = page_pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def goals_stage(site_ids: list[int]) -> None:
    """Create modeling_goals with the active goals of the given sites."""
    goals = Goal.objects.filter(site_id__in=site_ids, is_active=True)
    rows = [(g.pk, g.site_id, g.kind, like_pattern(g.page_pattern), g.se_category, g.se_action, g.event_vendor,
             g.event_name, g.property_name, g.property_value) for g in goals]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS modeling_goals")
        cursor.execute(
            """CREATE TEMP TABLE modeling_goals (goal_id integer, site_id integer, kind text, pattern text,
                   se_category text, se_action text, event_vendor text, event_name text, property_name text,
                   property_value text) ON COMMIT DROP"""
        )
        if rows:
            cursor.executemany("INSERT INTO modeling_goals VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def conversions_stage() -> None:
    """Create modeling_conversions from the staged page views and events (needs modeling_goals)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE modeling_conversions ON COMMIT DROP AS "
            + _MATCH_PAGES.format(page_views="modeling_pv")
            + " UNION ALL "
            + _MATCH_EVENTS.format(events="modeling_events")
        )


def conversions_recount(site_id: int, config: ModelConfig) -> None:
    """Recount a site's conversions over all history from the derived tables (a goal was added or changed),
    and the conversion counts and engaged flags of its sessions."""
    params = {"site_id": site_id}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM derived.goal_conversions WHERE site_id = %(site_id)s", params)
        cursor.execute(
            "INSERT INTO derived.goal_conversions "
            + _MATCH_PAGES.format(page_views="derived.page_views") + " AND x.site_id = %(site_id)s UNION ALL "
            + _MATCH_EVENTS.format(events="derived.events") + " AND x.site_id = %(site_id)s",
            params,
        )
        cursor.execute(
            """UPDATE derived.sessions s SET conversions = coalesce(c.n, 0),
                   is_engaged = s.page_views >= 2 OR s.engaged_time_in_s >= %(engaged)s OR coalesce(c.n, 0) > 0
               FROM derived.sessions s2 LEFT JOIN (SELECT session_id, count(*) AS n FROM derived.goal_conversions
                                                   WHERE site_id = %(site_id)s GROUP BY 1) c
                 ON c.session_id = s2.session_id
               WHERE s.site_id = %(site_id)s AND s2.site_id = s.site_id AND s2.session_id = s.session_id
                 AND (s.conversions <> coalesce(c.n, 0))""",
            params | {"engaged": 2 * config.heartbeat_s},
        )
