"""Staging: the sessions a run must (re)build, and all their events read once from atomic.events.

A run works on whole sessions (spec 2.5): `modeling_sel` lists them with the collector-time range to read;
`modeling_ev` holds their events with the fields the models need (contexts unpacked, session and visitor
resolved, bots flagged). Everything is a temp table dropped at commit, so a failed run leaves nothing behind.

Session kinds: 'w' web (`domain_sessionid`), 'm' mobile (the client_session context's sessionId), 's' events
without either (server-side, pixel), sessionised per visitor by `session_gap_s` of inactivity, with the id
's:' || md5(visitor || first event id), so rebuilding the same events gives the same id."""

from __future__ import annotations

import re

from django.db import connection

from warehouse.modeling.config import ModelConfig

# Snowplow's dbt UA bot filter, lower-cased (dbt-snowplow-web macros/filter_bots.sql).
BOT_UA = (r"(bot|crawl|slurp|spider|archiv|spinn|sniff|seo|audit|survey|pingdom|worm|capture|(browser|screen)shots|"
          r"analyz|index|thumb|check|facebook|phantomjs|a_archiver|bingpreview|360(spider|user-agent)|semalt|"
          r"headlesschrome|lighthouse|python-requests|curl/|wget/)")

# etl_tags that privacy's site_privacy_step (privacy/enrichment.py, `_tag`) puts on traffic it keeps but flags:
# internal IP ranges, a disallowed origin, an app id no site lists. Mirrored here (privacy exposes no constant);
# such events count as bots, so dashboards leave them out unless include_bots (docs/privacy.md).
EXCLUDED_TAGS = ("internal", "disallowed_origin", "unknown_app_id")
# etl_tags is a JSON array as text (e.g. '["internal"]'): match a tag as a quoted element, no cast to fail.
EXCLUDED_TAGS_RE = '"(' + "|".join(re.escape(tag) for tag in EXCLUDED_TAGS) + ')"'


def _context(envelope: str, schema_prefix: str, path: str) -> str:
    """First value at `path` of the first entity whose schema starts with the (constant) prefix, as text."""
    return (f"(jsonb_path_query_first({envelope}, '$.data[*] ? (@.schema starts with \"{schema_prefix}\").data"
            f".{path}') #>> '{{}}')")


CS = "iglu:com.snowplowanalytics.snowplow/client_session/"
_SESSION_ID = f"coalesce(e.domain_sessionid, {_context('e.contexts', CS, 'sessionId')})"
_VISITOR_ID = f"coalesce(e.domain_userid, {_context('e.contexts', CS, 'userId')}, e.network_userid)"
_CS_SESSION = _context("e.contexts", CS, "sessionId")
_KIND = f"CASE WHEN e.domain_sessionid IS NOT NULL THEN 'w' WHEN {_CS_SESSION} IS NOT NULL THEN 'm' ELSE 's' END"

_IAB = "iglu:com.iab.snowplow/spiders_and_robots/"
_BOT = f"""(lower(coalesce(e.useragent, '')) ~ %(bot_ua)s OR coalesce(e.br_type = 'Robot', false)
    OR coalesce(e.etl_tags, '') ~ %(excluded_tags)s
    OR coalesce(jsonb_path_exists(e.derived_contexts,
                '$.data[*] ? (@.schema starts with "{_IAB}") ? (@.data.spiderOrRobot == true)'), false)
    OR coalesce({_context('e.derived_contexts', 'iglu:nl.basjes/yauaa_context/', 'deviceClass')}, '')
       IN ('Robot', 'Robot Mobile', 'Robot Imitator', 'Hacker', 'Spy'))"""

