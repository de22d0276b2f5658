"""Data-subject requests in the admin: search and preview one person, export everything as JSON, delete it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection

from privacy.models import AuditEntry, ConsentWithdrawal
from privacy.subjects import get_subject_preview, subject_delete, subject_export
from tests.warehouse.factories import CONTEXTS, loadable, page_view
from warehouse.api import batch_load

pytestmark = pytest.mark.django_db
ALICE = "a11ce000-0000-4000-8000-000000000001"
BOB = "b0b00000-0000-4000-8000-000000000002"
WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
URL = "/admin/privacy/siteprivacy/subjects/"


@pytest.fixture
def people(settings, tmp_path, make_site):
    settings.WAREHOUSE_STORAGE_OPTIONS = {"location": str(tmp_path)}
    site = make_site("shop")
    context = {"schema": WEB_PAGE, "data": {"id": "0f4b3c2a-1d2e-4f5a-8b6c-7d8e9f0a1b2c"}}
    events = [page_view(domain_userid=ALICE, user_id="alice@example.com", contexts={"schema": CONTEXTS,
                                                                                   "data": [context]}),
              page_view(domain_userid=ALICE), page_view(domain_userid=BOB)]
    batch_load([loadable(e) for e in events], [])
    ConsentWithdrawal.objects.create(site=site, visitor=ALICE, withdrawn_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    return site


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("dpo", "dpo@example.com", "pw-Privacy-2026")
    client.force_login(user)
    return client


def count(identifier: str, value: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM atomic.events WHERE {identifier} = %s", [value])
        return cursor.fetchone()[0]


def test_the_preview_counts_one_persons_events_and_shows_them(people):
    preview = get_subject_preview("domain_userid", ALICE)
    assert (preview.events, preview.app_ids, preview.consent_withdrawals) == (2, ["shop"], 1)
    assert {row["domain_userid"] for row in preview.rows} == {ALICE}


def test_the_export_holds_every_event_with_its_contexts_the_entity_rows_and_the_consent_state(people):
    document = subject_export("domain_userid", ALICE, None)
    json.dumps(document)  # JSON-ready as it is
    assert len(document["events"]) == 2
    assert {e["domain_userid"] for e in document["events"]} == {ALICE}
    with_context = [e for e in document["events"] if e["contexts"]]
    assert with_context[0]["contexts"]["data"][0]["schema"] == WEB_PAGE
    assert sum(len(rows) for rows in document["entities"].values()) == 2  # one web_page context per event
    assert [w["site__name"] for w in document["consent"]["withdrawn"]] == ["Shop"]
    entry = AuditEntry.objects.get(action="subject.export")
    assert entry.after == {"identifier": "domain_userid", "value_sha256": hashlib.sha256(ALICE.encode()).hexdigest(),
                           "events": 2}
    assert ALICE not in json.dumps([entry.before, entry.after])  # the audit log keeps no personal data


def test_deleting_a_person_removes_their_rows_and_consent_state_only_and_reports_it(people):
    report = subject_delete("domain_userid", ALICE, None)
    assert report["events"] == 2 and report["consent_withdrawals"] == 1
    assert count("domain_userid", ALICE) == 0 and count("domain_userid", BOB) == 1
    assert not ConsentWithdrawal.objects.exists()
    assert AuditEntry.objects.get(action="subject.delete").after["events"] == 2


def test_the_admin_screen_searches_previews_exports_and_deletes_after_confirmation(people, admin_client):
    page = admin_client.get(URL, {"identifier": "user_id", "value": "alice@example.com"})
    assert page.status_code == 200 and "1 event with user_id" in page.content.decode()
    export = admin_client.post(URL, {"identifier": "domain_userid", "value": ALICE, "action": "export"})
    assert export["Content-Type"] == "application/json" and len(json.loads(export.content)["events"]) == 2
    unconfirmed = admin_client.post(URL, {"identifier": "domain_userid", "value": ALICE, "action": "delete"})
    assert unconfirmed.status_code == 200 and count("domain_userid", ALICE) == 2
    deleted = admin_client.post(URL, {"identifier": "domain_userid", "value": ALICE, "action": "delete",
                                      "confirm": ALICE})
    assert json.loads(deleted.context_data["report"])["events"] == 2 and count("domain_userid", ALICE) == 0
    assert AuditEntry.objects.get(action="subject.delete").actor_name == "dpo"


def test_only_superusers_may_open_the_data_subject_screen(people, client):
    staff = User.objects.create_user("analyst", password="pw-Analyst-2026", is_staff=True)
    client.force_login(staff)
    assert client.get(URL, {"identifier": "domain_userid", "value": ALICE}).status_code == 403


def test_the_command_previews_exports_to_a_file_and_deletes_only_with_yes(people, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    call_command("privacy_subject", "preview", "domain_userid", ALICE)
    assert capsys.readouterr().out.startswith("2 events")
    call_command("privacy_subject", "export", "domain_userid", ALICE, output=str(tmp_path / "alice.json"))
    assert len(json.loads((tmp_path / "alice.json").read_text())["events"]) == 2
    with pytest.raises(CommandError):
        call_command("privacy_subject", "delete", "domain_userid", ALICE)
    call_command("privacy_subject", "delete", "domain_userid", ALICE, yes=True)
    assert count("domain_userid", ALICE) == 0
    assert list(AuditEntry.objects.values_list("action", "actor_name")) == [
        ("subject.delete", "system"), ("subject.export", "system")]
