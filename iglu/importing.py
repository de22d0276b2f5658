"""Import schemas from a directory laid out like Iglu Central, or one file; export the registry the same way."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iglu.errors import IgluError
from iglu.keys import SchemaVer, parse_schema_path
from iglu.models import Schema
from iglu.publishing import CREATED, UNCHANGED, UPDATED, schema_publish


@dataclass
class ImportSummary:
    """Counts of what an import did, with the reason for every rejected file."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def list_schema_files(source: Path) -> list[Path]:
    """Schema files under `source` (any `vendor/name/format/M-R-A` below it) in publication order."""
    if source.is_file():
        return [source]
    files = [p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=_publication_order)


def _publication_order(path: Path) -> tuple:
    """Vendor, name, format, then SchemaVer numerically, so 1-0-9 is published before 1-0-10."""
    try:
        ver = SchemaVer.parse(path.name)
        return (
            path.parent.parent.parent.name,
            path.parent.parent.name,
            path.parent.name,
            0,
            ver.model,
            ver.revision,
            ver.addition,
            str(path),
        )
    except IgluError:
        return ("", "", "", 1, 0, 0, 0, str(path))


def schemas_import(
    files: Iterable[Path], *, is_public: bool = False, user: Any = None, progress: Callable[[], None] | None = None
) -> ImportSummary:
    """Publish each file in its own transaction; one bad file is reported, never half-saved, never fatal."""
    summary = ImportSummary()
    outcomes = {CREATED: summary.created, UPDATED: summary.updated, UNCHANGED: summary.unchanged}
    for path in files:
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            expected = _key_from_path(path)
            publication = schema_publish(schema, is_public=is_public, user=user, expected_key=expected)
            outcomes[publication.outcome].append(publication.schema.uri)
        except (IgluError, ValueError, OSError) as error:
            summary.rejected.append((str(path), str(error)))
        if progress is not None:
            progress()
    return summary


def _key_from_path(path: Path) -> Any:
    """The key a file's place in an Iglu layout promises, or None for a lone file outside one."""
    parts = path.parts[-4:]
    try:
        return parse_schema_path("/".join(parts)) if len(parts) == 4 else None
    except IgluError:
        return None


def schemas_export(target: Path, schemas: Iterable[Schema] | None = None) -> int:
    """Write every schema as `target/schemas/vendor/name/format/M-R-A`; return how many were written."""
    count = 0
    for row in schemas if schemas is not None else Schema.objects.all():
        path = target / "schemas" / row.vendor / row.name / row.format / row.version
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(row.schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        count += 1
    return count
