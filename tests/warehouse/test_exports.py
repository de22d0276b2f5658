"""Exports write the stored events of a time range as enrich's TSV or the Analytics SDK's JSON."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from enrichment.events import FIELDS, JSON
from enrichment.writers import to_analytics_json, to_tsv
from tests.warehouse.factories import T0, loadable, page_view
from warehouse.api import batch_load
from warehouse.exports import events_export
from warehouse.partitions import partitions_ensure
from warehouse.storage import get_storage

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


@pytest.fixture
def events():
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))
    loaded = [
        page_view(collector_tstamp=T0 + 1000, se_value=1e-7, tr_total=10.0, txn_id=7),
        page_view(collector_tstamp=T0, page_title="Tab\there"),
        page_view(collector_tstamp=T0 + 3_600_000),  # the next hour: outside the range
    ]
    batch_load([loadable(event) for event in loaded], [])
    return loaded


def _lines(name: str) -> list[str]:
    return gzip.decompress(get_storage().open(name).read()).decode().splitlines()


def test_a_tsv_export_has_enrichs_line_for_every_event_in_the_range_oldest_first(storage_dir, events):
    ticks = []
    name, count = events_export(START, START + dt.timedelta(hours=1), "tsv", progress=ticks.append)
    assert count == 2
    assert name.startswith("exports/events-20261203T1000-20261203T1100-") and name.endswith(".tsv.gz")
    lines = [line.split("\t") for line in _lines(name)]
    expected = [to_tsv(events[1]).split("\t"), to_tsv(events[0]).split("\t")]
    assert [len(line) for line in lines] == [131, 131]
    for got, want in zip(lines, expected, strict=True):
        for field, value, wanted in zip(FIELDS, got, want, strict=True):
            if field.kind == JSON and wanted:
                # jsonb keeps its own key order; the JSON is the same.
                assert json.loads(value) == json.loads(wanted), field.name
            else:
                assert value == wanted, field.name
    assert sum(ticks) == 2


def test_a_json_export_has_the_analytics_sdk_shape(storage_dir, events):
    name, _ = events_export(START, START + dt.timedelta(hours=1), "json")
    assert [json.loads(line) for line in _lines(name)] == [to_analytics_json(events[1]), to_analytics_json(events[0])]


def test_an_unknown_format_is_refused(storage_dir):
    with pytest.raises(ValueError, match="tsv, json"):
        events_export(START, START, "csv")
