"""Configurations: Snowplow's JSON checked before saving, directories imported and exported, defaults on first
start, Snowplow's order, and workers rebuilding their pipeline when the configuration version moves."""

from __future__ import annotations

import json

import pytest

from enrichment.config import ORDER, get_pipeline
from enrichment.configuration import (
    DEFAULTS_DIR,
    check_configuration,
    enrichment_config_save,
    enrichment_defaults_ensure,
    enrichments_export,
    enrichments_import,
)
from enrichment.enrichments.base import ConfigInvalid
from enrichment.models import EnrichmentConfig
from enrichment.versioning import config_version_bump
from tests.enrichments.support import configuration

pytestmark = pytest.mark.django_db
ANON = configuration("anon_ip", "1-0-1", {"anonOctets": 2})


def test_every_problem_of_a_configuration_is_reported_at_once():
    document = configuration("anon_ip", "1-0-1", {"anonOctets": 9, "extra": 1})
    document["data"]["enabled"] = "yes"
    with pytest.raises(ConfigInvalid) as error:
        check_configuration(document)
    assert len(error.value.errors) == 3
    assert any("enabled" in message for message in error.value.errors)
    assert any("anonOctets" in message for message in error.value.errors)


@pytest.mark.parametrize(("document", "message"), [
    ({"schema": "iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-1"}, "exactly 'schema' and 'data'"),
    (configuration("no_such_enrichment", "1-0-0", {}), "no enrichment is named"),
    (configuration("anon_ip", "2-0-0", {"anonOctets": 1}), "is not accepted by anon_ip"),
])
def test_a_configuration_that_is_not_a_known_enrichment_is_rejected_with_a_reason(document, message):
    with pytest.raises(ConfigInvalid, match=message):
        check_configuration(document)


def test_saving_stores_the_json_unchanged_and_mirrors_schema_and_enabled():
    row = enrichment_config_save("anon_ip", ANON)
    assert row.configuration == ANON
    assert (row.schema, row.enabled, row.enrichment_name) == (ANON["schema"], True, "anon_ip")


def test_a_directory_of_snowplow_files_imports_and_exports_unchanged(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "anon_ip.json").write_text(json.dumps(ANON))
    (source / "cookies.json").write_text(json.dumps(configuration("cookie_extractor_config", "1-0-0",
                                                                  {"cookies": ["sp"]}, enabled=False)))
    rows = enrichments_import(source)
    assert sorted(row.name for row in rows) == ["anon_ip", "cookies"]
    written = enrichments_export(tmp_path / "out")
    assert sorted(path.name for path in written) == ["anon_ip.json", "cookies.json"]
    assert json.loads((tmp_path / "out" / "anon_ip.json").read_text()) == ANON


def test_an_import_with_one_bad_file_imports_nothing_and_names_every_problem(tmp_path):
    (tmp_path / "anon_ip.json").write_text(json.dumps(ANON))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(json.dumps(configuration("anon_ip", "1-0-1", {"anonOctets": 0})))
    with pytest.raises(ConfigInvalid) as error:
        enrichments_import(tmp_path)
    assert [message.split(":")[0] for message in error.value.errors] == ["broken.json", "wrong"]
    assert not EnrichmentConfig.objects.exists()


def test_the_registry_file_with_a_list_of_enrichments_imports_each_one(tmp_path):
    script = configuration("javascript_script_config", "1-0-1", {"script": "ZnVuY3Rpb24gcHJvY2VzcygpIHt9"})
    registry = {"schema": "iglu:com.snowplowanalytics.snowplow/enrichments/jsonschema/1-0-0",
                "data": [ANON, script, script]}
    (tmp_path / "enrichments.json").write_text(json.dumps(registry))
    rows = enrichments_import(tmp_path)
    assert [row.name for row in rows] == ["anon_ip", "javascript_script_config", "javascript_script_config-2"]


def test_the_defaults_load_once_on_first_start_and_validate():
    assert enrichment_defaults_ensure() is True
    assert enrichment_defaults_ensure() is False
    enabled = set(EnrichmentConfig.objects.filter(enabled=True).values_list("name", flat=True))
    assert enabled == {"ip_lookups", "ua_parser_config", "referer_parser", "campaign_attribution",
                       "event_fingerprint_config"}
    assert EnrichmentConfig.objects.count() == len(list(DEFAULTS_DIR.glob("*.json")))


def test_the_pipeline_runs_builtin_steps_and_enrichments_in_snowplows_order_with_ip_lookups_before_weather():
    assert ORDER.index("ip_lookups") < ORDER.index("weather_enrichment_config")
    assert ORDER.index("iab_spiders_and_robots_enrichment") < ORDER.index("anon_ip")
    assert ORDER.index("builtin:referer_uri") < ORDER.index("referer_parser")
    assert ORDER[-2:] == ("anon_ip", "pii_enrichment_config")
    names = [name for name, _ in get_pipeline()]
    assert names == ["collector_version", "page_uri", "derived_tstamp", "ua_parser_config", "referer_uri",
                     "referer_parser", "campaign_attribution", "cross_domain", "event_fingerprint_config",
                     "ip_lookups", "schema_fields", "site_privacy"]


def test_workers_rebuild_the_pipeline_when_the_configuration_version_moves():
    get_pipeline()
    assert "anon_ip" not in [name for name, _ in get_pipeline()]
    enrichment_config_save("anon_ip", ANON)
    assert "anon_ip" not in [name for name, _ in get_pipeline()]  # same version: the built pipeline is kept
    config_version_bump()  # what the save's on_commit does
    assert "anon_ip" in [name for name, _ in get_pipeline()]
