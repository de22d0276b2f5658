"""Funnel steps from the URL: up to MAX_STEPS (kind, value) pairs, kept as repeated `kind` and `value` params."""

from __future__ import annotations

from django.http import QueryDict

from dashboards.errors import QueryError
from dashboards.models import Site
from dashboards.selectors import FUNNEL_KINDS

MAX_STEPS = 5
MAX_VALUE = 500


def parse_steps(site: Site, params: QueryDict) -> tuple[tuple[str, str], ...]:
    """Return the funnel's steps in order (rows with an empty value are skipped); raise QueryError on bad ones."""
    kinds, values = params.getlist("kind"), params.getlist("value")
    if len(kinds) != len(values):
        raise QueryError("kind", "Give every funnel step a kind and a value.")
    steps = tuple((kind, value.strip()) for kind, value in zip(kinds, values, strict=True) if value.strip())
    if len(steps) > MAX_STEPS:
        raise QueryError("value", f"A funnel has at most {MAX_STEPS} steps.")
    for number, (kind, value) in enumerate(steps, start=1):
        check_step(site, number, kind, value)
    return steps


def check_step(site: Site, number: int, kind: str, value: str) -> None:
    """Raise QueryError naming the step when its kind is unknown or its value unusable."""
    if kind not in FUNNEL_KINDS:
        raise QueryError("kind", f"Step {number}: the kind must be one of {', '.join(FUNNEL_KINDS)}.")
    if len(value) > MAX_VALUE or "\x00" in value:
        raise QueryError("value", f"Step {number}: the value must be under {MAX_VALUE} characters of text.")
    if kind == "goal" and not (value.isascii() and value.isdigit() and site.goals.filter(pk=int(value)).exists()):
        raise QueryError("value", f"Step {number}: {value!r} is not a goal of this site.")
    if kind == "page" and not value.startswith(("/", "*")):
        raise QueryError("value", f"Step {number}: a page path starts with / (use * as a wildcard).")
