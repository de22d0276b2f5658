"""The README's first command for real: quickstart with nothing configured (embedded PostgreSQL 18,
PostgreSQL sink, filesystem Celery transport), tracker traffic in, numbers on the login-protected dashboard."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from snowplow_tracker import Emitter, PageView, Subject, Tracker

from tests.e2e.stack import ROOT, free_port, poll, wait_for

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-Secret-Pa55"


def embedded_count(var_dir: Path, sql: str) -> int:
    with psycopg.connect(host=str(var_dir / "pgdata"), dbname="snowplow", user="postgres") as conn:
        return conn.execute(sql).fetchone()[0]


def login_and_get(base: str, path: str) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token,
                                   "next": path}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"})
    return opener.open(request).read().decode()


def test_quickstart_runs_the_product_on_embedded_postgresql_and_shows_the_events(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL",
                                                             "RAW_SINK", "DJANGO_SETTINGS_MODULE"}}
    env.update(SNOWPLOW_VAR_DIR=str(tmp_path), ADMIN_PASSWORD=PASSWORD, DRAIN_INTERVAL_SECONDS="1",
               PYTHONUNBUFFERED="1")
    log = (tmp_path / "quickstart.log").open("w")
    process = subprocess.Popen([sys.executable, "manage.py", "quickstart", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health", timeout=120)
        tracker = Tracker(namespace="embedded", app_id="my-site", emitters=Emitter(base, batch_size=5),
                          subject=Subject().set_platform("web").set_domain_user_id("visitor-1"))
        for path in ("/", "/pricing", "/docs"):
            tracker.track(PageView(page_url=f"https://my-site.example{path}", page_title=path))
        tracker.flush()

        count = poll(lambda: embedded_count(tmp_path, "SELECT count(*) FROM atomic.events WHERE app_id = 'my-site'"),
                     lambda n: n >= 3, timeout=60)
        assert count == 3
        assert embedded_count(tmp_path, "SELECT count(*) FROM collector_rawpayload") == 0
        assert embedded_count(tmp_path, "SELECT current_setting('server_version_num')::int / 10000") == 18

        page = login_and_get(base, "/dashboards/my-site/?period=7d")
        assert re.search(r'id="tile-page_views"><div class="label">Page views</div>\s*<div class="value">3<', page)
        assert re.search(r'id="tile-visitors"><div class="label">Visitors</div>\s*<div class="value">1<', page)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        log.close()
    assert code == 0, (tmp_path / "quickstart.log").read_text()[-3000:]
