"""Template filters for table cells: one formatting of numbers for pages and emails (CSV keeps raw numbers)."""

from __future__ import annotations

from django import template

from dashboards.tables import Column, cell

register = template.Library()


@register.filter
def cell_value(row: object, column: Column) -> object:
    return format_value(cell(row, column), column.kind)


def format_value(value: object, kind: str) -> object:
    """Show seconds as `1m 05s`, rates as `42.5%`, money with two decimals, missing numbers as an en dash."""
    if value is None:
        return "\u2013" if kind != "text" else "(none)"
    if kind == "seconds":
        minutes, seconds = divmod(round(float(value)), 60)
        return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind == "money":
        return f"{float(value):,.2f}"
    return value


@register.filter
def change(current: float | None, previous: float | None) -> str:
    """The relative change from the comparison period, as `+12%`, `-3%` (a minus sign) or an empty string."""
    if current is None or not previous:
        return ""
    percent = (float(current) - float(previous)) / float(previous) * 100
    sign = "+" if percent >= 0 else "\u2212"
    return f"{sign}{abs(percent):.0f}%"


@register.filter
def cell_value_raw(value: object, column: Column) -> object:
    return format_value(value, column.kind)
