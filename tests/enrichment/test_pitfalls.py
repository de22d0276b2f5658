"""One test per known bug class of Snowplow enrich (enrichment spec section 7) that the core handles."""

import json

import pytest
from django.db import connection

from collector.sinks.postgres_table import PostgresTableSink
from enrichment.drain import drain_batch
from enrichment.pipeline import client_ip
from enrichment.processing import process_payload
from iglu import api as iglu
from tests.enrichment.payloads import collector_payload

pytestmark = pytest.mark.django_db


def test_a_malformed_sp_timestamp_fails_the_event_even_without_cross_navigation():
    url = "https://shop.example/?_sp=6de9024e-17b9-4026-bd4d-efec50ae84cb.notatime"
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "url": url}))
    assert outcome.bad[0].type == "enrichment_failures"


def test_a_valid_sp_fills_the_referring_domain_user_and_time():
    url = "https://shop.example/?_sp=6de9024e-17b9-4026-bd4d-efec50ae84cb.1653638729000"
    event = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "url": url})).good[0].event
    assert event["refr_domain_userid"] == "6de9024e-17b9-4026-bd4d-efec50ae84cb"
    assert event["refr_dvce_tstamp"] == 1653638729000


def test_invalid_utf8_and_nul_bytes_still_load():
    sink = PostgresTableSink()
    query = b"e=pv&p=web&tv=t&aid=bytes&page=caf%E9%00%ff%fe&url=https%3A%2F%2Fa.example%2F%00x"
    sink.write_batch([collector_payload("/i", querystring=query)])
    result = drain_batch(10, sink)
    assert result.good == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT page_title FROM atomic.events WHERE app_id = 'bytes'")
        title = cursor.fetchone()[0]
    assert title.startswith("caf") and "\x00" not in title


def test_control_characters_and_tabs_are_made_tsv_safe_in_the_tsv():
    from enrichment.writers import to_tsv

    event = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "page": "a\tb\r\nc"})).good[0]
    assert "a    bc" in to_tsv(event.event).split("\t")


@pytest.mark.parametrize(("headers", "expected"), [
    (["Forwarded: for=\"[2001:db8:cafe::17]\";proto=https"], "2001:db8:cafe::17"),
    (["Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43"], "192.0.2.60"),
    (["X-Forwarded-For: 198.51.100.1, 10.0.0.1", "Forwarded: for=192.0.2.60"], "198.51.100.1"),
    ([], "192.0.2.1"),
])
def test_client_ip_prefers_x_forwarded_for_then_forwarded_then_the_collector_ip(headers, expected):
    assert client_ip(headers, "192.0.2.1") == expected


def test_a_registry_outage_leaves_the_payload_for_a_retry(monkeypatch):
    sink = PostgresTableSink()
    ue = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
          "data": {"schema": "iglu:com.acme/thing/jsonschema/1-0-0", "data": {}}}
    sink.write_batch([collector_payload("/i", {"e": "ue", "p": "web", "tv": "t", "ue_pr": json.dumps(ue)})])

    def unavailable(sdj):
        raise iglu.RegistryUnavailable(iglu.parse_schema_key(sdj["schema"]), [])

    monkeypatch.setattr(iglu, "validate_instance", unavailable)
    with pytest.raises(iglu.RegistryUnavailable):
        drain_batch(10, sink)
    assert sink.pending_count() == 1