# Columns of modeling_ev (besides site_id, session_id, kind), computed from atomic.events e.
_EVENT_COLUMNS = f"""
    e.event_id, e.event, coalesce(e.event_name, e.event) AS event_name, e.event_vendor, e.app_id, e.platform,
    e.collector_tstamp, coalesce(e.derived_tstamp, e.collector_tstamp) AS tstamp,
    coalesce(e.dvce_created_tstamp, e.derived_tstamp, e.collector_tstamp) AS dvce_tstamp,
    {_VISITOR_ID} AS visitor_id, e.user_id, e.network_userid,
    coalesce(e.domain_sessionidx, ({_context('e.contexts', CS, 'sessionIndex')})::int) AS session_index,
    {_context('e.contexts', 'iglu:com.snowplowanalytics.snowplow/web_page/', 'id')} AS web_page_id,
    CASE WHEN e.event_name = 'screen_view' THEN e.unstruct_event #>> '{{data,data,id}}' END AS screen_view_id,
    CASE WHEN e.event_name = 'screen_view' THEN e.unstruct_event #>> '{{data,data,name}}' END AS screen_name,
    CASE WHEN e.event_name = 'screen_view' THEN e.unstruct_event #>> '{{data,data,type}}' END AS screen_type,
    {_context('e.contexts', 'iglu:com.snowplowanalytics.mobile/application/', 'version')} AS app_version,
    {_context('e.contexts', 'iglu:com.snowplowanalytics.snowplow/mobile_context/', 'deviceModel')} AS device_model,
    e.page_url, e.page_urlhost, e.page_urlpath, e.page_urlquery, e.page_title, e.page_referrer,
    e.refr_urlhost, e.refr_medium, e.refr_source, e.refr_term, e.mkt_medium, e.mkt_source, e.mkt_term,
    e.mkt_content, e.mkt_campaign, e.mkt_clickid, e.mkt_network,
    e.geo_country, e.geo_region, e.geo_region_name, e.geo_city,
    e.br_family, e.br_lang, e.os_family, e.dvce_type, e.dvce_ismobile, e.dvce_screenwidth, e.dvce_screenheight,
    e.br_viewwidth, e.br_viewheight, e.doc_width, e.doc_height,
    e.pp_xoffset_max, e.pp_yoffset_max, e.se_category, e.se_action, e.se_label, e.se_property, e.se_value,
    e.unstruct_event -> 'data' -> 'data' AS properties, {_BOT} AS is_bot"""


def sites_stage(sites: list[tuple[int, list[str], list[str], str]]) -> None:
    """Create modeling_sites(site_id, app_id, domains, timezone) for the run from (id, app_ids, domains,
    timezone) tuples; sites sharing an app_id share its events."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS modeling_sites")
        cursor.execute("CREATE TEMP TABLE modeling_sites (site_id integer, app_id text, domains text[], timezone text)"
                       " ON COMMIT PRESERVE ROWS")
        rows = [(site_id, app_id, domains, tz) for site_id, app_ids, domains, tz in sites for app_id in app_ids]
        if rows:
            cursor.executemany("INSERT INTO modeling_sites VALUES (%s, %s, %s, %s)", rows)
        cursor.execute("ANALYZE modeling_sites")


def selection_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS modeling_sel")
        cursor.execute(
            """CREATE TEMP TABLE modeling_sel (site_id integer, session_id text, kind char(1), visitor_id text,
                   lo timestamp NOT NULL, hi timestamp NOT NULL, quarantined boolean NOT NULL DEFAULT false)
               ON COMMIT DROP"""
        )
        cursor.execute("DROP TABLE IF EXISTS modeling_replace")
        cursor.execute("CREATE TEMP TABLE modeling_replace (site_id integer, session_id text) ON COMMIT DROP")


def select_loaded(since, until, config: ModelConfig) -> int:
    """Select the sessions of events loaded in (since, until], extended to their whole known session (lifecycle);
    quarantined sessions are skipped. Return the number of new events seen."""
    params = _params(config) | {"since": since, "until": until}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMP TABLE modeling_new ON COMMIT DROP AS
                SELECT ms.site_id, {_KIND} AS kind, {_SESSION_ID} AS session_id, {_VISITOR_ID} AS visitor_id,
                       e.collector_tstamp
                FROM atomic.events e JOIN modeling_sites ms ON ms.app_id = e.app_id
                WHERE e.load_tstamp > %(since)s AND e.load_tstamp <= %(until)s""",
            params,
        )
        seen = cursor.rowcount
        _select_sessions(cursor, "modeling_new", params)
        _select_synthetic(cursor, "modeling_new", params)
        cursor.execute("DROP TABLE modeling_new")
    return seen


