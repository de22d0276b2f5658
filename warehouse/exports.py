"""Exports: the events of a time range as enriched TSV (Snowplow's 131 columns) or Analytics SDK JSON lines,
gzip-compressed, written to the warehouse storage by the enrichment core's writers."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files import File
from django.db import connection

from enrichment.events import FIELDS, JSON, TIMESTAMP
from warehouse.atomic import EVENTS_TABLE
from warehouse.encoding import EPOCH
from warehouse.storage import get_storage

FORMATS = ("tsv", "json")
_MS = dt.timedelta(milliseconds=1)
_TIMESTAMPS = {field.name for field in FIELDS if field.kind == TIMESTAMP}
_JSONS = {field.name for field in FIELDS if field.kind == JSON}


def events_export(
    start: dt.datetime, end: dt.datetime, fmt: str = "tsv", progress: Callable[[int], None] | None = None
) -> tuple[str, int]:
    """Write the events collected in [start, end) to `exports/`; return the file name and the event count."""
    from enrichment.writers import to_analytics_json, to_tsv

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    line = to_tsv if fmt == "tsv" else lambda event: json.dumps(to_analytics_json(event), ensure_ascii=False)
    name = f"exports/events-{start:%Y%m%dT%H%M}-{end:%Y%m%dT%H%M}-{uuid.uuid4().hex[:8]}.{fmt}.gz"
    count = 0
    with tempfile.TemporaryFile() as spool:
        with gzip.GzipFile(fileobj=spool, mode="wb") as gz:
            for event in stored_events(start, end):
                gz.write((line(event) + "\n").encode("utf-8", "surrogatepass"))
                count += 1
                if progress and count % 1000 == 0:
                    progress(1000)
        if progress:
            progress(count % 1000)
        spool.seek(0)
        name = get_storage().save(name, File(spool))
    return name, count


def stored_events(start: dt.datetime, end: dt.datetime) -> Iterator[dict[str, Any]]:
    """Yield the stored events collected in [start, end), oldest first, as canonical event dicts (timestamps
    in epoch milliseconds, JSON columns parsed); read through a server-side cursor, so memory stays flat."""
    names = [field.name for field in FIELDS]
    bounds = [naive_utc(start), naive_utc(end)]
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(names)} FROM {EVENTS_TABLE} "
            "WHERE collector_tstamp >= %s AND collector_tstamp < %s ORDER BY collector_tstamp",
            bounds,
        )
        while rows := cursor.fetchmany(2000):
            for row in rows:
                yield _event(names, row)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` as a naive UTC datetime, as atomic.events stores timestamps."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _event(names: list[str], row: tuple) -> dict[str, Any]:
    event = {}
    for name, value in zip(names, row, strict=True):
        if value is None:
            continue
        if name in _TIMESTAMPS:
            value = (value - EPOCH) // _MS
        elif name in _JSONS:
            value = json.loads(value) if isinstance(value, str) else value
        elif isinstance(value, uuid.UUID):
            value = str(value)
        event[name] = value
    return event
