"""Scheduled email reports: the last day, week or month of a site, sent through Django's email backend."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string

from dashboards import periods, selectors, tables
from dashboards.errors import QueryError
from dashboards.models import EmailReport, Site
from dashboards.query import DashboardQuery

logger = logging.getLogger(__name__)
MAX_RECIPIENTS = 20
REPORT_TABLES = ("top-pages", "top-sources", "top-countries")


def report_create(site: Site, user, recipients: str, frequency: str) -> EmailReport:
    """Validate the comma- or line-separated recipients and the frequency, then schedule the report."""
    addresses = [a.strip() for a in recipients.replace("\n", ",").split(",") if a.strip()]
    if not addresses or len(addresses) > MAX_RECIPIENTS:
        raise QueryError("recipients", f"Give 1 to {MAX_RECIPIENTS} email addresses.")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise QueryError("recipients", f"{address[:80]!r} is not an email address.") from None
    if frequency not in dict(EmailReport.FREQUENCIES):
        raise QueryError("frequency", "Choose daily, weekly or monthly.")
    return EmailReport.objects.create(site=site, recipients=addresses, frequency=frequency, created_by=user)


def get_report_period(frequency: str, today: dt.date) -> periods.DateRange:
    """The last complete period before `today`: yesterday, last Monday-Sunday, or last calendar month."""
    if frequency == EmailReport.DAILY:
        return periods.get_range("yesterday", today)
    if frequency == EmailReport.WEEKLY:
        last_sunday = today - dt.timedelta(days=today.isoweekday())
        return periods.DateRange(last_sunday - dt.timedelta(days=6), last_sunday)
    return periods.get_range("last_month", today)


def get_report_query(site: Site, period: periods.DateRange) -> DashboardQuery:
    return DashboardQuery(site=site, preset="custom", period=period, compare="previous",
                          comparison=periods.get_comparison(period, "previous"), interval="day", filters=())


def report_send(report: EmailReport, period: periods.DateRange) -> None:
    """Render the report for `period` (text and escaped HTML) and send it to every recipient."""
    query = get_report_query(report.site, period)
    context = {
        "site": report.site, "period": period, "report": report,
        "totals": selectors.get_totals(query), "previous": selectors.get_totals(query, comparison=True),
        "tables": [(t, t.rows(query)) for t in (tables.get_table(i)[1] for i in REPORT_TABLES)],
        "base_url": settings.DASHBOARDS_BASE_URL,
    }
    subject = f"{report.site.name}: {report.get_frequency_display().split(' ')[0].lower()} report, {period.start}"
    if period.days > 1:
        subject += f" to {period.end}"
    message = EmailMultiAlternatives(subject, render_to_string("dashboards/email/report.txt", context),
                                     to=list(report.recipients))
    message.attach_alternative(render_to_string("dashboards/email/report.html", context), "text/html")
    message.send()


def reports_send_due(now: dt.datetime | None = None) -> int:
    """Send every report whose last complete period has not been sent yet; return how many were sent.

    Each report is marked sent only after its email went out, so a failure is retried on the next run.
    """
    sent = 0
    for report in EmailReport.objects.select_related("site"):
        today = (now or dt.datetime.now(dt.UTC)).astimezone(periods.zoneinfo.ZoneInfo(report.site.timezone)).date()
        period = get_report_period(report.frequency, today)
        if report.last_period_end and report.last_period_end >= period.end:
            continue
        try:
            report_send(report, period)
        except OSError:
            logger.exception("Email report %s for site %s could not be sent; will retry", report.pk, report.site_id)
            continue
        EmailReport.objects.filter(pk=report.pk).update(last_period_end=period.end)
        sent += 1
    return sent
