"""The DDL of schema `derived`: the modeled tables, their manifests, the rollups and the realtime table.

Kept as plain statements so the migration and tests share one definition. Every table is keyed by `site_id`
(dashboards.Site), because every model and rollup is per site (DESIGN glossary)."""

from __future__ import annotations

SCHEMA = "derived"

_MARKETING = """
    page_referrer text, refr_urlhost text, refr_medium text, refr_source text, refr_term text,
    mkt_medium text, mkt_source text, mkt_term text, mkt_content text, mkt_campaign text,
    mkt_clickid text, mkt_network text, default_channel_group text NOT NULL"""

_CLIENT = """
    geo_country text, geo_region text, geo_region_name text, geo_city text,
    br_family text, br_lang text, os_family text, device_category text NOT NULL,
    dvce_screenwidth integer, dvce_screenheight integer, screen_size text, app_version text"""

TABLES: tuple[str, ...] = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    # One row per model: the highest load_tstamp consumed (runs restart from it minus the lookback window).
    """CREATE TABLE derived.model_manifest (
        model text PRIMARY KEY, last_load_tstamp timestamp, last_run_at timestamptz,
        last_run_seconds double precision, sessions_processed bigint NOT NULL DEFAULT 0)""",
    # What the models of a site were built with; a change triggers a rebuild of that site.
    """CREATE TABLE derived.site_state (
        site_id integer PRIMARY KEY, app_ids text[] NOT NULL, timezone text NOT NULL, goals_hash text NOT NULL)""",
    # Every session ever modeled, so a late event reprocesses the whole session (spec 2.5).
    """CREATE TABLE derived.session_lifecycle (
        site_id integer NOT NULL, session_id text NOT NULL, kind char(1) NOT NULL, visitor_id text,
        first_collector_tstamp timestamp NOT NULL, last_collector_tstamp timestamp NOT NULL,
        quarantined boolean NOT NULL DEFAULT false, PRIMARY KEY (site_id, session_id))""",
    "CREATE INDEX session_lifecycle_visitor ON derived.session_lifecycle (site_id, visitor_id) WHERE kind = 's'",
    f"""CREATE TABLE derived.page_views (
        site_id integer NOT NULL, page_view_id text NOT NULL, event_id uuid NOT NULL, session_id text NOT NULL,
        visitor_id text, user_id text, app_id text, platform text,
        start_tstamp timestamp NOT NULL, end_tstamp timestamp NOT NULL,
        page_view_in_session_index integer NOT NULL, page_views_in_session integer NOT NULL,
        engaged_time_in_s integer NOT NULL, absolute_time_in_s integer NOT NULL,
        horizontal_pixels_scrolled integer, vertical_pixels_scrolled integer,
        horizontal_percentage_scrolled double precision, vertical_percentage_scrolled double precision,
        page_url text, page_urlhost text, page_urlpath text, page_urlquery text, page_title text,
        screen_name text, screen_type text, page text,
        {_MARKETING}, {_CLIENT},
        is_entry boolean NOT NULL, is_exit boolean NOT NULL, session_is_bounce boolean NOT NULL,
        is_bot boolean NOT NULL, PRIMARY KEY (site_id, page_view_id))""",
    "CREATE INDEX page_views_start ON derived.page_views (site_id, start_tstamp)",
    "CREATE INDEX page_views_session ON derived.page_views (site_id, session_id)",
    f"""CREATE TABLE derived.sessions (
        site_id integer NOT NULL, session_id text NOT NULL, kind char(1) NOT NULL,
        visitor_id text, user_id text, network_userid text, app_id text, platform text, session_index integer,
        start_tstamp timestamp NOT NULL, end_tstamp timestamp NOT NULL,
        page_views integer NOT NULL, total_events integer NOT NULL, interactions integer NOT NULL,
        crashes integer NOT NULL, conversions integer NOT NULL,
        engaged_time_in_s integer NOT NULL, absolute_time_in_s integer NOT NULL,
        first_page_url text, first_page_urlpath text, first_page_title text, first_page text, last_page text,
        {_MARKETING}, {_CLIENT},
        last_geo_country text, is_bounce boolean NOT NULL, is_engaged boolean NOT NULL, is_bot boolean NOT NULL,
        PRIMARY KEY (site_id, session_id))""",
    "CREATE INDEX sessions_start ON derived.sessions (site_id, start_tstamp)",
    "CREATE INDEX sessions_visitor ON derived.sessions (site_id, visitor_id)",
    """CREATE TABLE derived.users (
        site_id integer NOT NULL, visitor_id text NOT NULL, user_id text, network_userid text,
        start_tstamp timestamp NOT NULL, end_tstamp timestamp NOT NULL,
        first_session_id text NOT NULL, last_session_id text NOT NULL,
        sessions integer NOT NULL, page_views integer NOT NULL, engaged_time_in_s integer NOT NULL,
        conversions integer NOT NULL,
        first_page text, first_page_referrer text, first_refr_source text, first_refr_medium text,
        first_mkt_source text, first_mkt_medium text, first_mkt_campaign text, first_channel_group text,
        first_geo_country text, first_device_category text,
        last_page text, last_geo_country text, last_device_category text, is_bot boolean NOT NULL,
        PRIMARY KEY (site_id, visitor_id))""",
    "CREATE INDEX users_start ON derived.users (site_id, start_tstamp)",
    # Events other than page views, screen views and pings: custom events, their properties, crashes.
    """CREATE TABLE derived.events (
        site_id integer NOT NULL, event_id uuid NOT NULL, session_id text NOT NULL, visitor_id text,
        tstamp timestamp NOT NULL, event text, event_vendor text, event_name text NOT NULL,
        se_category text, se_action text, se_label text, se_property text, se_value double precision,
        page text, properties jsonb, is_bot boolean NOT NULL, PRIMARY KEY (site_id, event_id))""",
    "CREATE INDEX events_tstamp ON derived.events (site_id, tstamp)",
    "CREATE INDEX events_session ON derived.events (site_id, session_id)",
    "CREATE INDEX events_properties ON derived.events USING gin (properties jsonb_path_ops)",
    """CREATE TABLE derived.goal_conversions (
        site_id integer NOT NULL, goal_id integer NOT NULL, event_id uuid NOT NULL, session_id text NOT NULL,
        visitor_id text, tstamp timestamp NOT NULL, value double precision, is_bot boolean NOT NULL,
        PRIMARY KEY (site_id, goal_id, event_id))""",
    "CREATE INDEX goal_conversions_session ON derived.goal_conversions (site_id, session_id)",
    "CREATE INDEX goal_conversions_tstamp ON derived.goal_conversions (site_id, tstamp)",
    # grain: h(our), d(ay), m(onth); bucket: the site-local start of the bucket. visitors is exact within the
    # bucket; visitors_sketch (warehouse.modeling.sketches) merges across buckets for any date range.
    """CREATE TABLE derived.rollups (
        site_id integer NOT NULL, grain char(1) NOT NULL, dimension text NOT NULL, bucket timestamp NOT NULL,
        value text NOT NULL, is_bot boolean NOT NULL,
        page_views bigint NOT NULL DEFAULT 0, sessions bigint NOT NULL DEFAULT 0, bounces bigint NOT NULL DEFAULT 0,
        engaged_sessions bigint NOT NULL DEFAULT 0, duration_s bigint NOT NULL DEFAULT 0,
        engaged_time_s bigint NOT NULL DEFAULT 0, events bigint NOT NULL DEFAULT 0,
        conversions bigint NOT NULL DEFAULT 0, revenue double precision NOT NULL DEFAULT 0,
        visitors bigint NOT NULL DEFAULT 0, visitors_sketch bytea,
        PRIMARY KEY (site_id, grain, dimension, bucket, value, is_bot))""",
    # The loader's feed of the last minutes, for realtime pages; pruned to the realtime window.
    """CREATE TABLE derived.realtime_events (
        app_id text, collector_tstamp timestamp NOT NULL, event_id uuid NOT NULL, event_name text,
        visitor_id text, session_id text, page text, refr_source text, refr_medium text, mkt_source text,
        geo_country text, geo_city text, device_category text, is_bot boolean NOT NULL)""",
    "CREATE INDEX realtime_events_app ON derived.realtime_events (app_id, collector_tstamp)",
)


