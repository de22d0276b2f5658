"""Realtime: the loader copies a few fields of each freshly collected event into derived.realtime_events, so
dashboards see the last 30 minutes within seconds of collection, without waiting for the model run.

The feed must never cost a batch its load: it runs in a savepoint, and a failure is logged and skipped (the
events are in atomic.events regardless; realtime is a convenience view)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction

from warehouse.copying import copy_rows
from warehouse.encoding import timestamp_from_ms
from warehouse.modeling.staging import BOT_UA, EXCLUDED_TAGS

logger = logging.getLogger(__name__)

WINDOW = dt.timedelta(minutes=30)
KEEP = dt.timedelta(minutes=35)
COLUMNS = ("app_id", "collector_tstamp", "event_id", "event_name", "visitor_id", "session_id", "page",
           "refr_source", "refr_medium", "mkt_source", "geo_country", "geo_city", "device_category", "is_bot")
_BOT = re.compile(BOT_UA)
_DEVICES = {"Computer": "Desktop", "Mobile": "Mobile", "Tablet": "Tablet"}


def _timestamp(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, int | float):
        return timestamp_from_ms(value)
    return None


def _excluded_tag(etl_tags: Any) -> bool:
    """Whether etl_tags (a JSON array, as text or already parsed) holds one of EXCLUDED_TAGS."""
    if isinstance(etl_tags, str):
        try:
            etl_tags = json.loads(etl_tags)
        except ValueError:
            return False
    return isinstance(etl_tags, list) and any(tag in EXCLUDED_TAGS for tag in etl_tags if isinstance(tag, str))


def _row(event: dict[str, Any], since: dt.datetime) -> tuple | None:
    collected = _timestamp(event.get("collector_tstamp"))
    if collected is None or collected < since:
        return None
    ua = (event.get("useragent") or "").lower()
    device = "Mobile" if event.get("platform") == "mob" else _DEVICES.get(event.get("dvce_type") or "", "Unknown")
    return (event.get("app_id"), collected, str(event["event_id"]), event.get("event_name") or event.get("event"),
            event.get("domain_userid") or event.get("network_userid"), event.get("domain_sessionid"),
            event.get("page_urlpath"), event.get("refr_source") or event.get("refr_urlhost"),
            event.get("refr_medium"), event.get("mkt_source"), event.get("geo_country"), event.get("geo_city"),
            device, bool(_BOT.search(ua)) or event.get("br_type") == "Robot" or _excluded_tag(event.get("etl_tags")))


def realtime_record(events: Sequence[dict[str, Any]]) -> int:
    """Copy the recent events of a loaded batch into derived.realtime_events; return the rows written.
    Called by the loader inside its transaction; never raises for a database error."""
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - WINDOW
    rows = [row for row in (_row(event, since) for event in events) if row is not None]
    if not rows:
        return 0
    try:
        with transaction.atomic():
            copy_rows("derived.realtime_events", COLUMNS, None, rows)
    except (DatabaseError, ValueError) as error:
        logger.warning("realtime feed skipped a batch of %d events: %s", len(rows), error)
        return 0
    return len(rows)


def realtime_prune() -> int:
    """Delete rows older than the realtime window (plus a margin); return how many."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM derived.realtime_events WHERE collector_tstamp < (now() AT TIME ZONE 'UTC') - %s",
                       [KEEP])
        return cursor.rowcount


@dataclass(frozen=True)
class Realtime:
    visitors: int  # distinct visitors in the window
    page_views: int
    events: int
    per_minute: list[tuple[dt.datetime, int]]  # UTC minute, page views; oldest first, zero-filled
    top_pages: list[tuple[str, int]]  # page, visitors
    top_sources: list[tuple[str, int]]
    top_countries: list[tuple[str, int]]


def get_realtime(site, minutes: int = 30, include_bots: bool = False, limit: int = 10) -> Realtime:
    """What happened on a site in the last `minutes` (at most 30), from the loader-fed table only."""
    minutes = max(1, min(minutes, 30))
    params = {"apps": list(site.app_ids or []), "minutes": minutes, "bots": [False, True] if include_bots else [False],
              "limit": limit}
    where = """app_id = ANY(%(apps)s) AND is_bot = ANY(%(bots)s)
               AND collector_tstamp >= (now() AT TIME ZONE 'UTC') - make_interval(mins => %(minutes)s)"""
    with connection.cursor() as cursor:
        cursor.execute(f"""SELECT count(DISTINCT visitor_id), count(*) FILTER (WHERE event_name = 'page_view'),
                                  count(*) FROM derived.realtime_events WHERE {where}""", params)
        visitors, page_views, events = cursor.fetchone()
        cursor.execute(
            """SELECT m.minute, count(r.event_id)
                FROM generate_series(date_trunc('minute', now() AT TIME ZONE 'UTC')
                                     - make_interval(mins => %(minutes)s - 1),
                                     date_trunc('minute', now() AT TIME ZONE 'UTC'),
                                     interval '1 minute') AS m(minute)
                LEFT JOIN derived.realtime_events r ON date_trunc('minute', r.collector_tstamp) = m.minute
                     AND r.event_name = 'page_view' AND r.app_id = ANY(%(apps)s) AND r.is_bot = ANY(%(bots)s)
                GROUP BY 1 ORDER BY 1""",
            params,
        )
        per_minute = cursor.fetchall()
        tops = []
        for column in ("page", "coalesce(mkt_source, refr_source)", "geo_country"):
            cursor.execute(
                f"""SELECT coalesce({column}, '(none)'), count(DISTINCT visitor_id) FROM derived.realtime_events
                    WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %(limit)s""",
                params,
            )
            tops.append(cursor.fetchall())
    return Realtime(visitors, page_views, events, per_minute, *tops)
