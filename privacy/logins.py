"""Login throttling: after LOGIN_FAILURE_LIMIT failed logins for one username from one address, that pair is
refused for LOGIN_LOCKOUT_SECONDS, whatever the password (password guessing against the admin and dashboards).

An authentication backend rather than a signal receiver, so the rule sits visibly in AUTHENTICATION_BACKENDS.
Counts live in Django's cache (Redis when configured, else the database cache), shared by every process.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def failure_key(request: HttpRequest | None, username: str | None) -> str:
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    digest = hashlib.sha256(f"{(username or '').lower()}|{address}".encode()).hexdigest()[:32]
    return f"privacy:login-failures:{digest}"


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing a username and address pair after too many failures."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any):
        key = failure_key(request, username)
        if _failures(key) >= settings.PRIVACY_LOGIN_FAILURE_LIMIT:
            raise PermissionDenied("Too many failed logins; try again later.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        _record(key, failed=user is None)
        return user


def _failures(key: str) -> int:
    try:
        with transaction.atomic():  # a savepoint: a missing cache table must not break the caller's transaction
            return cache.get(key, 0)
    except DatabaseError:  # no cache table (createcachetable not run): log in without throttling, say so
        logger.warning("login throttling is off: the cache cannot be read", exc_info=True)
        return 0


def _record(key: str, failed: bool) -> None:
    try:
        with transaction.atomic():
            if not failed:
                cache.delete(key)
                return
            try:
                cache.incr(key)
            except ValueError:  # the first failure: no counter yet
                cache.set(key, 1, settings.PRIVACY_LOGIN_LOCKOUT_SECONDS)
    except DatabaseError:
        logger.warning("login throttling could not record a login", exc_info=True)
