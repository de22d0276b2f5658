"""Cookieless visitor ids: a daily-rotating salted hash of IP address, user agent and site, as Plausible counts.

The hash is computed in enrichment (where the site is known from app_id and the address is still whole), written to
network_userid and domain_userid as a UUID (enrich and the warehouse expect one), and the inputs are never stored.
Each UTC day has its own random salt in the database; `salts_purge` deletes salts older than yesterday, after which
no one (not even us) can link a stored id back to an address, or link a visitor across days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from django.db import IntegrityError, transaction

from privacy.models import DailySalt

_salts: dict[dt.date, bytes] = {}


def get_daily_salt(day: dt.date) -> bytes:
    """The salt of `day`, created on first use; cached in the process (salts never change once written)."""
    salt = _salts.get(day)
    if salt is None:
        row = DailySalt.objects.filter(day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DailySalt.objects.create(day=day, salt=secrets.token_bytes(32))
            except IntegrityError:  # another worker created it first
                row = DailySalt.objects.get(day=day)
        salt = bytes(row.salt)
        if len(_salts) > 8:
            _salts.clear()
        _salts[day] = salt
    return salt


def visitor_hash(salt: bytes, site_id: int, address: str | None, useragent: str | None) -> str:
    """A UUID-shaped id from HMAC-SHA256(salt, site | address | user agent)."""
    message = f"{site_id}\x1f{address or ''}\x1f{useragent or ''}".encode()
    digest = hmac.new(salt, message, hashlib.sha256).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def get_visitor_id(collector_ms: int, site_id: int, address: str | None, useragent: str | None) -> str:
    """The cookieless id of a request received at `collector_ms` (UTC day of the collector timestamp)."""
    day = dt.datetime.fromtimestamp(collector_ms / 1000, dt.UTC).date()
    return visitor_hash(get_daily_salt(day), site_id, address, useragent)


def salts_purge(today: dt.date | None = None) -> int:
    """Delete salts older than yesterday (yesterday's stays for late events); return how many went."""
    today = today or dt.datetime.now(dt.UTC).date()
    deleted, _ = DailySalt.objects.filter(day__lt=today - dt.timedelta(days=1)).delete()
    for day in [d for d in _salts if d < today - dt.timedelta(days=1)]:
        del _salts[day]
    return deleted


def forget_cached_salts() -> None:
    """Tests: drop the process cache."""
    _salts.clear()
