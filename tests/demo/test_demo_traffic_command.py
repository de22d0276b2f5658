"""`manage.py demo_traffic`: options, the summary it prints and its exit status."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tests.demo.conftest import CaptureServer


def _run(server: CaptureServer, **options) -> str:
    out = io.StringIO()
    call_command("demo_traffic", collector=server.url, days=2, visitors=5, seed=3, verbosity=0, stdout=out, **options)
    return out.getvalue()


def test_the_command_sends_through_the_collector_and_prints_a_summary(capture_server, tmp_path):
    output = _run(capture_server, geoip_out=str(tmp_path), app_id="shop-test", batch_size=7)
    events = capture_server.events()
    assert events and {event["aid"] for event in events} == {"shop-test"}
    assert max(len(request.events()) for request in capture_server.requests) <= 7
    assert (tmp_path / "demo-geoip2-city.mmdb").exists()
    assert "events sent by type" in output and "page_view" in output and "transaction" in output
    assert re.search(rf"^\s+total\s+{len(events)}$", output, re.MULTILINE)
    assert "0 refused" in output and "--seed 3" in output


def test_the_same_seed_sends_the_same_visits(capture_server):
    _run(capture_server)
    first = [(e["sid"], e["e"], e["url"]) for e in capture_server.events()]
    capture_server.requests.clear()
    _run(capture_server)
    second = [(e["sid"], e["e"], e["url"]) for e in capture_server.events()]
    assert len(first) == len(second) and first[:20] == second[:20]


def test_the_command_fails_when_the_collector_refuses(capture_server):
    capture_server.status = 400
    with pytest.raises(CommandError, match="refused"):
        _run(capture_server)


@pytest.mark.parametrize(
    "options",
    [{"collector": "http://127.0.0.1:1/com.snowplowanalytics.snowplow/tp2"}, {"days": 0}, {"visitors": 0}],
)
def test_bad_options_stop_before_sending(capture_server, options):
    out = io.StringIO()
    arguments = {"collector": capture_server.url, "verbosity": 0, "stdout": out, **options}
    with pytest.raises(CommandError):
        call_command("demo_traffic", **arguments)
    assert capture_server.requests == []
