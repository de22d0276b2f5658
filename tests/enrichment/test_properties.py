"""Property tests: whatever arrives, processing never raises and accounts for every event sent."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrichment.processing import process_payload
from tests.enrichment.payloads import collector_payload, tp2

pytestmark = pytest.mark.django_db
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KEYS = st.sampled_from(["e", "p", "tv", "eid", "dtm", "stm", "ttm", "url", "refr", "res", "vp", "cookie", "sid",
                        "vid", "se_va", "co", "cx", "ue_pr", "ue_px", "aid", "uid", "tr_tt", "ti_qu", "bogus"])
VALUES = st.one_of(st.text(max_size=40), st.sampled_from(["pv", "se", "ue", "web", "1", "0", "1x1", "null",
                                                         "1700000000000", "{", "[]", "http://[::1"]))


@PROPERTY_SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    outcome = process_payload(data)
    assert outcome.good or outcome.bad


@PROPERTY_SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["/i", "/com.snowplowanalytics.snowplow/tp2", "/r/tp2", "/x.y/v1"]))
def test_arbitrary_querystring_bytes_never_raise(query, path):
    outcome = process_payload(collector_payload(path, query=None, querystring=query))
    assert len(outcome.good) + len(outcome.bad) >= 1


@PROPERTY_SETTINGS
@given(st.lists(st.dictionaries(KEYS, VALUES, max_size=12), min_size=1, max_size=8))
def test_every_event_of_a_tp2_batch_is_either_good_or_its_own_bad_row(events):
    outcome = process_payload(tp2(events))
    assert len(outcome.good) + len(outcome.bad) + outcome.dropped == len(events)


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))),
       st.sampled_from(["application/json", "text/plain", "application/json; charset=UTF-8", None]))
def test_arbitrary_bodies_and_content_types_never_raise(body, content_type):
    outcome = process_payload(collector_payload("/com.snowplowanalytics.snowplow/tp2", body=body,
                                                content_type=content_type))
    assert outcome.good or outcome.bad


@PROPERTY_SETTINGS
@given(st.lists(st.text(max_size=60), max_size=6))
def test_arbitrary_header_lines_never_raise(headers):
    outcome = process_payload(collector_payload("/i", {"e": "pv", "p": "web", "tv": "t"}, headers=headers))
    assert len(outcome.good) == 1


def test_deeply_nested_json_is_a_bad_row_not_a_crash():
    deep = "[" * 5000 + "]" * 5000
    outcome = process_payload(collector_payload("/com.snowplowanalytics.snowplow/tp2", body=deep,
                                                content_type="application/json"))
    assert "depth" in json.dumps(outcome.bad[0].failure)
