"""Configuration as code: export to a directory of JSON files, import into an empty database, same configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from dashboards.models import Site
from enrichment.configuration import enrichment_defaults_ensure
from iglu.publishing import schema_publish
from operations.alerts import get_alert_settings
from operations.configuration import SECTIONS, ConfigImportError, config_export, config_import
from operations.models import RecoveryRule

pytestmark = pytest.mark.django_db
ACME = {
    "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    "self": {"vendor": "com.acme", "name": "signup", "format": "jsonschema", "version": "1-0-0"},
    "type": "object", "properties": {"plan": {"type": "string"}}, "additionalProperties": False,
}


def staging_configuration() -> None:
    from warehouse.modeling.models import Goal
    from webhooks.models import WebhookEndpoint

    shop = Site.objects.create(name="Shop", slug="shop", timezone="Europe/Berlin", app_ids=["shop", "shop-ios"],
                               domains=["shop.example"])
    Site.objects.create(name="Blog", slug="blog", app_ids=["blog"])
    schema_publish(ACME, is_public=True)
    enrichment_defaults_ensure()
    WebhookEndpoint.objects.update_or_create(vendor="com.mailchimp", version="v1", defaults={
        "site": shop, "enabled": False, "signing_secret": "staging-secret"})
    Goal.objects.create(site=shop, name="Signed up", kind="page", page_pattern="/welcome")
    alert_settings = get_alert_settings()
    alert_settings.email_recipients, alert_settings.stall_seconds = "ops@example.com", 120
    alert_settings.save()
    RecoveryRule.objects.create(name="fix", patch=[{"op": "remove", "path": "/body/data/0/bogus"}])


def wipe_configuration() -> None:
    for section in reversed(SECTIONS):
        model = section.get_model()
        if model is not None:
            model.objects.all().delete()


def exported_files(directory: Path) -> dict[str, object]:
    files = {path.name: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}
    files["manifest.json"].pop("exported_at")
    return files


def test_export_then_import_into_an_empty_database_gives_the_same_configuration(tmp_path):
    staging_configuration()
    first = config_export(tmp_path / "staging")
    assert first.counts["sites"] == 2 and first.counts["schemas"] == 1 and first.counts["goals"] == 1
    assert first.counts["enrichments"] > 0 and first.counts["recovery_rules"] == 1

    wipe_configuration()
    assert not Site.objects.exists()
    config_import(tmp_path / "staging")
    config_export(tmp_path / "production")

    assert exported_files(tmp_path / "production") == exported_files(tmp_path / "staging")
    assert get_alert_settings().stall_seconds == 120


def test_secrets_stay_out_of_the_export_and_the_target_keeps_its_own(tmp_path):
    from webhooks.models import WebhookEndpoint

    staging_configuration()
    config_export(tmp_path)
    assert "staging-secret" not in "".join(p.read_text() for p in tmp_path.glob("*.json"))
    WebhookEndpoint.objects.filter(vendor="com.mailchimp").update(signing_secret="production-secret")
    config_import(tmp_path)
    assert WebhookEndpoint.objects.get(vendor="com.mailchimp").signing_secret == "production-secret"


def test_prune_removes_what_the_files_do_not_list_and_references_must_exist(tmp_path):
    staging_configuration()
    call_command("config_export", str(tmp_path))
    Site.objects.create(name="Extra", slug="extra", app_ids=["extra"])
    call_command("config_import", str(tmp_path), "--prune")
    assert sorted(Site.objects.values_list("slug", flat=True)) == ["blog", "shop"]

    goals = json.loads((tmp_path / "goals.json").read_text())
    goals[0]["site"] = {"slug": "nowhere"}
    (tmp_path / "goals.json").write_text(json.dumps(goals))
    with pytest.raises(ConfigImportError, match="no record"):
        config_import(tmp_path)


def test_a_directory_without_a_manifest_is_refused(tmp_path):
    (tmp_path / "sites.json").write_text("[]")
    with pytest.raises(ConfigImportError, match="not a configuration export"):
        config_import(tmp_path)
