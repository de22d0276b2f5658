"""Date ranges in a site's time zone: presets, custom ranges, comparison periods and chart intervals."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from dashboards.errors import QueryError

MAX_DAYS = 3660
PRESETS = ("today", "yesterday", "7d", "30d", "90d", "month", "last_month", "year", "12mo", "custom")
PRESET_LABELS = {
    "today": "Today", "yesterday": "Yesterday", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days",
    "month": "This month", "last_month": "Last month", "year": "This year", "12mo": "Last 12 months",
    "custom": "Custom range",
}
COMPARISONS = ("", "previous", "year")
INTERVALS = ("hour", "day", "week", "month")
MAX_HOURLY_DAYS = 31


@dataclass(frozen=True)
class DateRange:
    """Inclusive local dates in the site's time zone."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def get_site_today(timezone: str) -> dt.date:
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def get_range(preset: str, today: dt.date, start: str | None = None, end: str | None = None) -> DateRange:
    """Return the range a preset means on `today`, or the custom `start`..`end` (ISO dates); raise QueryError."""
    if preset == "custom" or ((start or end) and not preset):
        return _custom_range(start, end, today)
    if preset not in PRESETS:
        raise QueryError("period", f"Unknown period {preset!r}; use one of {', '.join(PRESETS)}.")
    days_back = {"today": 0, "7d": 6, "30d": 29, "90d": 89}
    if preset in days_back:
        return DateRange(today - dt.timedelta(days=days_back[preset]), today)
    if preset == "yesterday":
        return DateRange(today - dt.timedelta(days=1), today - dt.timedelta(days=1))
    if preset == "month":
        return DateRange(today.replace(day=1), today)
    if preset == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return DateRange(last.replace(day=1), last)
    if preset == "year":
        return DateRange(today.replace(month=1, day=1), today)
    return DateRange(_shift_year(today, -1) + dt.timedelta(days=1), today)


def _custom_range(start: str | None, end: str | None, today: dt.date) -> DateRange:
    try:
        last = dt.date.fromisoformat(end) if end else today
        first = dt.date.fromisoformat(start) if start else last - dt.timedelta(days=29)
    except ValueError:
        raise QueryError("from", "Dates must look like 2026-12-31.") from None
    if first > last:
        raise QueryError("from", "The start date must not be after the end date.")
    if (last - first).days >= MAX_DAYS:
        raise QueryError("from", f"A date range may span at most {MAX_DAYS} days.")
    return DateRange(first, last)


def get_comparison(period: DateRange, mode: str) -> DateRange | None:
    """Return the period to compare with: the same length just before, or the same dates a year earlier."""
    if mode not in COMPARISONS:
        raise QueryError("compare", "Compare with 'previous' or 'year', or leave it empty.")
    if not mode:
        return None
    if mode == "previous":
        return DateRange(period.start - dt.timedelta(days=period.days), period.start - dt.timedelta(days=1))
    return DateRange(_shift_year(period.start, -1), _shift_year(period.end, -1))


def get_interval(requested: str, period: DateRange) -> str:
    """Return the chart interval: the one asked for, else hours for a day, days up to 3 months, then weeks."""
    if requested:
        if requested not in INTERVALS:
            raise QueryError("interval", f"Unknown interval {requested!r}; use one of {', '.join(INTERVALS)}.")
        if requested == "hour" and period.days > MAX_HOURLY_DAYS:
            raise QueryError("interval", f"Hourly charts cover at most {MAX_HOURLY_DAYS} days.")
        return requested
    if period.days <= 2:
        return "hour"
    return "day" if period.days <= 92 else "week" if period.days <= 366 else "month"


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)
