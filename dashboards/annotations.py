"""Annotations on a site's time series: created and deleted by site admins, shown to every reader."""

from __future__ import annotations

import datetime as dt

from dashboards.errors import QueryError
from dashboards.models import Annotation, Site
from dashboards.periods import DateRange

MAX_TEXT = 280


def annotation_create(site: Site, user, day: str, text: str) -> Annotation:
    try:
        parsed = dt.date.fromisoformat(day)
    except ValueError:
        raise QueryError("day", "Dates must look like 2026-12-31.") from None
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise QueryError("text", f"An annotation has 1 to {MAX_TEXT} characters.")
    return Annotation.objects.create(site=site, day=parsed, text=text, created_by=user)


def list_annotations(site: Site, period: DateRange) -> list[Annotation]:
    return list(Annotation.objects.filter(site=site, day__gte=period.start, day__lte=period.end))
