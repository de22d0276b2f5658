"""Referrer spam: a maintained list of spam referrer hosts (Matomo's community list by default), downloaded to
var/ by a weekly beat task and never committed, plus each site's own additions.

The list is one host per line; a host matches itself and its subdomains. Workers re-read the file when it was
replaced (checked at most once a minute), so an update needs no restart.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
CHECK_SECONDS = 60.0
_loaded: dict = {"checked": None, "mtime": None, "hosts": frozenset()}


def spam_list_path() -> Path:
    return Path(settings.PRIVACY_REFERRER_SPAM_FILE)


def parse_spam_list(text: str) -> frozenset[str]:
    """Hosts from a list file: one per line, blank lines and # comments ignored, lower-cased."""
    hosts = (line.split("#")[0].strip().lower().lstrip(".") for line in text.splitlines())
    return frozenset(host for host in hosts if host)


def get_spam_hosts() -> frozenset[str]:
    """The downloaded list (empty until the first download), re-read when the file changed."""
    now = time.monotonic()
    if _loaded["checked"] is not None and now - _loaded["checked"] < CHECK_SECONDS:
        return _loaded["hosts"]
    _loaded["checked"] = now
    path = spam_list_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return _loaded["hosts"]
    if mtime != _loaded["mtime"]:
        _loaded.update(mtime=mtime, hosts=parse_spam_list(path.read_text("utf-8", "replace")))
    return _loaded["hosts"]


def forget_spam_hosts() -> None:
    _loaded.update(checked=None, mtime=None, hosts=frozenset())


def is_spam_host(host: str | None, extra: frozenset[str] = frozenset()) -> bool:
    """True when `host` or one of its parent domains is listed."""
    if not host:
        return False
    listed = get_spam_hosts()
    host = host.lower()
    while host:
        if host in listed or host in extra:
            return True
        host = host.partition(".")[2]
    return False


def spam_list_update() -> int:
    """Download the list (PRIVACY_REFERRER_SPAM_URL) over the old file; return the number of hosts."""
    from enrichment.enrichments.assets import file_download

    file_download(settings.PRIVACY_REFERRER_SPAM_URL, spam_list_path())
    forget_spam_hosts()
    return len(get_spam_hosts())
