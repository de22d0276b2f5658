"""Celery tasks of the dashboards: scheduled email reports and tile refreshes."""

from celery import shared_task

from dashboards import reports


@shared_task(name="dashboards.send_email_reports", ignore_result=True)
def send_email_reports() -> int:
    """Idempotent: a report is marked sent per period only after sending, so a re-run sends nothing twice
    and a failed send is retried at the next beat."""
    return reports.reports_send_due()


@shared_task(name="dashboards.refresh_tiles", ignore_result=True, expires=120)
def refresh_tiles() -> int:
    """Recompute the tiles of dashboards in use before they expire; a lost run only costs one slower page load."""
    from dashboards.tiles import tiles_refresh

    return tiles_refresh()
