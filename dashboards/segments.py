"""Saved segments: a named set of URL filters, validated like the URL's own."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dashboards.errors import QueryError
from dashboards.filters import Filter
from dashboards.models import SavedSegment, Site


def segment_create(site: Site, user, name: str, filters: tuple[Filter, ...]) -> SavedSegment:
    name = name.strip()
    if not name or len(name) > 100:
        raise QueryError("name", "A segment name has 1 to 100 characters.")
    if not filters:
        raise QueryError("f", "Add at least one filter before saving a segment.")
    try:
        with transaction.atomic():
            return SavedSegment.objects.create(site=site, name=name, filters=[f.expression for f in filters],
                                               created_by=user)
    except IntegrityError:
        raise QueryError("name", f"A segment called {name!r} already exists on this site.") from None


def list_segments(site: Site) -> list[SavedSegment]:
    return list(SavedSegment.objects.filter(site=site))
