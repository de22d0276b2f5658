"""The small data sets behind the realtime, funnels and retention tests, with their counts by hand."""

import datetime as dt
import uuid

from tests.dashboards.conftest import DE, FR, event, view


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


def order(when: dt.datetime, visitor: str, order_id: str, total: float, items: list[tuple], app_id: str = "shop",
          **fields) -> list[dict]:
    """One transaction (e=tr) and its items (e=ti): items are (sku, name, category, price, quantity)."""
    session = {"domain_sessionid": f"{visitor}-shopping", "page_urlpath": "/checkout", **fields}
    tr = event(app_id, when, visitor, "transaction", event_name="transaction", tr_orderid=order_id, tr_total=total,
               tr_currency="EUR", **session)
    return [tr, *(event(app_id, when, visitor, "transaction_item", event_name="transaction_item", ti_orderid=order_id,
                        ti_sku=sku, ti_name=name, ti_category=category, ti_price=price, ti_quantity=quantity,
                        ti_currency="EUR", **session)
                  for sku, name, category, price, quantity in items)]


def order_events() -> list[dict]:
    """Site time Asia/Kolkata (UTC+5:30), RANGE = local 30 Nov and 1 Dec 2026; times are UTC.

    O1 (30 Nov 10:30 local, France): 100.00 = SKU-A Mug 20 x 2 + SKU-B Tee 30 x 2; its tr event is sent twice.
    O2 (19:00 UTC on 30 Nov = 1 Dec 00:30 local, France): 50.50 = SKU-A Mug 20 x 1 + SKU-C Cap 30.50 x 1.
    O3 (1 Dec, Germany): 25.00 = SKU-B Tee 25 x 1. O4 (29 Nov local, before the range): 999.00 = SKU-Z 111 x 9.
    Another site's 5,000.00 order must never show.

    By hand over RANGE: 3 transactions, revenue 175.50, average order value 58.50, 7 items; products by revenue:
    SKU-B 3 sold 85.00 in 2 orders, SKU-A 3 sold 60.00 in 2 orders, SKU-C 1 sold 30.50 in 1 order.
    France only: 2 transactions, 150.50, 75.25 each, 6 items; SKU-A 60.00 (3), SKU-B 60.00 (2), SKU-C 30.50.
    Local 1 Dec only: 2 transactions, 75.50, 37.75 each. Previous period (28-29 Nov): 1 transaction, 999.00."""
    d = dt.datetime
    mug, tee, cap = ("SKU-A", "Mug", "Kitchen"), ("SKU-B", "Tee", "Clothes"), ("SKU-C", "Cap", "Clothes")
    first = order(d(2026, 11, 30, 5), "v1", "O1", 100.0, [(*mug, 20.0, 2), (*tee, 30.0, 2)], geo_country="FR")
    resent = {**first[0], "event_id": str(uuid.uuid4()), "collector_tstamp": first[0]["collector_tstamp"] + 60000}
    return [
        *first, resent,
        *order(d(2026, 11, 30, 19), "v3", "O2", 50.5, [(*mug, 20.0, 1), (*cap, 30.5, 1)], geo_country="FR"),
        *order(d(2026, 12, 1, 6), "v2", "O3", 25.0, [(*tee, 25.0, 1)], geo_country="DE"),
        *order(d(2026, 11, 29, 10), "v1", "O4", 999.0, [("SKU-Z", "Sofa", "Home", 111.0, 9)], geo_country="FR"),
        *order(d(2026, 11, 30, 6), "v9", "O9", 5000.0, [("SKU-S", "Secret", "Other", 5000.0, 1)], app_id="other"),
    ]


APP_ERROR = "iglu:com.snowplowanalytics.snowplow/application_error/jsonschema/1-0-2"
APPLICATION = "iglu:com.snowplowanalytics.mobile/application/jsonschema/1-0-0"


def crash(when: dt.datetime, visitor: str, session: str, version: str, message: str, exception: str,
          app_id: str = "shop") -> dict:
    """An application_error event from a mobile app at `version`."""
    return event(app_id, when, visitor, "unstruct", platform="mob", domain_sessionid=session,
                 event_name="application_error", event_vendor="com.snowplowanalytics.snowplow",
                 unstruct_event={"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                                 "data": {"schema": APP_ERROR, "data": {"message": message,
                                                                        "exceptionName": exception,
                                                                        "programmingLanguage": "JAVA"}}},
                 contexts={"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1",
                           "data": [{"schema": APPLICATION, "data": {"version": version, "build": "1"}}]})


def crash_events() -> list[dict]:
    """Site time Asia/Kolkata; RANGE = local 30 Nov and 1 Dec 2026; times are UTC.

    a1 crashes twice in session m1 on app 2.0.0 ('NPE in cart', NullPointerException) and once more in m3 on
    1 Dec; a2 crashes once in m2 on 1.9.0 ('Index out of range', IndexError); a3 crashed on 27 Nov (before the
    range); another site's crash must never show.

    By hand over RANGE: by message 'NPE in cart' 3 crashes, 2 sessions, 1 visitor; 'Index out of range' 1, 1, 1.
    By exception NullPointerException 3/2/1, IndexError 1/1/1. By app version 2.0.0 3/2/1, 1.9.0 1/1/1."""
    d = dt.datetime
    npe, index = ("NPE in cart", "NullPointerException"), ("Index out of range", "IndexError")
    return [
        crash(d(2026, 11, 30, 5, 0), "a1", "m1", "2.0.0", *npe),
        crash(d(2026, 11, 30, 5, 1), "a1", "m1", "2.0.0", *npe),
        crash(d(2026, 12, 1, 6, 0), "a2", "m2", "1.9.0", *index),
        crash(d(2026, 12, 1, 7, 0), "a1", "m3", "2.0.0", *npe),
        crash(d(2026, 11, 27, 7, 0), "a3", "m4", "2.0.0", "Old crash", "OldError"),
        crash(d(2026, 11, 30, 7, 0), "a9", "m9", "2.0.0", "Secret crash", "SecretError", app_id="other"),
    ]
