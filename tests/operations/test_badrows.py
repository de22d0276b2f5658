"""The bad-row browser: grouped by failure, filtered, each row readable, replayed or recovered so events land once."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection

from dashboards.models import Site
from enrichment.drain import drain_batch
from enrichment.models import BadRow
from operations.badrow_selectors import BadRowFilters, list_badrow_groups, list_badrows
from operations.models import RecoveryRule
from operations.recovery import badrows_replay, recovery_preview
from tests.enrichment.payloads import tp2

pytestmark = pytest.mark.django_db
LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
MISSING = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/9-0-0"
UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
FIX = [{"op": "replace", "path": "/body/data/0/ue_pr/data/schema", "value": LINK_CLICK}]
GROUPS = "/admin/operations/badrowgroup/"


def link_click(eid: str, schema: str = MISSING, aid: str = "shop") -> dict:
    return {"e": "ue", "eid": eid, "p": "web", "tv": "js-3.0.0", "aid": aid,
            "ue_pr": json.dumps({"schema": UNSTRUCT, "data": {"schema": schema, "data": {"targetUrl": "https://a.example/"}}})}


def send_and_drain(sink, payloads: list[bytes]) -> None:
    sink.write_batch(payloads)
    while drain_batch(100).payloads:
        pass


def atomic_event_ids() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT event_id::text FROM atomic.events WHERE event = 'unstruct' ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def broken_clicks(postgres_sink) -> list[str]:
    """Ten link clicks in two tp2 POSTs, all naming a schema version that does not exist, plus other failures."""
    eids = [str(uuid.uuid4()) for _ in range(10)]
    send_and_drain(postgres_sink, [tp2([link_click(e) for e in eids[:5]]), tp2([link_click(e) for e in eids[5:]]),
                                   tp2([{"e": "pv", "p": "web", "tv": "t", "aid": "blog", "bogus": "1"}]),
                                   b"garbage"])
    return eids


def test_rows_from_one_cause_show_as_one_group_with_their_count(broken_clicks):
    groups = list_badrow_groups(BadRowFilters())
    assert sorted((g.type, g.count) for g in groups) == [
        ("collector_payload_format_violation", 1), ("schema_violations", 10), ("tracker_protocol_violations", 1)]
    clicks = next(g for g in groups if g.type == "schema_violations")
    assert MISSING in clicks.message and clicks.new == 10 and clicks.app_ids == ["shop"]


def test_the_filters_narrow_by_type_site_schema_message_text_and_time(broken_clicks):
    Site.objects.create(name="Blog", slug="blog", app_ids=["blog"])
    count = lambda **kw: list_badrows(BadRowFilters(**kw)).count()  # noqa: E731
    assert count(type="schema_violations") == 10
    assert count(site="blog") == 1
    assert count(schema="link_click/jsonschema/9-0-0") == 10
    assert count(text="notfound") == 10
    assert count(text="no such words anywhere") == 0
    first = BadRow.objects.order_by("first_seen").first().first_seen
    assert count(until=first) == 0 and count(since=first) == 12


def test_the_groups_page_lists_signatures_in_a_fixed_number_of_queries(broken_clicks, admin_client,
                                                                       django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = admin_client.get(GROUPS, {"type": "schema_violations"}).content.decode()
    assert page.count("data-signature=") == 1 and '<td class="count">10</td>' in page


def test_a_row_page_shows_its_messages_and_its_payload_decoded_from_thrift(broken_clicks, admin_client):
    row = BadRow.objects.filter(type="schema_violations").first()
    page = admin_client.get(f"{GROUPS}{row.pk}/inspect/").content.decode()
    assert "9-0-0" in page and "Built-in schemas NotFound" in page
    assert "&quot;targetUrl&quot;: &quot;https://a.example/&quot;" in page  # ue_pr decoded inside the tp2 body
    assert "/com.snowplowanalytics.snowplow/tp2" in page


def test_a_recovery_rule_previews_on_a_sample_then_recovered_events_land_once(broken_clicks):
    rows = list_badrows(BadRowFilters(type="schema_violations"))
    preview = recovery_preview(rows, FIX, sample=3)
    assert [(item.good, item.bad, item.error) for item in preview] == [(1, 0, "")] * 3
    assert preview[0].after["body"]["data"][0]["ue_pr"]["data"]["schema"] == LINK_CLICK
    assert atomic_event_ids() == []  # a preview loads nothing

    result = badrows_replay(rows, FIX)
    assert (result.replayed, result.recovered, result.events_loaded, result.errors) == (10, 10, 10, {})
    assert set(BadRow.objects.filter(type="schema_violations").values_list("status", flat=True)) == {"recovered"}
    assert atomic_event_ids() == sorted(broken_clicks)
    assert badrows_replay(rows, FIX).replayed == 0  # only new rows are replayed

    BadRow.objects.filter(type="schema_violations").update(status="new")  # an operator runs the rule again
    assert badrows_replay(rows, FIX).events_loaded == 0
    BadRow.objects.filter(type="schema_violations").update(status="new")  # and a slightly different rule
    assert badrows_replay(rows, [{"op": "test", "path": "/path", "value": "/com.snowplowanalytics.snowplow/tp2"},
                                 *FIX]).events_loaded == 0
    assert atomic_event_ids() == sorted(broken_clicks)
    assert BadRow.objects.count() == 12  # and no new bad rows


def test_replaying_as_is_after_a_fix_loads_the_original_payload(postgres_sink):
    from iglu.publishing import schema_publish

    eid = str(uuid.uuid4())
    acme = "iglu:com.acme/click/jsonschema/1-0-0"
    send_and_drain(postgres_sink, [tp2([link_click(eid, schema=acme)])])
    rows = list_badrows(BadRowFilters(type="schema_violations"))
    assert badrows_replay(rows).recovered == 0  # not fixed yet: still failing, marked replayed
    assert rows.get().status == "replayed" and atomic_event_ids() == []

    schema_publish({"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
                    "self": {"vendor": "com.acme", "name": "click", "format": "jsonschema", "version": "1-0-0"},
                    "type": "object", "properties": {"targetUrl": {"type": "string"}}})
    rows.update(status="new")
    result = badrows_replay(rows)
    assert (result.replayed, result.recovered) == (1, 1)
    assert atomic_event_ids() == [eid] and BadRow.objects.count() == 1


def test_a_rule_that_does_not_fit_a_row_leaves_it_new_and_says_why(broken_clicks):
    rows = list_badrows(BadRowFilters(type="tracker_protocol_violations"))
    result = badrows_replay(rows, FIX)
    assert result.replayed == 0 and "no member 'ue_pr'" in next(iter(result.errors.values()))
    assert rows.get().status == "new"


def test_the_admin_recovers_a_group_with_a_saved_rule_after_a_preview(broken_clicks, admin_client):
    rule = RecoveryRule.objects.create(name="link_click 9-0-0 to 1-0-1", patch=FIX)
    signature = BadRow.objects.filter(type="schema_violations").first().failure_signature
    preview = admin_client.get(f"{GROUPS}recover/", {"signatures": signature, "rule": rule.pk}).content.decode()
    assert preview.count('class="preview-item"') == 5 and "1 good, 0 bad" in preview
    assert "Run on all 10 rows" in preview
    response = admin_client.post(f"{GROUPS}recover/", {"signatures": signature, "patch": json.dumps(FIX), "run": "1"})
    assert response.status_code == 302
    assert atomic_event_ids() == sorted(broken_clicks)


def test_the_admin_marks_a_group_ignored(broken_clicks, admin_client):
    response = admin_client.post(f"{GROUPS}act/", {"action": "ignored", "type": "collector_payload_format_violation"})
    assert response.status_code == 302
    assert BadRow.objects.get(type="collector_payload_format_violation").status == "ignored"
    assert BadRow.objects.filter(status="new").count() == 11


def test_a_saved_rule_must_be_a_valid_json_patch(admin_client):
    response = admin_client.post("/admin/operations/recoveryrule/add/", {
        "name": "broken", "description": "", "patch": json.dumps([{"op": "frobnicate", "path": "/a"}])})
    assert response.status_code == 200 and "needs an op" in response.content.decode()
    assert not RecoveryRule.objects.exists()
