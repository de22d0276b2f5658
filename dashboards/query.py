"""One parsed dashboard question (site, range, comparison, interval, filters), shared by pages, exports and API."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.http import QueryDict

from dashboards import periods
from dashboards.errors import QueryError
from dashboards.filters import Filter, parse_filters
from dashboards.models import Site

DEFAULT_PRESET = "30d"


@dataclass(frozen=True)
class DashboardQuery:
    site: Site
    preset: str
    period: periods.DateRange
    compare: str
    comparison: periods.DateRange | None
    interval: str
    filters: tuple[Filter, ...]

    def params(self, **changes: object) -> dict[str, object]:
        """Return the URL parameters that reproduce this query, with `changes` applied."""
        values: dict[str, object] = {"period": self.preset}
        if self.preset == "custom":
            values |= {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        if self.compare:
            values["compare"] = self.compare
        values["f"] = [f.expression for f in self.filters]
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, [])}

    def cache_key(self) -> str:
        """Everything the answer depends on: the site's identity and settings, the dates, the filters."""
        site = self.site
        comparison = f"{self.comparison.start}..{self.comparison.end}" if self.comparison else ""
        return (f"{site.pk}|{site.timezone}|{','.join(site.app_ids)}|{self.period.start}..{self.period.end}|"
                f"{comparison}|{self.interval}|{'&'.join(f.expression for f in self.filters)}")

    def querystring(self, **changes: object) -> str:
        return urlencode(self.params(**changes), doseq=True)

    def with_filter(self, extra: Filter) -> DashboardQuery:
        return replace(self, filters=tuple(dict.fromkeys((*self.filters, extra))))

    def without_filter(self, gone: Filter) -> DashboardQuery:
        return replace(self, filters=tuple(f for f in self.filters if f != gone))


def parse_query(site: Site, params: QueryDict, default_preset: str = DEFAULT_PRESET) -> DashboardQuery:
    """Validate the URL parameters of a page or API call; raise QueryError naming the bad parameter."""
    for name in ("period", "from", "to", "compare", "interval"):
        if len(params.getlist(name)) > 1:
            raise QueryError(name, f"Give {name} at most once.")
    start, end = params.get("from"), params.get("to")
    preset = params.get("period") or ("custom" if start or end else default_preset)
    today = periods.get_site_today(site.timezone)
    period = periods.get_range(preset, today, start, end)
    compare = params.get("compare", "")
    return DashboardQuery(
        site=site,
        preset=preset,
        period=period,
        compare=compare,
        comparison=periods.get_comparison(period, compare),
        interval=periods.get_interval(params.get("interval", ""), period),
        filters=parse_filters(params.getlist("f")),
    )
