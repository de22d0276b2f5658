"""The official browser tracker v4 in headless Chromium, on a page of another origin than the collector.

The page is served from http://127.0.0.1:P1 and the collector runs on http://127.0.0.1:P2: cross-origin (so
the credentialed fetch needs CORS and a preflight) but same-site (so the `sp` cookie is first-party). The
tracker is bundled with esbuild from node_modules at test time.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collector.conftest import REDIS_URL
from tests.collector.support import PAYLOAD_DATA, ROOT, TP2, free_port, query_params, stream_payloads

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HERE = Path(__file__).parent / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ZEROS = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The test page and the esbuild bundle of @snowplow/browser-tracker, served on their own origin."""
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists() or not Path(CHROMIUM).exists():
        pytest.fail("the browser test needs `npm ci` at the repository root and Debian's chromium package")
    root = tmp_path_factory.mktemp("site")
    shutil.copy(HERE / "index.html", root / "index.html")
    subprocess.run([str(esbuild), str(HERE / "entry.js"), "--bundle", "--format=iife", "--target=es2020",
                    f"--outfile={root / 'tracker.js'}", "--log-level=warning"], cwd=ROOT, check=True, timeout=60)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def recorded_cookies(payload) -> list[str]:
    """The cookie pairs of the recorded Cookie header (written without spaces, spec 4.2)."""
    lines = [h.removeprefix("Cookie: ") for h in payload.headers if h.startswith("Cookie: ")]
    return lines[0].split(";") if lines else []


def wait_for(page, tracker: str, count: int) -> list[int]:
    page.wait_for_function(f"window.statuses.{tracker}.length >= {count}", timeout=30_000)
    return page.evaluate(f"window.statuses.{tracker}")


def test_the_browser_tracker_sends_cross_origin_with_cors_gets_the_cookie_and_sends_it_back(
        page, site, redis_collector, stream_key):
    collector = redis_collector.url
    exchanges: list[tuple[str, dict, dict, int]] = []
    page.on("requestfinished", lambda request: exchanges.append(
        (request.url, request.all_headers(), request.response().all_headers(), request.response().status))
        if request.url.startswith(collector) else None)
    page.goto(f"{site}/index.html?collector={collector}")

    page.evaluate("snowplowE2E.trackPageView({title: 'Home'}, ['sp1'])")
    assert wait_for(page, "sp1", 1) == [200]  # fetch would have failed on any CORS error
    (cookie,) = [c for c in page.context.cookies(collector) if c["name"] == "sp"]
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"], cookie["path"]) == (True, True, "None", "/")
    assert cookie["domain"] == "127.0.0.1"
    assert abs(cookie["expires"] - (time.time() + 365 * 86400)) < 60

    page.evaluate("snowplowE2E.trackStructEvent({category: 'shop', action: 'add', label: 'sku'}, ['sp1'])")
    assert wait_for(page, "sp1", 2) == [200, 200]
    page.evaluate("snowplowE2E.trackPageView({title: 'Via GET'}, ['sp3'])")
    assert wait_for(page, "sp3", 1) == [200]

    deadline = time.monotonic() + 30
    while len(exchanges) < 3 and time.monotonic() < deadline:  # network events arrive after the JS callbacks
        page.wait_for_timeout(50)
    url, request_headers, response_headers, status = exchanges[0]
    assert url == f"{collector}{TP2}" and status == 200
    assert request_headers["origin"] == site
    assert response_headers["access-control-allow-origin"] == site
    assert response_headers["access-control-allow-credentials"] == "true"
    assert response_headers["content-type"] == "text/plain"
    sp = f"sp={cookie['value']}"
    # same site, so the page's own _sp_id/_sp_ses cookies travel too; ours is sent back on the next request
    assert sp not in exchanges[0][1].get("cookie", "").split("; ")
    assert sp in exchanges[1][1]["cookie"].split("; ")
    assert exchanges[2][0].startswith(f"{collector}/i?")
    assert exchanges[2][2]["content-type"] == "image/gif"

    first, second, third = stream_payloads(REDIS_URL, stream_key)
    assert first.networkUserId == second.networkUserId == third.networkUserId == cookie["value"]
    assert f"Origin: {site}" in first.headers
    assert sp not in recorded_cookies(first)
    assert sp in recorded_cookies(second)
    assert (first.path, first.contentType) == (TP2, "application/json; charset=utf-8")
    body = json.loads(first.body)
    assert body["schema"] == PAYLOAD_DATA
    (event,) = body["data"]
    assert (event["e"], event["p"], event["aid"], event["page"]) == ("pv", "web", "e2e-browser", "Home")
    assert event["tv"].startswith("js-4.")
    assert event["url"] == f"{site}/index.html?collector={collector}"
    contexts = json.loads(event["co"])  # v4 POSTs plain JSON (spec 1.4)
    assert contexts["data"][0]["schema"] == "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
    assert json.loads(second.body)["data"][0]["se_ca"] == "shop"
    assert (third.path, query_params(third)["e"], query_params(third)["page"]) == ("/i", "pv", "Via GET")
    assert "cx" in query_params(third)  # v4 GETs Base64


def test_server_anonymisation_records_zeros_and_deletes_the_existing_sp_cookie(page, site, redis_collector, stream_key):
    collector = redis_collector.url
    page.goto(f"{site}/index.html?collector={collector}")
    page.evaluate("snowplowE2E.trackPageView({}, ['sp1'])")
    assert wait_for(page, "sp1", 1) == [200]
    assert "sp" in [c["name"] for c in page.context.cookies(collector)]

    page.evaluate("snowplowE2E.trackPageView({title: 'Anonymous'}, ['sp2'])")
    assert wait_for(page, "sp2", 1) == [200]  # the preflight allowed SP-Anonymous
    _, anonymous = stream_payloads(REDIS_URL, stream_key)
    assert anonymous.networkUserId == ZEROS
    assert anonymous.ipAddress == "unknown"
    assert recorded_cookies(anonymous) == []  # SP-Anonymous drops the Cookie header (spec 3.5)
    assert "sp" not in [c["name"] for c in page.context.cookies(collector)]
