"""derived.sessions: one row per session of the staged events (spec 2.3, DESIGN glossary).

Landing attributes (first page, referrer, marketing, channel, geo, device) come from the session's first page
view, or its first event when it has none; exit page and last country from the last. The start moves back by
min_visit_length when a session begins with a ping. Bounce: exactly one page view, no interaction (events other
than page views, screen views, pings and crashes) and under `bounce_engaged_s` engaged time. Engaged: two or
more page views, engaged time of at least two heartbeats, or a conversion."""

from __future__ import annotations

from django.db import connection

from warehouse.modeling.channels import PARAMS as CHANNEL_PARAMS
from warehouse.modeling.channels import channel_group_sql, device_category_sql, screen_size_sql
from warehouse.modeling.config import ModelConfig

_LANDING_COLUMNS = """page_url, page_urlpath, page_title, page, page_referrer, refr_urlhost, refr_medium,
    refr_source, refr_term, mkt_medium, mkt_source, mkt_term, mkt_content, mkt_campaign, mkt_clickid, mkt_network,
    default_channel_group, geo_country, geo_region, geo_region_name, geo_city, br_family, br_lang, os_family,
    device_category, dvce_screenwidth, dvce_screenheight, screen_size"""

_EXTERNAL = "coalesce(ev.refr_medium, '') <> 'internal'"
_EV_SOURCE = f"lower(coalesce(ev.mkt_source, CASE WHEN {_EXTERNAL} THEN coalesce(ev.refr_source, ev.refr_urlhost) END))"
_EV_MEDIUM = f"lower(coalesce(ev.mkt_medium, CASE WHEN {_EXTERNAL} THEN ev.refr_medium END))"

# Sessions without a page view take their landing attributes from their first event.
_FIRST_EVENT = f"""
    SELECT DISTINCT ON (ev.site_id, ev.session_id) ev.site_id, ev.session_id, ev.page_url, ev.page_urlpath,
           ev.page_title, coalesce(ev.page_urlpath, ev.screen_name) AS page, ev.page_referrer, ev.refr_urlhost,
           ev.refr_medium, ev.refr_source, ev.refr_term, ev.mkt_medium, ev.mkt_source, ev.mkt_term, ev.mkt_content,
           ev.mkt_campaign, ev.mkt_clickid, ev.mkt_network,
           {channel_group_sql(_EV_SOURCE, _EV_MEDIUM, "lower(ev.mkt_campaign)")} AS default_channel_group,
           ev.geo_country, ev.geo_region, ev.geo_region_name, ev.geo_city, ev.br_family, ev.br_lang, ev.os_family,
           {device_category_sql("ev")} AS device_category, ev.dvce_screenwidth, ev.dvce_screenheight,
           {screen_size_sql("ev.dvce_screenwidth")} AS screen_size
    FROM modeling_ev ev ORDER BY ev.site_id, ev.session_id, ev.tstamp, ev.event_id"""

