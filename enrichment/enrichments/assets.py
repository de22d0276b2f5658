"""Where an enrichment's files live on disk, how they are fetched, and how readers notice a new version.

Snowplow names each file by `{uri, database}` and fetches `uri/database`. Here:
- `http://`, `https://`: downloaded into ENRICHMENT_ASSETS_DIR by the asset-update task (Celery beat, every
  ENRICHMENT_ASSETS_UPDATE_DAYS, Snowplow's 7 days by default), replaced atomically so workers never read half a file;
- `file:///dir`: read in place from /dir/database;
- `var://sub`: read in place from VAR_DIR/sub/database (portable between machines, used by the defaults);
- `builtin://name`: data shipped with this product under enrichment/enrichments/data/.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import os
import tarfile
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from enrichment.enrichments.base import Asset

logger = logging.getLogger(__name__)

BUILTIN_DATA_DIR = Path(__file__).resolve().parent / "data"
DOWNLOAD_TIMEOUT_SECONDS = 60
MAX_DOWNLOAD_BYTES = 1 << 30
REMOTE_SCHEMES = {"http", "https"}


def is_remote(asset: Asset) -> bool:
    return urlsplit(asset.uri).scheme in REMOTE_SCHEMES


def local_path(asset: Asset) -> Path:
    """The file an enrichment opens for `asset` (it may not exist yet)."""
    parts = urlsplit(asset.uri)
    if parts.scheme == "builtin":
        return BUILTIN_DATA_DIR / asset.database
    if parts.scheme == "var":
        return Path(settings.VAR_DIR) / (parts.netloc + unquote(parts.path)).strip("/") / asset.database
    if parts.scheme == "file":
        return Path(unquote(parts.path)) / asset.database
    digest = hashlib.sha256(asset.uri.encode()).hexdigest()[:16]
    return assets_dir() / digest / asset.database


def assets_dir() -> Path:
    return Path(getattr(settings, "ENRICHMENT_ASSETS_DIR", None) or Path(settings.VAR_DIR) / "enrichment-assets")


def download_url(asset: Asset) -> str:
    return asset.uri.rstrip("/") + "/" + asset.database


def asset_fetch(asset: Asset, *, max_age_seconds: float | None = None) -> bool:
    """Download a remote asset when missing or older than `max_age_seconds`; return whether it was replaced."""
    if not is_remote(asset):
        return False
    target = local_path(asset)
    if max_age_seconds is not None and target.exists() and time.time() - target.stat().st_mtime < max_age_seconds:
        return False
    file_download(download_url(asset), target, asset.database)
    return True


def file_download(url: str, target: Path, member: str | None = None) -> Path:
    """Fetch `url` into `target` atomically; a .gz or .tar.gz answer is unpacked (`member`: the file wanted)."""
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        body = response.read(MAX_DOWNLOAD_BYTES + 1)
    if len(body) > MAX_DOWNLOAD_BYTES:
        raise ValueError(f"{url} is larger than {MAX_DOWNLOAD_BYTES} bytes")
    file_replace(target, unpack(body, member or target.name))
    logger.info("Downloaded %s to %s", url, target)
    return target


def unpack(body: bytes, member: str) -> bytes:
    """Return the file inside a tar.gz (the entry named `member`, else the only .mmdb), a .gz's content, or body."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
            files = [entry for entry in archive.getmembers() if entry.isfile()]
            chosen = [e for e in files if Path(e.name).name == member] or [e for e in files if e.name.endswith(".mmdb")]
            if not chosen:
                raise ValueError(f"the archive has no {member}")
            extracted = archive.extractfile(chosen[0])
            assert extracted is not None
            return extracted.read()
    except tarfile.ReadError:
        return gzip.decompress(body)


def file_replace(target: Path, content: bytes) -> None:
    """Write `content` next to `target` and rename it over: readers see the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@dataclass
class WatchedFile:
    """A file's identity when it was opened, to tell when it has been replaced."""

    path: Path | None
    signature: tuple[int, int, int] | None = None

    @staticmethod
    def current(path: Path | None) -> tuple[int, int, int] | None:
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def changed(self, path: Path | None) -> bool:
        return path != self.path or self.current(path) != self.signature

    def mark(self, path: Path | None) -> None:
        self.path, self.signature = path, self.current(path)
