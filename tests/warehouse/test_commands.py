"""The management commands parse their options, call one domain function and print its report."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.warehouse.factories import collector_payload, loadable, page_view, page_view_query
from warehouse.api import batch_load, raw_archive_record
from warehouse.models import RawArchiveEntry
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _partition():
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_replay_and_archive_flush(storage_dir):
    raw_archive_record([("p1", collector_payload(page_view_query()))])
    RawArchiveEntry.objects.update(received_at=dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
    assert _run("warehouse_archive_flush").startswith("raw/2026/12/03/10/part-")
    report = json.loads(_run("warehouse_replay", "--from", "2026-12-03T10:00", "--to", "2026-12-03T11:00"))
    assert (report["payloads"], report["events_loaded"]) == (1, 1)
    with pytest.raises(CommandError, match="--from and --to"):
        _run("warehouse_replay")


def test_export(storage_dir):
    batch_load([loadable(page_view())], [])
    out = _run("warehouse_export", "--from", "2026-12-03", "--to", "2026-12-04", "--format", "json")
    assert out.startswith("1 events written to exports/events-20261203T0000-20261204T0000-")


def test_forget_needs_exactly_one_identifier(storage_dir):
    batch_load([loadable(page_view(user_id="someone@example.com"))], [])
    report = json.loads(_run("warehouse_forget", "--user-id", "someone@example.com"))
    assert report["events"] == 1
    with pytest.raises(CommandError, match="exactly one"):
        _run("warehouse_forget", "--user-id", "a", "--domain-userid", "b")


def test_retention(settings, storage_dir):
    settings.WAREHOUSE_EVENTS_RETENTION_DAYS = 0
    assert json.loads(_run("warehouse_retention"))["partitions_dropped"] == []