STAGE_SQL = f"""
CREATE TEMP TABLE modeling_sessions ON COMMIT DROP AS
WITH agg AS (
    SELECT site_id, session_id, min(kind) AS kind,
           (array_agg(visitor_id ORDER BY tstamp, event_id) FILTER (WHERE visitor_id IS NOT NULL))[1] AS visitor_id,
           (array_agg(user_id ORDER BY tstamp DESC, event_id) FILTER (WHERE user_id IS NOT NULL))[1] AS user_id,
           (array_agg(network_userid ORDER BY tstamp, event_id) FILTER (WHERE network_userid IS NOT NULL))[1]
               AS network_userid,
           (array_agg(app_id ORDER BY tstamp, event_id))[1] AS app_id,
           (array_agg(platform ORDER BY tstamp, event_id))[1] AS platform,
           max(session_index) AS session_index,
           least(min(tstamp) FILTER (WHERE event_name <> 'page_ping'),
                 min(tstamp) FILTER (WHERE event_name = 'page_ping') - make_interval(secs => %(min_visit)s))
               AS start_tstamp,
           max(tstamp) AS end_tstamp, count(*) AS total_events,
           count(*) FILTER (WHERE event_name NOT IN ('page_view', 'screen_view', 'page_ping', 'application_error'))
               AS interactions,
           count(*) FILTER (WHERE event_name = 'application_error') AS crashes,
           (array_agg(app_version ORDER BY tstamp DESC, event_id) FILTER (WHERE app_version IS NOT NULL))[1]
               AS app_version,
           bool_or(is_bot) AS is_bot,
           min(collector_tstamp) AS first_collector_tstamp, max(collector_tstamp) AS last_collector_tstamp
    FROM modeling_ev GROUP BY site_id, session_id
),
pv AS (
    SELECT site_id, session_id, count(*) AS page_views, sum(engaged_time_in_s) AS engaged_time_in_s
    FROM modeling_pv GROUP BY 1, 2
),
landing AS (
    SELECT site_id, session_id, {_LANDING_COLUMNS} FROM modeling_pv WHERE is_entry
    UNION ALL
    SELECT site_id, session_id, {_LANDING_COLUMNS} FROM ({_FIRST_EVENT}) f
    WHERE NOT EXISTS (SELECT 1 FROM modeling_pv p WHERE p.site_id = f.site_id AND p.session_id = f.session_id)
),
exits AS (SELECT site_id, session_id, page, geo_country FROM modeling_pv WHERE is_exit),
conv AS (SELECT site_id, session_id, count(*) AS conversions FROM modeling_conversions GROUP BY 1, 2)
SELECT a.site_id, a.session_id, a.kind, a.visitor_id, a.user_id, a.network_userid, a.app_id, a.platform,
       a.session_index, a.start_tstamp, a.end_tstamp, coalesce(pv.page_views, 0)::int AS page_views,
       a.total_events::int, a.interactions::int, a.crashes::int, coalesce(c.conversions, 0)::int AS conversions,
       coalesce(pv.engaged_time_in_s, 0)::int AS engaged_time_in_s,
       extract(epoch FROM a.end_tstamp - a.start_tstamp)::int AS absolute_time_in_s,
       l.page_url AS first_page_url, l.page_urlpath AS first_page_urlpath, l.page_title AS first_page_title,
       l.page AS first_page, coalesce(x.page, l.page) AS last_page,
       l.page_referrer, l.refr_urlhost, l.refr_medium, l.refr_source, l.refr_term, l.mkt_medium, l.mkt_source,
       l.mkt_term, l.mkt_content, l.mkt_campaign, l.mkt_clickid, l.mkt_network, l.default_channel_group,
       l.geo_country, l.geo_region, l.geo_region_name, l.geo_city, l.br_family, l.br_lang, l.os_family,
       l.device_category, l.dvce_screenwidth, l.dvce_screenheight, l.screen_size, a.app_version,
       coalesce(x.geo_country, l.geo_country) AS last_geo_country,
       coalesce(pv.page_views, 0) = 1 AND a.interactions = 0
           AND coalesce(pv.engaged_time_in_s, 0) < %(bounce_engaged)s AS is_bounce,
       coalesce(pv.page_views, 0) >= 2 OR coalesce(pv.engaged_time_in_s, 0) >= %(engaged)s
           OR coalesce(c.conversions, 0) > 0 AS is_engaged,
       a.is_bot, a.first_collector_tstamp, a.last_collector_tstamp
FROM agg a
LEFT JOIN pv ON pv.site_id = a.site_id AND pv.session_id = a.session_id
LEFT JOIN landing l ON l.site_id = a.site_id AND l.session_id = a.session_id
LEFT JOIN exits x ON x.site_id = a.site_id AND x.session_id = a.session_id
LEFT JOIN conv c ON c.site_id = a.site_id AND c.session_id = a.session_id
"""


def sessions_stage(config: ModelConfig) -> None:
    """Create modeling_sessions, then copy each session's bounce and bot flags onto its page views, events
    and conversions (a bot session is bot traffic throughout)."""
    params = CHANNEL_PARAMS | {"min_visit": config.min_visit_s, "bounce_engaged": config.bounce_engaged_s,
                               "engaged": 2 * config.heartbeat_s}
    with connection.cursor() as cursor:
        cursor.execute(STAGE_SQL, params)
        cursor.execute("ANALYZE modeling_sessions")
        for table, extra in (("modeling_pv", ", session_is_bounce = s.is_bounce"), ("modeling_events", ""),
                             ("modeling_conversions", "")):
            cursor.execute(
                f"""UPDATE {table} t SET is_bot = s.is_bot{extra} FROM modeling_sessions s
                    WHERE s.site_id = t.site_id AND s.session_id = t.session_id"""
            )
