"""Consent events: withdrawals recorded per site, later events kept or dropped per setting, grants undo it."""

from __future__ import annotations

import json
import time

import pytest

from enrichment.pipeline import BUILTIN_PHASE_2
from enrichment.processing import process_payload
from privacy.consent import consent_change
from privacy.consent_views import get_consent_summary
from privacy.enrichment import site_privacy_step
from privacy.models import ConsentWithdrawal
from tests.enrichment.payloads import collector_payload

pytestmark = pytest.mark.django_db
PHASE_2 = [*BUILTIN_PHASE_2, ("site_privacy", site_privacy_step)]
UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
VISITOR = "d1d1d1d1-0000-4000-8000-000000000001"


def send(kind: str = "pv", data: dict | None = None, schema: str = "", duid: str = VISITOR) -> dict | None:
    query = {"e": kind, "p": "web", "tv": "js-4.0.0", "aid": "shop", "duid": duid, "url": "https://shop.example/"}
    if kind == "ue":
        query["ue_pr"] = json.dumps({"schema": UNSTRUCT, "data": {"schema": schema, "data": data}})
    outcome = process_payload(collector_payload("/i", query), PHASE_2)
    assert outcome.bad == [], outcome.bad
    return outcome.good[0].event if outcome.good else None


def withdraw() -> dict | None:
    return send("ue", {"all": True}, "iglu:com.snowplowanalytics.snowplow/consent_withdrawn/jsonschema/1-0-0")


def grant() -> dict | None:
    return send("ue", {"expiry": "2030-01-01T00:00:00Z"},
                "iglu:com.snowplowanalytics.snowplow/consent_granted/jsonschema/1-0-0")


def test_a_withdrawal_is_recorded_and_the_visitors_later_events_are_dropped_by_default(make_site):
    site = make_site("shop")
    assert withdraw() is not None  # the withdrawal itself is kept: it is the record of consent
    assert ConsentWithdrawal.objects.filter(site=site, visitor=VISITOR).exists()
    assert send() is None
    assert send(duid="someone-else") is not None


def test_a_site_may_keep_the_events_of_visitors_who_withdrew(make_site):
    make_site("shop", withdrawn_consent="keep")
    withdraw()
    assert send() is not None


def test_granting_consent_again_ends_the_withdrawal(make_site):
    make_site("shop")
    withdraw()
    assert grant() is not None
    assert send() is not None
    assert not ConsentWithdrawal.objects.exists()


def test_the_enhanced_consent_plugins_deny_all_counts_as_a_withdrawal_and_allow_all_as_a_grant():
    def preferences(kind: str) -> dict:
        schema = "iglu:com.snowplowanalytics.snowplow/consent_preferences/jsonschema/1-0-0"
        return {"event_vendor": "com.snowplowanalytics.snowplow", "event_name": "consent_preferences",
                "unstruct_event": {"schema": UNSTRUCT, "data": {"schema": schema, "data": {"eventType": kind}}}}

    assert [consent_change(preferences(k)) for k in ("deny_all", "allow_all", "pending")] == [
        "withdrawn", "granted", None]


def test_the_consent_page_counts_consent_events_per_site_and_day(make_site):
    from tests.warehouse.factories import loadable, page_view
    from warehouse.api import batch_load

    site = make_site("shop")
    withdrawn = withdraw()
    withdrawn["collector_tstamp"] = int(time.time() * 1000)  # the page shows the last 90 days
    batch_load([loadable(withdrawn), loadable(page_view(app_id="blog", event_name="consent_withdrawn"))], [])
    summary = get_consent_summary(site)
    assert summary.totals == {"consent_withdrawn": 1}
    assert summary.withdrawn_visitors == 1
