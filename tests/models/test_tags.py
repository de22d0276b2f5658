"""Events privacy keeps but tags (internal, disallowed origin, unknown app id) count like bots: left out of
dashboards by default, counted with include_bots. Values computed by hand."""

import datetime as dt
import json

import pytest

from tests.models.conftest import load, page_view, rows
from warehouse.modeling import api
from warehouse.modeling.realtime import _excluded_tag
from warehouse.modeling.staging import EXCLUDED_TAGS

T0 = dt.datetime(2026, 11, 2, 10, 0, 0)
D = dt.date(2026, 11, 2)
INTERNAL = json.dumps(["internal"])  # as privacy/enrichment.py `_tag` writes it


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_the_excluded_tags_are_those_privacy_writes():
    assert EXCLUDED_TAGS == ("internal", "disallowed_origin", "unknown_app_id")


@pytest.mark.parametrize("etl_tags, excluded", [
    (None, False), ("", False), ("[]", False), ('["other"]', False), ("not json", False), ('"internal"', False),
    ('["internal"]', True), ('["other", "disallowed_origin"]', True), ('["unknown_app_id"]', True),
    (["internal"], True),
])
def test_realtime_tag_check(etl_tags, excluded):
    assert _excluded_tag(etl_tags) is excluded


@pytest.mark.parametrize("tag", EXCLUDED_TAGS)
def test_a_tagged_visitor_counts_only_with_include_bots(site, run, tag):
    # v1: one clean page view. v2: two page views in one session, the second tagged, so the session is flagged.
    load([page_view(at(0), "a1", "/", visitor="v1", session="s1"),
          page_view(at(0), "b1", "/", visitor="v2", session="s2"),
          page_view(at(20), "b2", "/x", visitor="v2", session="s2", etl_tags=json.dumps(["other", tag]))])
    run()
    assert rows("SELECT session_id, is_bot FROM derived.sessions ORDER BY 1") == [("s1", False), ("s2", True)]
    assert rows("SELECT page_view_id, is_bot FROM derived.page_views ORDER BY 1") == [
        ("a1", False), ("b1", True), ("b2", True)]
    default = api.get_overview(site, D, D)
    assert (default.visitors, default.sessions, default.page_views) == (1, 1, 1)
    everyone = api.get_overview(site, D, D, include_bots=True)
    assert (everyone.visitors, everyone.sessions, everyone.page_views) == (2, 2, 3)


def test_untagged_and_other_tags_still_count(site, run):
    load([page_view(at(0), "a1", visitor="v1", session="s1"),
          page_view(at(0), "b1", visitor="v2", session="s2", etl_tags=json.dumps(["other"]))])
    run()
    assert api.get_overview(site, D, D).visitors == 2


def test_realtime_leaves_an_internal_visitor_out_unless_include_bots(site):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    load([page_view(now - dt.timedelta(minutes=2), "r1", "/live", visitor="v1", session="s1"),
          page_view(now - dt.timedelta(minutes=1), "r2", "/office", visitor="v2", session="s2", etl_tags=INTERNAL)])
    live = api.get_realtime(site)
    assert (live.visitors, live.page_views, live.top_pages) == (1, 1, [("/live", 1)])
    everyone = api.get_realtime(site, include_bots=True)
    assert (everyone.visitors, everyone.page_views) == (2, 2)
    assert sorted(everyone.top_pages) == [("/live", 1), ("/office", 1)]
