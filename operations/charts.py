"""Inline SVG line charts for the health page: no JavaScript, nothing fetched from a CDN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = {"collected": "#6638b6", "enriched": "#1570ef", "loaded": "#12b76a", "failed": "#f04438"}


@dataclass(frozen=True)
class ChartSpec:
    title: str
    minutes: list[datetime]
    series: dict[str, list[int]]
    bucket: int = 1  # minutes summed into one point (a day's 1,440 minutes into 10-minute points)


def _buckets(values: list[int], size: int) -> list[int]:
    return [sum(values[i:i + size]) for i in range(0, len(values), size)]


def svg_line_chart(spec: ChartSpec, width: int = 1000, height: int = 200) -> SafeString:
    """One polyline per series over a shared y axis, with the maximum and the time range labelled."""
    series = {name: _buckets(values, spec.bucket) for name, values in spec.series.items()}
    points = max((len(values) for values in series.values()), default=0)
    peak = max((max(values) for values in series.values() if values), default=0) or 1
    left, bottom, top = 48, height - 22, 10
    step = (width - left - 8) / max(1, points - 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(spec.title)}" '
             f'class="ops-chart">',
             f'<line x1="{left}" y1="{bottom}" x2="{width - 8}" y2="{bottom}" stroke="#d0d5dd"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
             f'<text x="{left - 6}" y="{bottom}" text-anchor="end" font-size="11">0</text>']
    for name, values in series.items():
        coords = " ".join(f"{left + i * step:.1f},{bottom - (bottom - top) * v / peak:.1f}"
                          for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{COLOURS.get(name, "#667085")}" stroke-width="1.5" '
                     f'points="{coords}"><title>{escape(name)}</title></polyline>')
    if spec.minutes:
        parts.append(f'<text x="{left}" y="{height - 4}" font-size="11">{spec.minutes[0]:%H:%M}</text>')
        parts.append(f'<text x="{width - 8}" y="{height - 4}" text-anchor="end" font-size="11">'
                     f'{spec.minutes[-1]:%H:%M} UTC</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # built from numbers and escaped labels only
