"""An erasure request removes exactly one person's rows everywhere, and reports what it removed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection

from enrichment.models import BadRow
from tests.warehouse.conftest import fetch
from tests.warehouse.factories import CONTEXTS, collector_payload, loadable, page_view, page_view_query
from warehouse.api import batch_load, person_delete, raw_archive_record
from warehouse.archive import archived_payloads, raw_archive_flush
from warehouse.models import DeletionRequest, RawArchiveEntry
from warehouse.partitions import partitions_ensure

pytestmark = pytest.mark.django_db

ALICE = "a11ce000-0000-4000-8000-000000000001"
BOB = "b0b00000-0000-4000-8000-000000000002"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
H10 = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


def _event(domain_userid: str) -> dict:
    context = {"schema": WEB_PAGE, "data": {"id": "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c"}}
    return page_view(domain_userid=domain_userid, contexts={"schema": CONTEXTS, "data": [context]})


@pytest.fixture
def people(storage_dir):
    partitions_ensure(months_back=0, months_ahead=0, today=dt.date(2026, 12, 1))
    batch_load([loadable(_event(ALICE)), loadable(_event(ALICE)), loadable(_event(BOB))], [])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE derived.test_visitors (visitor_id text, user_id text)")
        cursor.execute("INSERT INTO derived.test_visitors VALUES (%s, 'u1'), (%s, 'u2')", [ALICE, BOB])
    now = dt.datetime.now(dt.UTC)
    for person in (ALICE, BOB):
        BadRow.objects.create(
            type="schema_violations",
            processor="t",
            failure_signature="s",
            first_seen=now,
            last_seen=now,
            data={"data": {"payload": {"raw": {"parameters": [{"name": "duid", "value": person}]}}}},
        )
    alice_payload = collector_payload(page_view_query(domain_userid=ALICE))
    bob_payload = collector_payload(page_view_query(domain_userid=BOB))
    raw_archive_record([("a1", alice_payload), ("b1", bob_payload)])
    RawArchiveEntry.objects.update(received_at=H10)
    raw_archive_flush(now=H10 + dt.timedelta(hours=2))
    raw_archive_record([("a2", alice_payload), ("b2", bob_payload)])


def test_a_deletion_request_removes_that_persons_rows_and_only_theirs(people):
    report = person_delete("domain_userid", ALICE)
    files = report.pop("raw_archive_files")
    assert list(files.values()) == [1] and next(iter(files)).startswith("raw/2026/12/03/10/part-")
    assert report == {
        "identifier": "domain_userid",
        "events": 2,
        "entities": {"com_snowplowanalytics_snowplow_web_page_1": 2},
        "derived": {"test_visitors": 1},
        "bad_rows": 1,
        "raw_archive_rows": 1,
    }
    assert fetch("SELECT DISTINCT domain_userid FROM atomic.events") == [(BOB,)]
    assert fetch("SELECT count(*) FROM atomic.com_snowplowanalytics_snowplow_web_page_1") == [(1,)]
    assert fetch("SELECT visitor_id FROM derived.test_visitors") == [(BOB,)]
    assert BadRow.objects.count() == 1
    archived = [p.payload_id for p in archived_payloads(H10, dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))]
    assert archived == ["b1", "b2"]
    request = DeletionRequest.objects.get()
    assert request.value_sha256 == hashlib.sha256(ALICE.encode()).hexdigest()
    assert request.report == {**report, "raw_archive_files": files}


def test_a_short_identifier_is_not_searched_for_in_raw_payloads(people):
    report = person_delete("user_id", "u1")
    assert report["not_searched"] == ["bad_rows", "raw_archive"]
    assert report["derived"] == {"test_visitors": 1}
    assert BadRow.objects.count() == 2


def test_an_unknown_identifier_is_refused():
    with pytest.raises(ValueError, match="user_id, domain_userid, network_userid"):
        person_delete("email", "a@example.com")
