"""Argument parsing shared by the warehouse commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def parse_moment(text: str) -> dt.datetime:
    """Parse an ISO 8601 date or date-time; a value without offset is UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not an ISO 8601 date or date-time (2026-12-03 or 2026-12-03T10:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
