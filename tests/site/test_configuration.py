"""Configuration from the environment: bad values stop the start with one sentence saying what to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from snowplow_site import config

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    full = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/snowplow", **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(("env", "sentence"), [
    ({"DATABASE_URL": "mysql://root@localhost/db"}, "Set DATABASE_URL to a postgres:// URL"),
    ({"DEBUG": "maybe"}, "Set DEBUG to true or false"),
    ({"REDIS_URL": "localhost:6379"}, "Set REDIS_URL to a redis:// URL"),
    ({"RAW_SINK": "kafka"}, "Set RAW_SINK to redis or postgres"),
    ({"DRAIN_BATCH_SIZE": "many"}, "Set DRAIN_BATCH_SIZE to a whole number"),
    ({"COLLECTOR_TRUSTED_PROXIES": "10.0.0.0/99"}, "Set COLLECTOR_TRUSTED_PROXIES to a comma-separated list"),
])
def test_a_bad_value_stops_the_start_with_one_sentence(env, sentence):
    result = run_check(**env)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"Configuration error: {sentence}")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_good_configuration_passes_the_check():
    assert run_check().returncode == 0


def test_custom_paths_accept_pairs_and_json(monkeypatch):
    monkeypatch.setenv("X", "/collect=/com.snowplowanalytics.snowplow/tp2,/r=/r/tp2")
    assert config.env_mapping("X") == {"/collect": "/com.snowplowanalytics.snowplow/tp2", "/r": "/r/tp2"}
    monkeypatch.setenv("X", '{"/a.b/c": "/com.snowplowanalytics.iglu/v1"}')
    assert config.env_mapping("X") == {"/a.b/c": "/com.snowplowanalytics.iglu/v1"}
