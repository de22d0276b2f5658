"""derived.page_views: one row per page view (web `page_view`, mobile `screen_view`) of the staged sessions.

Semantics of Snowplow's web model (spec 2.2): the id is the web_page context id (screen view id on mobile,
else the event id), the first event of an id wins; engaged time = heartbeat x (distinct ping buckets - 1) +
min_visit_length, buckets of the device clock, so duplicate pings in one bucket count once; scroll depth from
the pings' max offsets clamped to the document; index in session by time."""

from __future__ import annotations

from django.db import connection

from warehouse.modeling.channels import PARAMS as CHANNEL_PARAMS
from warehouse.modeling.channels import channel_group_sql, device_category_sql, screen_size_sql
from warehouse.modeling.config import ModelConfig

_INTERNAL = "coalesce(v.refr_medium = 'internal' OR v.refr_urlhost = ANY(ms.domains), false)"
_SOURCE = f"lower(coalesce(v.mkt_source, CASE WHEN NOT {_INTERNAL} THEN coalesce(v.refr_source, v.refr_urlhost) END))"
_MEDIUM = f"lower(coalesce(v.mkt_medium, CASE WHEN NOT {_INTERNAL} THEN v.refr_medium END))"

STAGE_SQL = f"""
CREATE TEMP TABLE modeling_pv ON COMMIT DROP AS
WITH views AS (
    SELECT DISTINCT ON (ev.site_id, coalesce(ev.web_page_id, ev.screen_view_id, ev.event_id::text))
           ev.*, coalesce(ev.web_page_id, ev.screen_view_id, ev.event_id::text) AS page_view_id
    FROM modeling_ev ev WHERE ev.event_name IN ('page_view', 'screen_view')
    ORDER BY ev.site_id, coalesce(ev.web_page_id, ev.screen_view_id, ev.event_id::text), ev.tstamp, ev.event_id
),
pings AS (
    SELECT site_id, web_page_id, max(tstamp) AS last_ping,
           count(DISTINCT floor(extract(epoch FROM dvce_tstamp) / %(heartbeat)s)) AS buckets,
           max(pp_xoffset_max) AS x_max, max(pp_yoffset_max) AS y_max, max(doc_width) AS doc_width,
           max(doc_height) AS doc_height, max(br_viewwidth) AS view_width, max(br_viewheight) AS view_height
    FROM modeling_ev WHERE event_name = 'page_ping' AND web_page_id IS NOT NULL GROUP BY 1, 2
),
joined AS (
    SELECT v.*, p.last_ping, coalesce(p.buckets, 0) AS buckets,
           greatest(least(p.x_max, p.doc_width), 0) AS hmax, greatest(least(p.y_max, p.doc_height), 0) AS vmax,
           p.doc_width AS pdoc_width, p.doc_height AS pdoc_height, p.view_width, p.view_height,
           {channel_group_sql(_SOURCE, _MEDIUM, "lower(v.mkt_campaign)")} AS channel
    FROM views v
    JOIN modeling_sites ms ON ms.site_id = v.site_id AND ms.app_id = v.app_id
    LEFT JOIN pings p ON p.site_id = v.site_id AND p.web_page_id = v.page_view_id
)
SELECT site_id, page_view_id, event_id, session_id, visitor_id, user_id, app_id, platform,
       tstamp AS start_tstamp, greatest(tstamp, coalesce(last_ping, tstamp)) AS end_tstamp,
       row_number() OVER s AS page_view_in_session_index, count(*) OVER (PARTITION BY site_id, session_id)
           AS page_views_in_session,
       CASE WHEN buckets > 0 THEN %(heartbeat)s * (buckets - 1) + %(min_visit)s ELSE 0 END AS engaged_time_in_s,
       extract(epoch FROM greatest(tstamp, coalesce(last_ping, tstamp)) - tstamp)::int AS absolute_time_in_s,
       hmax AS horizontal_pixels_scrolled, vmax AS vertical_pixels_scrolled,
       least(floor((hmax + view_width)::float8 / nullif(pdoc_width, 0) * 100), 100)
           AS horizontal_percentage_scrolled,
       least(floor((vmax + view_height)::float8 / nullif(pdoc_height, 0) * 100), 100)
           AS vertical_percentage_scrolled,
       page_url, page_urlhost, page_urlpath, page_urlquery, page_title, screen_name, screen_type,
       coalesce(page_urlpath, screen_name) AS page,
       page_referrer, refr_urlhost, refr_medium, refr_source, refr_term, mkt_medium, mkt_source, mkt_term,
       mkt_content, mkt_campaign, mkt_clickid, mkt_network, channel AS default_channel_group,
       geo_country, geo_region, geo_region_name, geo_city, br_family, br_lang, os_family,
       {device_category_sql("joined")} AS device_category, dvce_screenwidth, dvce_screenheight,
       {screen_size_sql("dvce_screenwidth")} AS screen_size, app_version,
       row_number() OVER s = 1 AS is_entry,
       row_number() OVER s = count(*) OVER (PARTITION BY site_id, session_id) AS is_exit,
       false AS session_is_bounce, is_bot
FROM joined
WINDOW s AS (PARTITION BY site_id, session_id ORDER BY tstamp, event_id)
"""


def page_views_stage(config: ModelConfig) -> None:
    """Create modeling_pv from modeling_ev (bounce and bot flags are set from the session later)."""
    params = CHANNEL_PARAMS | {"heartbeat": config.heartbeat_s, "min_visit": config.min_visit_s}
    with connection.cursor() as cursor:
        cursor.execute(STAGE_SQL, params)
        cursor.execute("ANALYZE modeling_pv")
