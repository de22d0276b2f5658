"""CSV of any table and a zip of a page's tables: the same rows the page shows, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

from dashboards.query import DashboardQuery
from dashboards.selectors import Unavailable
from dashboards.tables import Page, Table, cell

EXPORT_ROWS = 10_000
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection); event data is untrusted.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return "" if value is None else value


def get_table_csv(table: Table, query: DashboardQuery) -> str:
    """Header row of column labels, then up to EXPORT_ROWS rows in the page's order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in table.columns])
    try:
        rows = table.rows(query, limit=EXPORT_ROWS)
    except Unavailable:
        rows = []
    for row in rows:
        writer.writerow([safe_cell(cell(row, column)) for column in table.columns])
    return out.getvalue()


def get_page_zip(page: Page, query: DashboardQuery, extra: dict[str, str] | None = None) -> bytes:
    """One CSV per table of the page (plus `extra` named CSVs, such as the time series)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
        for table in page.tables:
            archive.writestr(f"{table.id}.csv", get_table_csv(table, query))
    return buffer.getvalue()


def get_timeseries_csv(points: list) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Bucket", "Visitors", "Sessions", "Page views"])
    for point in points:
        writer.writerow([point.bucket.isoformat(sep=" "), point.visitors, point.sessions, point.page_views])
    return out.getvalue()
