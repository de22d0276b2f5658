"""Raw payloads are archived in the load transaction, then written to hourly gzip files for replays."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from tests.warehouse.factories import collector_payload, page_view_query
from warehouse.api import raw_archive_record
from warehouse.archive import (
    archive_purge_before,
    archived_payloads,
    decode_records,
    encode_records,
    raw_archive_flush,
)
from warehouse.models import RawArchiveEntry
from warehouse.storage import get_storage

pytestmark = pytest.mark.django_db

H10 = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


def _received(payload_id: str, at: dt.datetime) -> None:
    RawArchiveEntry.objects.filter(payload_id=payload_id).update(received_at=at)


def test_records_round_trip_through_the_file_format():
    records = [("1700000000000-0", b"\x00\x01thrift"), ("42", b"")]
    assert list(decode_records(encode_records(records))) == records
    with pytest.raises(ValueError, match="truncated"):
        list(decode_records(encode_records(records)[:-12]))
    with pytest.raises(ValueError, match="truncated"):
        list(decode_records(gzip.compress(b"\x00\x00\x00\x05ab")))


def test_payloads_are_kept_in_the_load_transaction_then_written_per_finished_hour(storage_dir):
    a, b, c = (collector_payload(page_view_query()) for _ in range(3))
    assert raw_archive_record([("p-a", a), ("p-b", b), ("p-c", c)]) == 3
    _received("p-a", H10 + dt.timedelta(minutes=1))
    _received("p-b", H10 + dt.timedelta(minutes=59))
    _received("p-c", H10 + dt.timedelta(hours=1, minutes=2))

    written = raw_archive_flush(now=H10 + dt.timedelta(hours=1, minutes=6))
    first_id = RawArchiveEntry.objects.get(payload_id="p-c").id - 2
    assert written == [f"raw/2026/12/03/10/part-{first_id:012d}.thrift.gz"]
    assert list(decode_records(get_storage().open(written[0]).read())) == [("p-a", a), ("p-b", b)]
    assert list(RawArchiveEntry.objects.values_list("payload_id", flat=True)) == ["p-c"], "11h is not over"
    assert raw_archive_flush(now=H10 + dt.timedelta(hours=1, minutes=6)) == []

    replayable = list(archived_payloads(H10, H10 + dt.timedelta(hours=2)))
    assert [(p.payload_id, p.hour, p.data) for p in replayable] == [
        ("p-a", H10, a),
        ("p-b", H10, b),
        ("p-c", H10 + dt.timedelta(hours=1), c),
    ]
    assert [p.payload_id for p in archived_payloads(H10 + dt.timedelta(hours=1), H10 + dt.timedelta(hours=2))] == [
        "p-c"
    ]


def test_the_table_mode_keeps_payloads_in_the_table(storage_dir, settings):
    settings.WAREHOUSE_RAW_ARCHIVE = "table"
    raw_archive_record([("p-a", b"x")])
    _received("p-a", H10)
    assert raw_archive_flush(now=H10 + dt.timedelta(days=1)) == []
    assert [p.payload_id for p in archived_payloads(H10, H10 + dt.timedelta(hours=1))] == ["p-a"]


def test_the_archive_can_be_switched_off(settings):
    settings.WAREHOUSE_RAW_ARCHIVE = "off"
    assert raw_archive_record([("p-a", b"x")]) == 0
    assert RawArchiveEntry.objects.count() == 0


def test_retention_deletes_files_and_rows_of_old_hours(storage_dir):
    raw_archive_record([("old", b"1"), ("new", b"2"), ("waiting", b"3")])
    _received("old", H10 - dt.timedelta(days=40))
    _received("new", H10)
    _received("waiting", H10 - dt.timedelta(days=41))
    RawArchiveEntry.objects.filter(payload_id="waiting").update(received_at=H10 - dt.timedelta(days=41))
    raw_archive_flush(now=H10 + dt.timedelta(hours=2))
    RawArchiveEntry.objects.create(payload_id="unflushed", payload=b"4")
    _received("unflushed", H10 - dt.timedelta(days=50))
    assert archive_purge_before(H10 - dt.timedelta(days=30)) == (2, 1)
    assert [p.payload_id for p in archived_payloads(H10 - dt.timedelta(days=60), H10 + dt.timedelta(hours=1))] == [
        "new"
    ]
