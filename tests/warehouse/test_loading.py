"""batch_load writes every value right, exactly once, inside the caller's transaction (DESIGN contract 4)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import transaction

from enrichment.events import FIELDS
from tests.warehouse.conftest import fetch
from tests.warehouse.factories import T0, loadable, page_view
from warehouse.api import LoadableEvent, LoadResult, batch_load, loaded_payload_ids
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db

T0_UTC = dt.datetime(2026, 12, 3, 10, 0, 0, 123000)


@pytest.fixture(autouse=True)
def _t0_partition():
    partitions_ensure(months_back=0, months_ahead=0, today=T0_UTC.date())


def _row(event_id: str) -> dict:
    [row] = fetch("SELECT * FROM atomic.events WHERE event_id = %s", [event_id])
    names = [f.name for f in FIELDS] + ["load_tstamp"]
    values = dict(zip(names, row, strict=True))
    for name in ("contexts", "derived_contexts", "unstruct_event"):
        if values[name] is not None:
            values[name] = json.loads(values[name])  # Django's cursor hands jsonb back as text
    return values


def _count() -> int:
    return fetch("SELECT count(*) FROM atomic.events")[0][0]


def test_a_loaded_event_has_the_right_value_in_every_column():
    event = page_view(txn_id=42, tr_total=12.5, se_value=0.1, unstruct_event=None, derived_contexts=None, true_tstamp=0)
    result = batch_load([loadable(event)], ["1700000000000-0"])
    assert (result.events_loaded, result.duplicates_skipped, result.payloads_recorded) == (1, 0, 1)
    row = _row(event["event_id"])
    assert row["app_id"] == "shop"
    assert row["event_id"] == uuid.UUID(event["event_id"])
    assert row["collector_tstamp"] == T0_UTC
    assert row["etl_tstamp"] == dt.datetime(2026, 12, 3, 10, 0, 0, 623000)
    assert row["dvce_created_tstamp"] == dt.datetime(2026, 12, 3, 9, 59, 59, 873000)
    assert row["true_tstamp"] == dt.datetime(1970, 1, 1)
    assert row["txn_id"] == 42
    assert row["domain_sessionidx"] == 3
    assert row["geo_latitude"] == 52.52
    assert row["tr_total"] == 12.5
    assert row["se_value"] == 0.1
    assert row["page_urlport"] == 443
    assert row["br_cookies"] is True
    assert row["dvce_ismobile"] is False
    assert row["contexts"] == event["contexts"]
    assert row["unstruct_event"] is None
    assert row["user_id"] is None
    assert row["load_tstamp"] is not None
    # Every value given comes back equal (timestamps as datetimes, the id as a UUID).
    for name, value in event.items():
        if value is None or name.endswith("tstamp") or name == "event_id":
            continue
        assert row[name] == value, name


def test_load_tstamp_is_the_time_of_loading():
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    event = page_view()
    batch_load([loadable(event)], [])
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert before <= _row(event["event_id"])["load_tstamp"] <= after


def test_loaded_events_land_in_their_months_partition_and_old_ones_in_the_default():
    recent, ancient = page_view(), page_view(collector_tstamp=0)
    batch_load([loadable(recent), loadable(ancient)], [])
    where = dict(fetch("SELECT event_id::text, tableoid::regclass::text FROM atomic.events"))
    assert where == {recent["event_id"]: "atomic.events_2026_12", ancient["event_id"]: "atomic.events_default"}


def test_the_manifest_records_every_payload_and_reports_loaded_ones():
    assert loaded_payload_ids(["a", "b", "c"]) == set()
    batch_load([loadable()], ["a", "b"])
    assert loaded_payload_ids(["a", "b", "c"]) == {"a", "b"}
    assert loaded_payload_ids([]) == set()


def test_a_payload_with_no_valid_event_is_still_recorded():
    result = batch_load([], ["all-bad-rows"])
    assert result == LoadResult(0, 0, 0, 1, 0, result.batch_id)
    assert loaded_payload_ids(["all-bad-rows"]) == {"all-bad-rows"}


def test_a_natural_duplicate_within_a_batch_is_loaded_once():
    event = page_view()
    result = batch_load([loadable(event, "fp"), loadable(dict(event), "fp")], ["p1"])
    assert (result.events_loaded, result.duplicates_skipped) == (1, 1)
    assert _count() == 1


def test_a_natural_duplicate_in_a_later_batch_is_skipped():
    event = page_view()
    batch_load([loadable(event, "fp")], ["p1"])
    result = batch_load([loadable(dict(event), "fp"), loadable(fingerprint="other")], ["p2"])
    assert (result.events_loaded, result.duplicates_skipped, result.synthetic_duplicates) == (1, 1, 0)
    assert _count() == 2


def test_a_redelivered_payload_reloaded_by_a_careless_caller_still_lands_once():
    events = [loadable(), loadable()]
    batch_load(events, ["1700000000000-0"])
    again = batch_load(events, ["1700000000000-0"])
    assert (again.events_loaded, again.duplicates_skipped, again.payloads_recorded) == (0, 2, 0)
    assert _count() == 2


def test_a_synthetic_duplicate_gets_a_new_id_and_a_duplicate_context():
    original = page_view()
    copy = dict(original, page_title="Shoes (prefetched)")
    batch_load([loadable(original, "fp-a")], [])
    result = batch_load([loadable(copy, "fp-b")], [])
    assert (result.events_loaded, result.synthetic_duplicates) == (1, 1)
    new_id = str(uuid.uuid5(uuid.UUID(original["event_id"]), "fp-b"))
    row = _row(new_id)
    assert row["page_title"] == "Shoes (prefetched)"
    assert row["derived_contexts"] == {
        "schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
        "data": [
            {
                "schema": "iglu:com.snowplowanalytics.snowplow/duplicate/jsonschema/1-0-0",
                "data": {"originalEventId": original["event_id"]},
            }
        ],
    }
    assert _row(original["event_id"])["page_title"] == "Shoes"
    assert copy["event_id"] == original["event_id"], "the caller's dict is left alone"


def test_synthetic_duplicates_within_one_batch_keep_the_first_and_reidentify_the_rest():
    original = page_view()
    derived = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1", "data": [{"x": 1}]}
    copy = dict(original, derived_contexts=derived)
    result = batch_load([loadable(original, "fp-a"), loadable(copy, "fp-b"), loadable(copy, "fp-b")], [])
    assert (result.events_loaded, result.duplicates_skipped, result.synthetic_duplicates) == (2, 1, 1)
    new_id = str(uuid.uuid5(uuid.UUID(original["event_id"]), "fp-b"))
    assert _row(new_id)["derived_contexts"]["data"] == [
        {"x": 1},
        {
            "schema": "iglu:com.snowplowanalytics.snowplow/duplicate/jsonschema/1-0-0",
            "data": {"originalEventId": original["event_id"]},
        },
    ]
    # Delivered again (a replay), the re-identified copy is a natural duplicate.
    again = batch_load([loadable(copy, "fp-b")], [])
    assert (again.events_loaded, again.duplicates_skipped) == (0, 1)


def test_upper_case_event_ids_are_the_same_event():
    event = page_view()
    batch_load([loadable(event, "fp")], [])
    result = batch_load([loadable(dict(event, event_id=event["event_id"].upper()), "fp")], [])
    assert result.duplicates_skipped == 1


def test_nothing_is_loaded_when_the_callers_transaction_rolls_back():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        batch_load([loadable()], ["p1"])
        raise Abort
    assert _count() == 0
    assert loaded_payload_ids(["p1"]) == set()
    assert fetch("SELECT count(*) FROM warehouse_event_key") == [(0,)]


def test_hostile_strings_never_make_copy_fail():
    event = page_view(
        page_title="Sh\x00oes",
        user_id="ab\ud800cd",
        geo_country="DEU",
        page_urlpath="/" + "x" * 5000,
        se_label="tab\there\nnew line \\N back\\slash",
        txn_id=2**40,
        contexts={"schema": "iglu:x/y/jsonschema/1-0-0", "data": [{"a\x00": "b\x00\udc80", "n": float("nan")}]},
    )
    result = batch_load([loadable(event)], ["p1"])
    assert result.events_loaded == 1
    row = _row(event["event_id"])
    assert row["page_title"] == "Shoes"
    assert row["user_id"] == "ab\ufffdcd"
    assert row["geo_country"] == "DE"
    assert row["page_urlpath"] == "/" + "x" * 2999
    assert row["se_label"] == "tab\there\nnew line \\N back\\slash"
    assert row["txn_id"] is None
    assert row["contexts"] == {"schema": "iglu:x/y/jsonschema/1-0-0", "data": [{"a": "b\ufffd", "n": None}]}


def test_one_hostile_event_does_not_change_its_neighbours():
    clean, hostile = page_view(page_title="Plain\ttitle"), page_view(page_title="\x00")
    batch_load([loadable(clean), loadable(hostile)], [])
    assert _row(clean["event_id"])["page_title"] == "Plain\ttitle"
    assert _row(hostile["event_id"])["page_title"] is None


def test_an_event_missing_a_required_field_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="v_etl"):
        batch_load([loadable(), LoadableEvent(page_view(v_etl=None), "fp")], ["p1"])
    with pytest.raises(ValueError, match="no UUID"):
        batch_load([LoadableEvent(page_view(event_id="not-a-uuid"), "fp")], [])
    assert loaded_payload_ids(["p1"]) == set()


def test_a_large_batch_loads_every_event():
    events = [loadable(collector_tstamp=T0 + i) for i in range(2000)]
    result = batch_load(events, [str(i) for i in range(2000)])
    assert (result.events_loaded, result.payloads_recorded) == (2000, 2000)
    assert _count() == 2000


def test_the_first_copy_ever_loaded_keeps_the_id_whatever_the_order_in_a_later_batch():
    original = page_view()
    batch_load([loadable(original, "fp-2")], [])
    result = batch_load([loadable(dict(original), "fp-1"), loadable(dict(original), "fp-2")], [])
    assert (result.events_loaded, result.duplicates_skipped, result.synthetic_duplicates) == (1, 1, 1)
    ids = {row[0] for row in fetch("SELECT event_id::text FROM atomic.events")}
    assert ids == {original["event_id"], str(uuid.uuid5(uuid.UUID(original["event_id"]), "fp-1"))}


def test_a_batch_with_a_refused_value_records_its_payloads_and_keys_once_and_a_replay_changes_nothing():
    # The loader's fast attempt is rolled back whole when COPY refuses a value and the batch is loaded again
    # cleaned: the manifest, the de-duplication keys and the re-identified copy must come out as for any batch.
    original = page_view()
    batch_load([loadable(original, "fp-1")], ["p0"])
    hostile = page_view(page_title="\x00")
    synthetic = dict(original, page_title="Sh\x00oes")
    batch = [loadable(hostile, "fp-h"), loadable(synthetic, "fp-2")]
    result = batch_load(batch, ["p1", "p2"])
    assert (result.events_loaded, result.synthetic_duplicates, result.payloads_recorded) == (2, 1, 2)
    new_id = str(uuid.uuid5(uuid.UUID(original["event_id"]), "fp-2"))
    assert _row(new_id)["page_title"] == "Shoes"
    assert fetch("SELECT count(*) FROM warehouse_load_manifest WHERE payload_id IN ('p1', 'p2')") == [(2,)]
    keys = fetch(
        "SELECT event_id::text, fingerprint FROM warehouse_event_key WHERE event_id::text = ANY(%s) ORDER BY 2",
        [[hostile["event_id"], new_id]],
    )
    assert keys == [(new_id, "fp-2"), (hostile["event_id"], "fp-h")]
    again = batch_load(batch, ["p1", "p2"])
    assert (again.events_loaded, again.duplicates_skipped, again.payloads_recorded) == (0, 2, 0)
    assert _count() == 3
