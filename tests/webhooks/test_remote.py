"""Remote adapters: a configured vendor/version is turned into events by an HTTP service (a local test server)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.webhooks.support import adapt, messages, process
from webhooks.models import RemoteAdapter

PATH = "/com.acme.crm/v1"


class Service(BaseHTTPRequestHandler):
    """Answers with `self.server.answer` and remembers what it was sent."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.received.append(json.loads(self.rfile.read(length)))
        status, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Service)
    server.received, server.answer = [], (200, "{}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RemoteAdapter.objects.create(vendor="com.acme.crm", version="v1",
                                 url=f"http://127.0.0.1:{server.server_port}/adapt", read_timeout_seconds=2)
    yield server
    server.shutdown()
    server.server_close()


LINK_CLICK = {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
              "data": {"targetUrl": "https://crm.example/deal/1"}}


def test_the_service_gets_the_request_and_its_events_go_through_the_pipeline(service):
    ue = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                     "data": LINK_CLICK})
    service.answer = (200, json.dumps({"events": [{"e": "ue", "p": "srv", "tv": "crm-1", "aid": "crm", "ue_pr": ue},
                                                  {"e": "pv", "p": "srv", "tv": "crm-1", "url": "https://crm.example/"}]}))
    outcome = process(PATH, "aid=crm&x=1", '{"deal": 1}', "application/json")
    assert outcome.bad == []
    assert [good.event["event"] for good in outcome.good] == ["unstruct", "page_view"]
    assert outcome.good[0].event["unstruct_event"]["data"] == LINK_CLICK
    [sent] = service.received
    assert sent["contentType"] == "application/json" and sent["body"] == '{"deal": 1}'
    assert sent["queryString"] == {"aid": "crm", "x": "1"}
    assert "application/json" in sent["headers"]


@pytest.mark.parametrize(("answer", "expectation"), [
    ((200, '{"events": []}'), "[REMOTE_ADAPTER] empty list of events"),
    ((200, '{"events": {"e": "pv"}}'), "[REMOTE_ADAPTER] could not be decoded as a list of json objects"),
    ((200, '{"events": [{"e": {"x": 1}}]}'), "[REMOTE_ADAPTER] could not be decoded as a list of json objects"),
    ((500, "{}"), "[REMOTE_ADAPTER] could not get response from remote adapter"),
])
def test_unusable_answers_are_adapter_failures(service, answer, expectation):
    service.answer = answer
    [message] = messages(adapt(PATH, "", "{}", "application/json"))
    assert message["expectation"].startswith(expectation)


def test_an_answer_that_is_not_json_is_a_not_json_failure(service):
    service.answer = (200, "nope")
    [message] = messages(adapt(PATH, "", "{}", "application/json"))
    assert message["field"] == "response" and message["error"].startswith("invalid json: [REMOTE_ADAPTER]")


def test_an_empty_body_is_refused_without_calling_the_service(service):
    [message] = messages(adapt(PATH, "", None))
    assert message["expectation"].startswith("empty body: not a valid remote adapter http://127.0.0.1:")
    assert service.received == []


def test_a_service_that_is_down_is_a_failure_not_a_crash(service):
    RemoteAdapter.objects.filter(vendor="com.acme.crm").update(url="http://127.0.0.1:9/adapt")
    [message] = messages(adapt(PATH, "", "{}", "application/json"))
    assert message["expectation"].startswith("[REMOTE_ADAPTER] could not get response from remote adapter")


def test_an_unconfigured_vendor_is_unsupported():
    [row] = process("/com.acme.other/v1", "", "{}", "application/json").bad
    assert row.failure["messages"][0]["expectation"] == "vendor/version combination is not supported"
