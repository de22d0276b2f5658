"""The official Python and Node trackers, unmodified, against a real uvicorn collector writing to Redis (spec 5)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import urllib.request
import uuid

import pytest
from snowplow_tracker import Emitter, PageView, SelfDescribing, SelfDescribingJson, StructuredEvent, Subject, Tracker

from tests.collector.conftest import REDIS_URL
from tests.collector.support import PAYLOAD_DATA, ROOT, TP2, query_params, stream_payloads

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
UUID_LEN = 36


def b64decode_any(value: str) -> dict:
    """Decode URL-safe Base64 with or without padding (spec 1.4)."""
    return json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))


def python_tracker(endpoint: str, method: str, subject: Subject | None = None) -> Tracker:
    emitter = Emitter(endpoint, method=method, batch_size=10 if method == "post" else 1)
    return Tracker(namespace="py-e2e", emitters=emitter, app_id="e2e-py", subject=subject)


def track_three(tracker: Tracker) -> None:
    tracker.track(PageView(page_url="https://example.com/", page_title="Home page"))
    tracker.track(StructuredEvent(category="shop", action="add", label="sku-1", value=9.99))
    tracker.track(SelfDescribing(SelfDescribingJson("iglu:com.acme/thing/jsonschema/1-0-0", {"a": 1})))
    tracker.flush()


def test_the_python_tracker_posts_a_batch_that_arrives_as_one_payload_with_every_event(redis_collector, stream_key):
    track_three(python_tracker(redis_collector.url, "post"))
    (payload,) = stream_payloads(REDIS_URL, stream_key)  # answered only after the write, so already there
    assert payload.path == TP2
    assert payload.contentType == "application/json; charset=utf-8"
    assert payload.userAgent.startswith("python-requests/")
    assert payload.ipAddress == "127.0.0.1"
    assert payload.hostname == "127.0.0.1"
    assert len(payload.networkUserId) == UUID_LEN
    assert payload.headers[-1] == "application/json; charset=utf-8"
    body = json.loads(payload.body)
    assert body["schema"] == PAYLOAD_DATA
    events = body["data"]
    assert [event["e"] for event in events] == ["pv", "se", "ue"]
    for event in events:
        assert (event["tv"], event["p"], event["aid"], event["tna"]) == ("py-1.1.0", "pc", "e2e-py", "py-e2e")
        assert all(isinstance(value, str) for value in event.values())
    assert events[0]["url"] == "https://example.com/" and events[0]["page"] == "Home page"
    assert (events[1]["se_ca"], events[1]["se_ac"], events[1]["se_la"], events[1]["se_va"]) == (
        "shop", "add", "sku-1", "9.99")
    unstruct = b64decode_any(events[2]["ue_px"])
    assert unstruct["data"] == {"schema": "iglu:com.acme/thing/jsonschema/1-0-0", "data": {"a": 1}}


def test_the_python_tracker_sends_one_get_per_event_to_i_with_spaces_as_plus(redis_collector, stream_key):
    subject = Subject().set_network_user_id("tnuid-value")
    track_three(python_tracker(redis_collector.url, "get", subject))
    payloads = stream_payloads(REDIS_URL, stream_key)
    assert [p.path for p in payloads] == ["/i", "/i", "/i"]
    assert [query_params(p)["e"] for p in payloads] == ["pv", "se", "ue"]
    assert b"page=Home+page" in payloads[0].querystring
    assert all(p.body is None and p.contentType is None for p in payloads)
    assert query_params(payloads[0])["tnuid"] == "tnuid-value"  # enrich's second pass, not the collector's


def test_a_request_without_origin_is_answered_with_a_wildcard_origin_and_the_sp_cookie(redis_collector, stream_key):
    with urllib.request.urlopen(f"{redis_collector.url}/i?e=pv&p=web&tv=no-js-0.1.0") as response:
        assert response.status == 200
        assert response.read().hex().startswith("474946383961")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Set-Cookie"].startswith("sp=")
    assert len(stream_payloads(REDIS_URL, stream_key)) == 1


@pytest.fixture(scope="module")
def node() -> str:
    if not shutil.which("node") or not (ROOT / "node_modules" / "@snowplow" / "node-tracker").exists():
        pytest.fail("run `npm ci` at the repository root: the Node tracker test needs node_modules")
    return shutil.which("node")


def run_node_tracker(node: str, endpoint: str, method: str, nuid: str) -> list[int]:
    script = ROOT / "tests" / "collector" / "node" / "send_events.mjs"
    result = subprocess.run([node, str(script), endpoint, method, nuid], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["statuses"]


def test_the_node_tracker_posts_its_buffer_as_one_payload_with_unpadded_base64(node, redis_collector, stream_key):
    nuid = str(uuid.uuid4())
    assert run_node_tracker(node, redis_collector.url, "post", nuid) == [200]
    (payload,) = stream_payloads(REDIS_URL, stream_key)
    assert payload.path == TP2
    assert payload.contentType == "application/json; charset=utf-8"  # sent as UTF-8, recorded lower-cased
    assert payload.userAgent == "node"
    assert "Sec-Fetch-Mode: cors" in payload.headers
    events = json.loads(payload.body)["data"]
    assert [event["e"] for event in events] == ["pv", "se", "ue"]
    for event in events:
        assert event["tv"].startswith("node-") and event["p"] == "srv" and event["aid"] == "e2e-node"
        assert event["nuid"] == nuid and event["duid"] == "domain-user-1"
        assert "=" not in event.get("cx", "") + event.get("ue_px", "")
    assert b64decode_any(events[2]["ue_px"])["data"]["data"] == {"a": 1, "text": "café ✓"}


def test_the_node_tracker_get_carries_nuid_which_the_collector_uses_for_the_network_user_id(
        node, redis_collector, stream_key):
    nuid = str(uuid.uuid4())
    assert run_node_tracker(node, redis_collector.url, "get", nuid) == [200, 200, 200]
    payloads = stream_payloads(REDIS_URL, stream_key)
    assert [(p.path, query_params(p)["e"]) for p in payloads] == [("/i", "pv"), ("/i", "se"), ("/i", "ue")]
    assert {p.networkUserId for p in payloads} == {nuid}
