"""The small data sets behind the realtime, funnels and retention tests, with their counts by hand."""

import datetime as dt

from tests.dashboards.conftest import DE, FR, view


def live_events() -> list[dict]:
    """Minutes ago (UTC now): v1 views /home and /pricing from google (FR); v2 views /home (DE) and sends a
    'signup' event; v3 viewed /old 45 minutes ago (outside the window); another site's visitor must not show.

    By hand: 2 visitors, 3 page views, 4 events; /home 2 visitors, /pricing 1; google 1, (none) 1; FR 1, DE 1."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ago = lambda minutes: now - dt.timedelta(minutes=minutes)  # noqa: E731
    return [
        view(ago(5), "v1", "s1", "/home", mkt_source="google", **FR),
        view(ago(4), "v1", "s1", "/pricing", mkt_source="google", **FR),
        view(ago(2), "v2", "s2", "/home", **DE),
        {**view(ago(1), "v2", "s2", "/home", **DE), "event": "unstruct", "event_name": "signup"},
        view(ago(45), "v3", "s3", "/old", **FR),
        view(ago(1), "v9", "s9", "/secret-other-site", app_id="other", **DE),
    ]


def retention_events() -> list[dict]:
    """Site time Asia/Kolkata (UTC+5:30); RANGE ends Tue 1 Dec 2026, so the 8 cohort weeks are the Mondays
    12 Oct ... 30 Nov. Times are UTC.

    Cohort 12 Oct: a (Mon 12 Oct), back 19 Oct (week 1) and 27 Oct (week 2); b (Wed 14 Oct), back 3 Nov (week 3);
    c (Tue 13 Oct), never back. Cohort 19 Oct: d (Tue 20 Oct), back 26 Oct (week 1). Cohort 23 Nov: e (Tue 24 Nov),
    back 1 Dec (week 1) and 8 Dec (after the window). Cohort 30 Nov: f (Mon 30 Nov) and g (19:00 UTC on Sun 29 Nov,
    already 00:30 on Mon 30 Nov site time). h was first seen 5 Oct (before the window) and comes back 20 Oct: no
    cohort. Another site's visitor must not show.

    By hand: 12 Oct 3 visitors: 100%, 33.3%, 33.3%, 33.3%, then 0.0% to week 7; 19 Oct 1: 100%, 100%, then 0.0%
    to week 6; 26 Oct, 2 Nov, 9 Nov, 16 Nov: 0 visitors (no shares); 23 Nov 1: 100%, 100%; 30 Nov 2: 100%."""
    d = dt.datetime
    visits = [
        ("a", d(2026, 10, 12, 8)), ("a", d(2026, 10, 19, 8)), ("a", d(2026, 10, 27, 8)),
        ("b", d(2026, 10, 14, 8)), ("b", d(2026, 11, 3, 8)),
        ("c", d(2026, 10, 13, 8)),
        ("d", d(2026, 10, 20, 8)), ("d", d(2026, 10, 26, 8)),
        ("e", d(2026, 11, 24, 8)), ("e", d(2026, 12, 1, 8)), ("e", d(2026, 12, 8, 8)),
        ("f", d(2026, 11, 30, 8)),
        ("g", d(2026, 11, 29, 19)),
        ("h", d(2026, 10, 5, 8)), ("h", d(2026, 10, 20, 9)),
    ]
    events = [view(when, f"r-{who}", f"r-{who}-{n}", "/home", **FR) for n, (who, when) in enumerate(visits)]
    return [*events, view(d(2026, 10, 19, 8), "r-x", "r-x-1", "/secret-other-site", app_id="other", **DE)]
