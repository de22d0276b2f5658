"""The Micro-like debug API: its own capped store, Micro's filters and shapes, token-protected."""

import json

import pytest

from collector.sinks.postgres_table import PostgresTableSink
from dashboards.tokens import token_create
from enrichment.drain import drain_batch
from tests.enrichment.payloads import collector_payload, tp2

pytestmark = pytest.mark.django_db
LINK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"


@pytest.fixture
def micro(settings, client):
    settings.MICRO_ENABLED = True
    settings.MICRO_STORE_SIZE = 50
    _, secret = token_create("tests", ["micro"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def call(path, filters=None):
        if filters is None:
            return client.get(path, **headers)
        return client.post(path, json.dumps(filters), content_type="application/json", **headers)

    return call


def load_events():
    ue = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
          "data": {"schema": LINK, "data": {"targetUrl": "https://out.example/"}}}
    co = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
          "data": [{"schema": WEB_PAGE, "data": {"id": "7f4b5b47-91f3-4b9e-a2b2-6f0f7a1f2a3e"}}]}
    sink = PostgresTableSink()
    sink.write_batch([
        collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "aid": "a"}),
        collector_payload("/i", {"e": "ue", "p": "web", "tv": "t", "ue_pr": json.dumps(ue), "co": json.dumps(co)}),
        tp2([{"e": "pv", "p": "web", "tv": "t", "nope": "1"}]),
    ])
    drain_batch(10, sink)


def test_all_counts_good_and_bad(micro):
    load_events()
    assert micro("/micro/all").json() == {"total": 3, "good": 2, "bad": 1}


def test_good_filters_by_schema_and_contexts_with_micro_shapes(micro):
    load_events()
    found = micro("/micro/good", {"schema": LINK, "contexts": [WEB_PAGE]}).json()
    assert len(found) == 1
    assert found[0]["eventType"] == "unstruct" and found[0]["schema"] == LINK and found[0]["contexts"] == [WEB_PAGE]
    assert found[0]["event"]["unstruct_event_com_snowplowanalytics_snowplow_link_click_1"] == {
        "targetUrl": "https://out.example/"}
    assert found[0]["rawEvent"]["api"] == {"vendor": "com.snowplowanalytics.snowplow", "version": "tp1"}
    assert [e["eventType"] for e in micro("/micro/good", {"event_type": "page_view", "limit": 5}).json()] == [
        "page_view"]


def test_bad_returns_the_bad_row_json_in_errors(micro):
    load_events()
    bad = micro("/micro/bad", {"vendor": "com.snowplowanalytics.snowplow", "version": "tp2"}).json()
    assert len(bad) == 1
    row = json.loads(bad[0]["errors"][0])
    assert row["schema"].startswith("iglu:com.snowplowanalytics.snowplow.badrows/tracker_protocol_violations/")


def test_reset_clears_only_the_debug_store(micro):
    from django.db import connection

    load_events()
    assert micro("/micro/reset").content == b"Reset completed"
    assert micro("/micro/all").json() == {"total": 0, "good": 0, "bad": 0}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atomic.events")
        assert cursor.fetchone()[0] == 2


def test_iglu_resolves_schemas_and_404s_unknown_ones(micro):
    assert micro("/micro/iglu/com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1").json()["self"]["name"] == (
        "link_click")
    assert micro("/micro/iglu/com.acme/none/jsonschema/1-0-0").status_code == 404


def test_unknown_endpoints_list_the_supported_ones(micro):
    response = micro("/micro/nothing")
    assert response.status_code == 404 and "/micro/good" in response.json()["endpoints"]


def test_a_missing_or_wrong_token_is_refused(micro, client):
    assert client.get("/micro/all").status_code == 401
    assert client.get("/micro/all", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    _, api_only = token_create("api", ["api"])
    assert client.get("/micro/all", HTTP_AUTHORIZATION=f"Bearer {api_only}").status_code == 401


def test_the_debug_api_is_off_unless_enabled(client, settings):
    settings.MICRO_ENABLED = False
    assert client.get("/micro/all").status_code == 404


def test_bad_filters_get_a_clear_error(micro):
    assert micro("/micro/good", {"limit": -1}).status_code == 400
