"""Page views: engaged time from pings with Snowplow's heartbeat and minimum-visit settings, scroll depth,
index in session, and the session's bounce flag."""

import datetime as dt

from tests.models.conftest import load, page_view, ping, rows

T0 = dt.datetime(2026, 11, 2, 10, 0, 0)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_engaged_time_counts_each_heartbeat_bucket_once(site, run):
    # Pings at 10:00:12, :15 (same 10 s bucket as :12), :23 and :38 -> buckets 1, 2, 3 -> 10 x (3 - 1) + 5 = 25 s.
    load([page_view(at(0), "pv1", "/a"), ping(at(12), "pv1"), ping(at(15), "pv1"), ping(at(23), "pv1"),
          ping(at(38), "pv1"), page_view(at(60), "pv2", "/b")])
    run()
    assert rows("SELECT page_view_id, page, page_view_in_session_index, engaged_time_in_s, absolute_time_in_s,"
                " is_entry, is_exit FROM derived.page_views ORDER BY 3") == [
        ("pv1", "/a", 1, 25, 38, True, False),
        ("pv2", "/b", 2, 0, 0, False, True),
    ]


def test_scroll_depth_is_clamped_to_the_document(site, run):
    load([page_view(at(0), "pv1"), ping(at(10), "pv1", pp_yoffset_max=900, pp_xoffset_max=0, doc_height=2000,
                                        doc_width=1000, br_viewheight=800, br_viewwidth=1000),
          ping(at(20), "pv1", pp_yoffset_max=5000, doc_height=2000, br_viewheight=800)])
    run()
    assert rows("SELECT vertical_pixels_scrolled, vertical_percentage_scrolled, horizontal_percentage_scrolled"
                " FROM derived.page_views") == [(2000, 100.0, 100.0)]
