"""derived.users: one row per visitor, aggregated from derived.sessions (spec 2.4).

Rebuilt from all of a visitor's sessions whenever one of them changed, so first-touch attributes stay right
when a late event creates an earlier session. `user_id` is the latest known login id (stitching)."""

from __future__ import annotations

from django.db import connection

REBUILD_SQL = """
INSERT INTO derived.users
SELECT a.site_id, a.visitor_id, a.user_id, a.network_userid, a.start_tstamp, a.end_tstamp,
       f.session_id, l.session_id, a.sessions, a.page_views, a.engaged_time_in_s, a.conversions,
       f.first_page, f.page_referrer, f.refr_source, f.refr_medium, f.mkt_source, f.mkt_medium, f.mkt_campaign,
       f.default_channel_group, f.geo_country, f.device_category,
       l.last_page, l.last_geo_country, l.device_category, f.is_bot
FROM (
    SELECT s.site_id, s.visitor_id, min(s.start_tstamp) AS start_tstamp, max(s.end_tstamp) AS end_tstamp,
           (array_agg(s.user_id ORDER BY s.start_tstamp DESC) FILTER (WHERE s.user_id IS NOT NULL))[1] AS user_id,
           (array_agg(s.network_userid ORDER BY s.start_tstamp) FILTER (WHERE s.network_userid IS NOT NULL))[1]
               AS network_userid,
           count(*)::int AS sessions, sum(s.page_views)::int AS page_views,
           sum(s.engaged_time_in_s)::int AS engaged_time_in_s, sum(s.conversions)::int AS conversions
    FROM derived.sessions s JOIN modeling_visitors v ON v.site_id = s.site_id AND v.visitor_id = s.visitor_id
    GROUP BY 1, 2
) a
CROSS JOIN LATERAL (SELECT * FROM derived.sessions s WHERE s.site_id = a.site_id AND s.visitor_id = a.visitor_id
                    ORDER BY s.start_tstamp, s.session_id LIMIT 1) f
CROSS JOIN LATERAL (SELECT * FROM derived.sessions s WHERE s.site_id = a.site_id AND s.visitor_id = a.visitor_id
                    ORDER BY s.start_tstamp DESC, s.session_id DESC LIMIT 1) l
"""


def users_rebuild() -> None:
    """Replace the users listed in temp table modeling_visitors(site_id, visitor_id) from their sessions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """DELETE FROM derived.users u USING modeling_visitors v
               WHERE u.site_id = v.site_id AND u.visitor_id = v.visitor_id"""
        )
        cursor.execute(REBUILD_SQL)
