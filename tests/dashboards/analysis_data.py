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
