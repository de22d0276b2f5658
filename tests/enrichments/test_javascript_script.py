"""JavaScript enrichment: Snowplow's process(event, params, headers) contract, in sandbox processes that protect
the worker from scripts that loop, allocate without end or throw."""

from __future__ import annotations

import base64
import os
import time

import pytest

from enrichment.enrichments.base import ConfigInvalid
from enrichment.enrichments.sandbox import Sandbox, SandboxError
from tests.enrichments.support import build, configuration, contexts, enrich, failure_messages, good

pytestmark = pytest.mark.django_db


def script(source: str, params: dict | None = None) -> dict:
    encoded = base64.b64encode(source.encode()).decode()
    return configuration("javascript_script_config", "1-0-1", {"script": encoded, "config": params or {}})


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.ENRICHMENT_JS_TIMEOUT_MS = 1500
    settings.ENRICHMENT_JS_MEMORY_MB = 128


def test_a_script_reads_and_sets_fields_with_snowplows_bean_getters_and_setters():
    event = good(enrich([script("""
        function process(event, params) {
          event.setUser_id(event.getApp_id() + "-" + params.suffix);
          event.setSe_value(2.5);
          event.setTr_total(event.getCollector_tstamp().length);
          return [];
        }""", {"suffix": "x"})]))
    assert event["user_id"] == "shop-x"
    assert event["se_value"] == 2.5
    assert event["tr_total"] == 23.0  # "2023-11-14 22:13:20.000", enrich's timestamp format


def test_returned_self_describing_jsons_become_derived_contexts_and_headers_are_passed():
    event = good(enrich([script("""
        function process(event, params, headers) {
          return [{schema: "iglu:com.snowplowanalytics.snowplow/client_side_bot_detection/jsonschema/1-0-0",
                   data: {bot: headers.indexOf("X-Bot: yes") >= 0, kind: null}}];
        }""")], headers=["X-Bot: yes"]))
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/client_side_bot_detection/") == [
        {"bot": True, "kind": None}]


def test_a_script_that_drops_the_event_drops_it_silently():
    assert enrich([script("function process(event) { event.drop(); return null; }")]) is None


def test_a_script_that_throws_fails_that_event_as_an_enrichment_failure():
    result = enrich([script("function process(event) { throw new Error('no way'); }")])
    (message,) = failure_messages(result)
    assert message["enrichment"]["identifier"] == "javascript-script"
    assert "Error during execution of JavaScript function" in message["message"]["error"]
    assert "no way" in message["message"]["error"]


def test_a_script_that_loops_forever_times_out_and_the_next_event_gets_a_fresh_sandbox():
    built = build(script("function process(event) { if (event.getUser_id() === 'loop') { while (true) {} } "
                         "return []; }"))
    started = time.monotonic()
    (message,) = failure_messages(enrich(built, {"uid": "loop"}))
    assert "timed out after 1500 ms" in message["message"]["error"]
    assert time.monotonic() - started < 5
    good(enrich(built, {"uid": "fine"}))
    built[0][1].close()


@pytest.mark.parametrize("allocation", [
    "for (var i = 0; i < 1000; i++) { hoard.push(new Float64Array(16 * 1024 * 1024)); }",  # typed arrays: 128 GB
    "while (true) { hoard.push('x'.repeat(1000000) + Math.random()); }",  # the V8 heap, without end
])
def test_a_script_that_allocates_gigabytes_fails_that_event_and_the_worker_lives(allocation, settings):
    settings.ENRICHMENT_JS_TIMEOUT_MS = 30_000  # let the memory limit, not the clock, stop it
    source = ("function process(event) { if (event.getUser_id() !== 'hog') { return []; } var hoard = []; "
              + allocation + " return []; }")
    built = build(script(source))
    (message,) = failure_messages(enrich(built, {"uid": "hog"}))
    # Either the capped process died (V8 aborts on heap exhaustion) or V8 refused the buffer at the OS limit.
    error = message["message"]["error"]
    assert ("sandbox died" in error and "memory limit of 128 MB" in error) or "allocation failed" in error, error
    good(enrich(built, {"uid": "fine"}))
    built[0][1].close()


def test_a_script_that_does_not_compile_is_rejected_with_the_compile_error():
    with pytest.raises(ConfigInvalid) as error:
        build(script("function process(event { return []; }"))
    assert "Error compiling JavaScript script" in error.value.errors[0]


def test_a_script_without_a_process_function_is_rejected():
    with pytest.raises(ConfigInvalid, match="must define function process"):
        build(script("var x = 1;"))


def test_a_script_returning_something_else_than_self_describing_jsons_fails_the_event():
    (message,) = failure_messages(enrich([script("function process(event) { return [42]; }")]))
    assert "array of self-describing JSONs" in message["message"]["error"]


def test_erase_derived_contexts_discards_what_earlier_enrichments_added():
    ua = configuration("ua_parser_config", "1-0-1", {})
    event = good(enrich([ua, script("function process(event) { event.eraseDerived_contexts(); return []; }")]))
    assert event.get("derived_contexts") is None


def test_a_sandbox_process_is_killed_and_replaced_after_a_timeout():
    sandbox = Sandbox("function __sp_run() { while (true) {} }", memory_mb=64, timeout_seconds=0.3)
    sandbox.start()
    pid = sandbox.process.pid
    with pytest.raises(SandboxError, match="timed out"):
        sandbox.call({"event": {}, "headers": []})
    assert sandbox.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