# Read paths added after the tables were first created; `IF NOT EXISTS` so every model run can ensure them on
# existing databases (ensure_indexes) as well as on new ones.
INDEXES: tuple[str, ...] = (
    # Breakdown ranking (reports.list_breakdown): an index-only scan of the month and edge-day rows of one
    # dimension with the ranked sums, instead of reading rollup rows whole (their visitor sketches make them wide).
    # Hour rows are never ranked, so they stay out of it.
    """CREATE INDEX IF NOT EXISTS rollups_rank ON derived.rollups (site_id, dimension, grain, bucket, is_bot)
        INCLUDE (value, visitors, page_views, sessions, events) WHERE grain IN ('d', 'm')""",
    # Funnel page steps (analysis.get_funnel): the range's page views as an index-only scan of the few columns
    # a step needs, instead of the wide page_views rows.
    """CREATE INDEX IF NOT EXISTS page_views_funnel ON derived.page_views (site_id, start_tstamp)
        INCLUDE (is_bot, page, session_id)""",
    # Funnel event steps and event-name filters: the same for derived.events.
    """CREATE INDEX IF NOT EXISTS events_funnel ON derived.events (site_id, tstamp)
        INCLUDE (is_bot, event_name, se_action, session_id)""",
)


def create_derived_sql() -> list[str]:
    """Return the statements creating schema `derived`, its tables and their indexes."""
    return [*TABLES, *INDEXES]


def ensure_indexes() -> None:
    """Create the read-path indexes a database created before them lacks (cheap when they exist)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('derived.rollups') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        for statement in INDEXES:
            cursor.execute(statement)


def drop_derived_sql() -> list[str]:
    return [f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"]
