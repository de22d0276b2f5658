"""Per-site retention: exactly the site's rows older than its limit are deleted, and the admin shows them first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection

from dashboards.models import Site
from enrichment.models import BadRow
from privacy.models import AuditEntry
from privacy.retention import get_retention_preview, site_retention_apply
from tests.warehouse.factories import loadable, page_view
from warehouse.api import batch_load

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def ms(days_ago: float) -> int:
    return int((NOW - dt.timedelta(days=days_ago)).timestamp() * 1000)


def events_by_app() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_id, count(*) FROM atomic.events GROUP BY app_id")
        return dict(cursor.fetchall())


def bad_row(app_id: str, days_ago: float) -> BadRow:
    seen = NOW - dt.timedelta(days=days_ago)
    return BadRow.objects.create(type="schema_violations", processor="test", failure_signature="x", app_id=app_id,
                                 first_seen=seen, last_seen=seen, data={})


@pytest.fixture
def history(make_site):
    make_site("shop", events_retention_days=30, bad_rows_retention_days=7)
    make_site("blog")
    events = [page_view(app_id="shop", collector_tstamp=ms(40)), page_view(app_id="shop", collector_tstamp=ms(31)),
              page_view(app_id="shop", collector_tstamp=ms(29)), page_view(app_id="blog", collector_tstamp=ms(40))]
    batch_load([loadable(e) for e in events], [])
    bad_row("shop", 8), bad_row("shop", 6), bad_row("blog", 8)
    with connection.cursor() as cursor:  # derived rows of the data models: one old and one recent per site
        for site in Site.objects.all():
            for days_ago in (40, 10):
                cursor.execute("INSERT INTO derived.events (site_id, event_id, session_id, tstamp, event_name, "
                               "is_bot) VALUES (%s, gen_random_uuid(), 's', %s, 'e', false)",
                               [site.pk, (NOW - dt.timedelta(days=days_ago)).replace(tzinfo=None)])


def test_the_preview_says_what_the_next_run_will_delete_per_site(history):
    [plan] = get_retention_preview(NOW)
    assert (plan.site.slug, plan.events_due, plan.derived_due, plan.bad_rows_due) == ("shop", 2, 1, 1)
    assert plan.events_before == NOW - dt.timedelta(days=30)
    assert plan.oldest_event == (NOW - dt.timedelta(days=40)).replace(tzinfo=None)


def test_retention_deletes_exactly_the_sites_rows_older_than_its_limits_and_audits_it(history):
    [plan] = site_retention_apply(NOW)
    assert plan.deleted == {"events": 2, "entity_rows": 2, "derived.events": 1, "bad_rows": 1}
    assert events_by_app() == {"shop": 1, "blog": 1}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM derived.events")
        assert cursor.fetchone()[0] == 3  # the blog's two and the shop's recent one
    assert sorted(BadRow.objects.values_list("app_id", flat=True)) == ["blog", "shop"]
    assert AuditEntry.objects.get(action="retention.delete").after == plan.deleted
    assert site_retention_apply(NOW)[0].deleted == {}  # nothing is due twice


def test_the_admin_page_lists_whats_due(history, client):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw-Root-2026"))
    page = client.get("/admin/privacy/siteprivacy/retention/")
    assert page.status_code == 200
    assert [p.site.slug for p in page.context_data["plans"]] == ["shop"]
