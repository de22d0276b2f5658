"""The raw archive: every CollectorPayload kept as received, for replays (Snowplow's raw S3 archive).

The drain records payloads into the archive table in its load transaction (`raw_archive_record`). In the
"files" mode an hourly task then writes each finished hour to the warehouse storage as one gzip file of
records, each a 4-byte big-endian length and the payload id (UTF-8), then a 4-byte length and the Thrift bytes:
`raw/YYYY/MM/DD/HH/part-<first row id>.thrift.gz`. Late rows of an hour already written make another part.
A file is written before its rows are deleted, under a deterministic name, so a crash in between only means
the same file is written again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import logging
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from warehouse.copying import copy_rows
from warehouse.locks import advisory_xact_lock
from warehouse.models import RawArchiveEntry
from warehouse.storage import get_storage, storage_list, storage_write

logger = logging.getLogger(__name__)

TABLE = RawArchiveEntry._meta.db_table
PREFIX = "raw"
# An hour is written once it ended this long ago, so that transactions open at the hour's end have committed.
GRACE = dt.timedelta(minutes=5)
_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class ArchivedPayload:
    """One archived payload: the sink id it was loaded under, the hour it arrived in, its Thrift bytes."""

    payload_id: str
    hour: dt.datetime
    data: bytes


def raw_archive_record(payloads: Sequence[tuple[str, bytes]]) -> int:
    """Keep (payload id, CollectorPayload bytes) pairs in the archive, in the caller's transaction; return how
    many were kept (none when the archive is off)."""
    if settings.WAREHOUSE_RAW_ARCHIVE == "off" or not payloads:
        return 0
    copy_rows(TABLE, ["payload_id", "payload"], None, ((pid, bytes(data)) for pid, data in payloads))
    return len(payloads)


def hour_name(hour: dt.datetime, first_id: int) -> str:
    return f"{PREFIX}/{hour:%Y/%m/%d/%H}/part-{first_id:012d}.thrift.gz"


def encode_records(records: Sequence[tuple[str, bytes]]) -> bytes:
    """Return the gzip file body for (payload id, bytes) records."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
        for payload_id, data in records:
            pid = payload_id.encode()
            gz.write(_LENGTH.pack(len(pid)) + pid + _LENGTH.pack(len(data)) + data)
    return buffer.getvalue()


def decode_records(body: bytes) -> Iterator[tuple[str, bytes]]:
    """Yield the (payload id, bytes) records of an archive file; raise ValueError on a truncated file."""
    try:
        raw = gzip.decompress(body)
    except (EOFError, gzip.BadGzipFile) as error:
        raise ValueError(f"truncated archive file: {error}") from error
    offset = 0
    while offset < len(raw):
        fields = []
        for _ in range(2):
            if offset + 4 > len(raw):
                raise ValueError("truncated archive record")
            (length,) = _LENGTH.unpack_from(raw, offset)
            offset += 4
            if offset + length > len(raw):
                raise ValueError("truncated archive record")
            fields.append(raw[offset : offset + length])
            offset += length
        yield fields[0].decode(), fields[1]


def raw_archive_flush(now: dt.datetime | None = None) -> list[str]:
    """Write every finished hour waiting in the archive table to a file and delete its rows; return the file
    names written. Does nothing unless the archive mode is "files"."""
    if settings.WAREHOUSE_RAW_ARCHIVE != "files":
        return []
    cutoff = _hour_floor((now or dt.datetime.now(dt.UTC)) - GRACE)
    written = []
    with transaction.atomic():
        advisory_xact_lock("warehouse.raw_archive")
        for hour in _pending_hours(cutoff):
            written.append(_hour_flush(hour))
    return written


def _hour_floor(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _pending_hours(cutoff: dt.datetime) -> list[dt.datetime]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('hour', received_at AT TIME ZONE 'UTC') FROM {TABLE} "
            "WHERE received_at < %s ORDER BY 1",
            [cutoff],
        )
        return [row[0].replace(tzinfo=dt.UTC) for row in cursor.fetchall()]


def _hour_flush(hour: dt.datetime) -> str:
    rows = list(
        RawArchiveEntry.objects.filter(received_at__gte=hour, received_at__lt=hour + dt.timedelta(hours=1))
        .order_by("id")
        .values_list("id", "payload_id", "payload")
    )
    name = storage_write(hour_name(hour, rows[0][0]), encode_records([(pid, bytes(data)) for _, pid, data in rows]))
    RawArchiveEntry.objects.filter(id__in=[row[0] for row in rows]).delete()
    logger.info("archived %d payloads of %s to %s", len(rows), f"{hour:%Y-%m-%d %H}h", name)
    return name


def archived_payloads(start: dt.datetime, end: dt.datetime) -> Iterator[ArchivedPayload]:
    """Yield the payloads that arrived in [start, end): from the files of those hours, then the table."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    storage = get_storage()
    for name in archive_files(_hour_floor(start), end):
        hour = file_hour(name)
        for payload_id, data in decode_records(storage.open(name).read()):
            yield ArchivedPayload(payload_id, hour, data)
    rows = RawArchiveEntry.objects.filter(received_at__gte=start, received_at__lt=end).order_by("id")
    for payload_id, received_at, data in rows.values_list("payload_id", "received_at", "payload").iterator():
        yield ArchivedPayload(payload_id, _hour_floor(received_at), bytes(data))


def archive_files(start: dt.datetime, end: dt.datetime) -> list[str]:
    """Return the archive files of the hours from `start` (inclusive) to `end` (exclusive), oldest first."""
    names = []
    day = start.date()
    while day <= end.date():
        for name in storage_list(f"{PREFIX}/{day:%Y/%m/%d}"):
            if start <= file_hour(name) < end:
                names.append(name)
        day += dt.timedelta(days=1)
    return names


def file_hour(name: str) -> dt.datetime:
    """`raw/2026/12/03/10/part-...` -> 2026-12-03 10:00 UTC."""
    year, month, day, hour = name.split("/")[1:5]
    return dt.datetime(int(year), int(month), int(day), int(hour), tzinfo=dt.UTC)


def archive_purge_before(cutoff: dt.datetime) -> tuple[int, int]:
    """Delete archived payloads that arrived before `cutoff`; return (files deleted, table rows deleted)."""
    storage = get_storage()
    files = [name for name in storage_list(PREFIX) if file_hour(name) < _hour_floor(cutoff)]
    for name in files:
        storage.delete(name)
    rows, _ = RawArchiveEntry.objects.filter(received_at__lt=cutoff).delete()
    return len(files), rows
