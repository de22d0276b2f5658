"""derived.events: the staged sessions' events other than page views, screen views and page pings (custom
structured and self-describing events, crashes), with their properties for custom-property filters."""

from __future__ import annotations

from django.db import connection

STAGE_SQL = """
CREATE TEMP TABLE modeling_events ON COMMIT DROP AS
SELECT ev.site_id, ev.event_id, ev.session_id, ev.visitor_id, ev.tstamp, ev.event, ev.event_vendor,
       ev.event_name, ev.se_category, ev.se_action, ev.se_label, ev.se_property, ev.se_value,
       coalesce(ev.page_urlpath, ev.screen_name) AS page,
       CASE WHEN ev.event = 'struct' OR ev.event_name = 'event' THEN jsonb_strip_nulls(jsonb_build_object(
                'category', ev.se_category, 'action', ev.se_action, 'label', ev.se_label,
                'property', ev.se_property, 'value', ev.se_value))
            ELSE ev.properties END AS properties,
       ev.is_bot
FROM modeling_ev ev
WHERE ev.event_name NOT IN ('page_view', 'screen_view', 'page_ping')
"""


def events_stage() -> None:
    with connection.cursor() as cursor:
        cursor.execute(STAGE_SQL)
