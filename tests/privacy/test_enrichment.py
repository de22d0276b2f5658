"""The per-site privacy step in the enrichment run: IP masking, DNT, internal traffic, origins, cookieless ids."""

from __future__ import annotations

import json
import uuid

import pytest

from enrichment.pipeline import BUILTIN_PHASE_2
from enrichment.processing import process_payload
from privacy.enrichment import site_privacy_step
from privacy.models import DailySalt
from privacy.visitors import salts_purge
from tests.enrichment.payloads import COLLECTOR_TSTAMP, NUID, collector_payload

pytestmark = pytest.mark.django_db
PHASE_2 = [*BUILTIN_PHASE_2, ("site_privacy", site_privacy_step)]
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"
DAY_MS = 86_400_000


def enrich(app_id: str = "shop", headers: list[str] | None = None, **payload_fields) -> dict | None:
    """One page view of `app_id` through the pipeline with the privacy step; None when it was dropped."""
    query = {"e": "pv", "p": "web", "tv": "js-4.0.0", "aid": app_id, "url": "https://shop.example/a",
             "duid": "tracker-duid"}
    outcome = process_payload(collector_payload("/i", query, headers=headers, **payload_fields), PHASE_2)
    assert outcome.bad == []
    return outcome.good[0].event if outcome.good else None


def test_a_new_site_stores_the_ip_address_with_its_last_octet_masked(make_site):
    make_site("shop")
    assert enrich()["user_ipaddress"] == "198.51.100.x"


def test_ipv6_addresses_lose_their_last_five_groups_by_default(make_site):
    make_site("shop")
    event = enrich(ipAddress="2001:db8:85a3::8a2e:370:7334")
    assert event["user_ipaddress"] == "2001:db8:85a3:x:x:x:x:x"


def test_the_number_of_masked_octets_is_a_site_setting(make_site):
    make_site("shop", anon_octets=2)
    assert enrich()["user_ipaddress"] == "198.51.x.x"


def test_a_site_that_turned_anonymisation_off_keeps_the_whole_address(make_site):
    make_site("shop", anonymise_ip=False)
    assert enrich()["user_ipaddress"] == "198.51.100.7"


def test_events_of_an_app_id_that_belongs_to_no_site_are_left_alone(make_site):
    make_site("shop")
    event = enrich("elsewhere")
    assert event["user_ipaddress"] == "198.51.100.7" and event["network_userid"] == NUID


@pytest.mark.parametrize("header", ["DNT: 1", "Sec-GPC: 1"])
def test_do_not_track_and_global_privacy_control_drop_the_event_by_default(make_site, header):
    make_site("shop")
    assert enrich(headers=[header]) is None


def test_a_site_may_choose_to_ignore_do_not_track(make_site):
    make_site("shop", respect_dnt=False)
    assert enrich(headers=["DNT: 1"]) is not None


def test_internal_traffic_is_excluded_by_ip_range(make_site):
    make_site("shop", internal_networks=["198.51.100.0/24"])
    assert enrich() is None
    assert enrich(ipAddress="203.0.113.9")["user_ipaddress"] == "203.0.113.x"


def test_internal_traffic_can_be_kept_and_tagged_instead(make_site):
    make_site("shop", internal_networks=["198.51.100.7/32"], internal_policy="flag")
    assert json.loads(enrich()["etl_tags"]) == ["internal"]


def test_an_origin_outside_the_site_is_dropped_when_the_site_refuses_others(make_site):
    make_site("shop", origin_policy="refuse", allowed_origins=["partner.example"])
    assert enrich(headers=["Origin: https://spam.example"]) is None
    assert enrich(headers=["Origin: https://www.shop.example"]) is not None
    assert enrich(headers=["Origin: https://partner.example"]) is not None


def test_an_origin_outside_the_site_is_tagged_when_the_site_flags_others(make_site):
    make_site("shop", origin_policy="flag")
    assert json.loads(enrich(headers=["Origin: https://spam.example"])["etl_tags"]) == ["disallowed_origin"]
    assert enrich(headers=["Origin: https://shop.example"]).get("etl_tags") is None


def test_a_cookieless_site_counts_one_visitor_per_address_and_browser_within_a_day(make_site):
    make_site("shop", cookieless=True)
    first, again = enrich(), enrich(timestamp=COLLECTOR_TSTAMP + 3_600_000)
    other_browser = enrich(userAgent="Mozilla/5.0 (Macintosh) Safari/605.1")
    assert first["network_userid"] == again["network_userid"] == first["domain_userid"]
    assert uuid.UUID(first["network_userid"]).version == 4
    assert first["network_userid"] not in (NUID, "tracker-duid")
    assert other_browser["network_userid"] != first["network_userid"]


def test_a_cookieless_visitor_is_a_new_visitor_the_next_day(make_site):
    make_site("shop", cookieless=True)
    today = enrich()["network_userid"]
    tomorrow = enrich(timestamp=COLLECTOR_TSTAMP + DAY_MS)["network_userid"]
    assert today != tomorrow
    assert DailySalt.objects.count() == 2


def test_the_same_visitor_on_two_cookieless_sites_gets_two_ids(make_site):
    make_site("shop", cookieless=True)
    make_site("blog", cookieless=True)
    assert enrich("shop")["network_userid"] != enrich("blog")["network_userid"]


def test_salts_older_than_yesterday_are_forgotten(make_site):
    import datetime as dt

    for day in (1, 2, 3):
        DailySalt.objects.create(day=dt.date(2026, 12, day), salt=b"x" * 32)
    assert salts_purge(today=dt.date(2026, 12, 3)) == 1
    assert sorted(DailySalt.objects.values_list("day__day", flat=True)) == [2, 3]


def test_the_workers_pipeline_runs_the_site_step_before_anon_ip_and_applies_saved_settings(make_site):
    from enrichment.config import get_pipeline, reset_pipeline
    from privacy.models import SitePrivacy
    from privacy.policies import site_privacy_save

    site = make_site("shop")
    reset_pipeline()
    names = [name for name, _ in get_pipeline()]
    assert names.index("site_privacy") > names.index("schema_fields")
    payload = collector_payload("/i", {"e": "pv", "p": "web", "tv": "t", "aid": "shop"})
    assert process_payload(payload, get_pipeline()).good[0].event["user_ipaddress"] == "198.51.100.x"
    site_privacy_save(SitePrivacy(site=site, anonymise_ip=False), None)
    from privacy.enrichment import forget_policies

    forget_policies()  # skips the five-second wait between reads
    assert process_payload(payload, get_pipeline()).good[0].event["user_ipaddress"] == "198.51.100.7"
    reset_pipeline()


@pytest.mark.parametrize(("policy", "tags"), [("keep", None), ("flag", '["unknown_app_id"]'), ("drop", "dropped")])
def test_events_of_an_app_id_no_site_lists_are_kept_tagged_or_dropped_per_setting(settings, make_site, policy, tags):
    settings.PRIVACY_UNKNOWN_APP_IDS = policy
    make_site("shop")
    event = enrich("stranger")
    assert ("dropped" if event is None else event.get("etl_tags")) == tags
    assert enrich("shop").get("etl_tags") is None


def test_app_ids_are_not_judged_before_any_site_exists(settings, db):
    settings.PRIVACY_UNKNOWN_APP_IDS = "drop"
    assert enrich("anything") is not None