def select_range(lo, hi, config: ModelConfig) -> int:
    """Select (for a full refresh) the sessions whose first event was collected in [lo, hi) and that are not
    modeled yet; sessionless events are selected per visitor. Return the number of sessions selected."""
    params = _params(config) | {"lo": lo, "hi": hi}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMP TABLE modeling_new ON COMMIT DROP AS
                SELECT ms.site_id, {_KIND} AS kind, {_SESSION_ID} AS session_id, {_VISITOR_ID} AS visitor_id,
                       e.collector_tstamp
                FROM atomic.events e JOIN modeling_sites ms ON ms.app_id = e.app_id
                WHERE e.collector_tstamp >= %(lo)s - make_interval(days => %(max_days)s)
                  AND e.collector_tstamp < %(hi)s + make_interval(days => %(max_days)s, hours => 1)""",
            params,
        )
        cursor.execute(
            """DELETE FROM modeling_new n USING (
                   SELECT site_id, session_id FROM modeling_new WHERE kind <> 's' GROUP BY 1, 2
                   HAVING min(collector_tstamp) < %(lo)s OR min(collector_tstamp) >= %(hi)s) x
               WHERE n.site_id = x.site_id AND n.session_id = x.session_id""",
            params,
        )
        cursor.execute("DELETE FROM modeling_new WHERE kind = 's' AND (collector_tstamp < %(lo)s"
                       " OR collector_tstamp >= %(hi)s)", params)
        _select_sessions(cursor, "modeling_new", params)
        _select_synthetic(cursor, "modeling_new", params)
        cursor.execute("DROP TABLE modeling_new")
        cursor.execute("SELECT count(*) FROM modeling_sel")
        return cursor.fetchone()[0]


def _params(config: ModelConfig) -> dict:
    return {"max_days": config.max_session_days, "gap": config.session_gap_s, "bot_ua": BOT_UA,
            "excluded_tags": EXCLUDED_TAGS_RE}


def _select_sessions(cursor, source: str, params: dict) -> None:
    """Web and mobile sessions of `source`, merged with what the lifecycle knows of them; a session whose events
    span more than max_session_days is quarantined (built from its first days, then frozen)."""
    cursor.execute(
        f"""INSERT INTO modeling_sel (site_id, session_id, kind, visitor_id, lo, hi, quarantined)
            SELECT g.site_id, g.session_id, g.kind, g.visitor_id, x.lo, x.lo + make_interval(days => %(max_days)s),
                   greatest(g.last_seen, l.last_collector_tstamp) > x.lo + make_interval(days => %(max_days)s)
            FROM (SELECT site_id, session_id, min(kind) AS kind, min(visitor_id) AS visitor_id,
                         min(collector_tstamp) AS first_seen, max(collector_tstamp) AS last_seen
                  FROM {source} WHERE kind <> 's' AND session_id IS NOT NULL GROUP BY 1, 2) g
            LEFT JOIN derived.session_lifecycle l ON l.site_id = g.site_id AND l.session_id = g.session_id
            CROSS JOIN LATERAL (SELECT least(g.first_seen, l.first_collector_tstamp) AS lo) x
            WHERE NOT coalesce(l.quarantined, false)""",
        params,
    )
    cursor.execute("INSERT INTO modeling_replace SELECT site_id, session_id FROM modeling_sel")


def _select_synthetic(cursor, source: str, params: dict) -> None:
    """Per visitor, the window of sessionless events to re-sessionise: the new events' span, widened to the
    known sessionless sessions within one gap of it, which are replaced (sessions never overlap, so one
    widening suffices)."""
    overlapping = """derived.session_lifecycle l ON l.site_id = w.site_id AND l.visitor_id = w.visitor_id
        AND l.kind = 's' AND l.last_collector_tstamp >= w.lo - make_interval(secs => %(gap)s)
        AND l.first_collector_tstamp <= w.hi + make_interval(secs => %(gap)s)"""
    cursor.execute(
        f"""CREATE TEMP TABLE modeling_win ON COMMIT DROP AS
            SELECT n.site_id, n.visitor_id, min(n.collector_tstamp) AS lo, max(n.collector_tstamp) AS hi
            FROM {source} n WHERE n.kind = 's' AND n.visitor_id IS NOT NULL GROUP BY 1, 2"""
    )
    cursor.execute(
        f"INSERT INTO modeling_replace SELECT l.site_id, l.session_id FROM modeling_win w JOIN {overlapping}", params
    )
    cursor.execute(
        f"""INSERT INTO modeling_sel (site_id, session_id, kind, visitor_id, lo, hi)
            SELECT w.site_id, NULL, 's', w.visitor_id, least(w.lo, min(l.first_collector_tstamp)),
                   greatest(w.hi, max(l.last_collector_tstamp)) + interval '1 microsecond'
            FROM modeling_win w LEFT JOIN {overlapping}
            GROUP BY w.site_id, w.visitor_id, w.lo, w.hi""",
        params,
    )
    cursor.execute("DROP TABLE modeling_win")


def events_stage(config: ModelConfig) -> int:
    """Create modeling_ev: every event of the selected sessions, once per event_id; events collected more than
    max_session_days after their session's start are left out (quarantine). Return the number of events."""
    params = _params(config)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE modeling_sel")
        cursor.execute(
            f"""CREATE TEMP TABLE modeling_ev ON COMMIT DROP AS
                SELECT s.site_id, s.session_id, 'w'::char(1) AS kind, {_EVENT_COLUMNS}
                FROM modeling_sel s
                JOIN atomic.events e ON e.domain_sessionid = s.session_id
                 AND e.collector_tstamp >= s.lo AND e.collector_tstamp <= s.hi
                JOIN modeling_sites ms ON ms.site_id = s.site_id AND ms.app_id = e.app_id
                WHERE s.kind = 'w'""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO modeling_ev
                SELECT s.site_id, s.session_id, 'm', {", ".join("x." + c for c in _columns_of_event())}
                FROM (SELECT ms.site_id AS x_site_id, {_context('e.contexts', CS, 'sessionId')} AS x_session_id,
                             {_EVENT_COLUMNS}
                      FROM atomic.events e JOIN modeling_sites ms ON ms.app_id = e.app_id
                      WHERE e.domain_sessionid IS NULL
                        AND e.collector_tstamp >= (SELECT min(lo) FROM modeling_sel WHERE kind = 'm')
                        AND e.collector_tstamp <= (SELECT max(hi) FROM modeling_sel WHERE kind = 'm')) x
                JOIN modeling_sel s ON s.kind = 'm' AND s.site_id = x.x_site_id AND s.session_id = x.x_session_id
                 AND x.collector_tstamp >= s.lo AND x.collector_tstamp <= s.hi""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO modeling_ev
                SELECT site_id, 's:' || md5(visitor_id || ':' || first_value(event_id::text) OVER session),
                       's', {", ".join(_columns_of_event())}
                FROM (SELECT *, sum(starts) OVER (PARTITION BY site_id, visitor_id ORDER BY collector_tstamp,
                                                  event_id) AS session_number
                      FROM (SELECT x.*, CASE WHEN lag(x.collector_tstamp) OVER v IS NULL
                                   OR x.collector_tstamp - lag(x.collector_tstamp) OVER v
                                      > make_interval(secs => %(gap)s) THEN 1 ELSE 0 END AS starts
                            FROM (SELECT ms.site_id, {_EVENT_COLUMNS}
                                  FROM atomic.events e JOIN modeling_sites ms ON ms.app_id = e.app_id
                                  JOIN modeling_sel s ON s.kind = 's' AND s.site_id = ms.site_id
                                  WHERE e.domain_sessionid IS NULL
                                    AND {_context('e.contexts', CS, 'sessionId')} IS NULL
                                    AND {_VISITOR_ID} = s.visitor_id
                                    AND e.collector_tstamp >= s.lo AND e.collector_tstamp < s.hi) x
                            WINDOW v AS (PARTITION BY x.site_id, x.visitor_id
                                         ORDER BY x.collector_tstamp, x.event_id)) y) z
                WINDOW session AS (PARTITION BY site_id, visitor_id, session_number
                                   ORDER BY collector_tstamp, event_id)""",
            params,
        )
        # Duplicates that survived loading (synthetic re-identification keeps distinct ids) are rare, but a
        # session must count each event once.
        cursor.execute(
            """DELETE FROM modeling_ev WHERE ctid IN (
                   SELECT ctid FROM (SELECT ctid, row_number() OVER (PARTITION BY site_id, event_id) AS copy
                                     FROM modeling_ev) numbered WHERE copy > 1)"""
        )
        cursor.execute("SELECT count(*) FROM modeling_ev")
        count = cursor.fetchone()[0]
        cursor.execute("ANALYZE modeling_ev")
    return count


def _columns_of_event() -> list[str]:
    """The output names of _EVENT_COLUMNS, in order."""
    names = []
    depth = 0
    current = ""
    for char in _EVENT_COLUMNS:
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return [part.strip().split()[-1].split(".")[-1] for part in names if part.strip()]
