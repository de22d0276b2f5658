"""Iglu Server API keys: who may read private schemas, who may write, and key generation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from iglu.models import ApiKey


@dataclass(frozen=True)
class Permission:
    """What a request may do; `super_key` may do everything, including keygen."""

    read_prefixes: tuple[str, ...] = ()
    write_prefixes: tuple[str, ...] = ()
    super_key: bool = False

    def can_read(self, vendor: str, is_public: bool) -> bool:
        return is_public or self.super_key or _covers(self.read_prefixes, vendor)

    def can_write(self, vendor: str) -> bool:
        return self.super_key or _covers(self.write_prefixes, vendor)


ANONYMOUS = Permission()


class InvalidApiKey(Exception):
    """The `apikey` header is not a key this registry issued."""


def _covers(prefixes: tuple[str, ...], vendor: str) -> bool:
    return any(prefix == "*" or vendor.startswith(prefix) for prefix in prefixes)


def get_permission(header: str | None) -> Permission:
    """Map the `apikey` header to a Permission; no header is anonymous, an unknown key is refused."""
    if not header:
        return ANONYMOUS
    super_key = getattr(settings, "IGLU_SUPER_API_KEY", None)
    if super_key and header == super_key:
        return Permission(super_key=True)
    try:
        key = ApiKey.objects.get(key=uuid.UUID(header))
    except (ValueError, ApiKey.DoesNotExist):
        raise InvalidApiKey("Invalid API key") from None
    writes = (key.vendor_prefix,) if key.permission == ApiKey.WRITE else ()
    return Permission(read_prefixes=(key.vendor_prefix,), write_prefixes=writes)


def apikeys_generate(vendor_prefix: str) -> dict[str, str]:
    """Create a read key and a write key for a vendor prefix, as Iglu Server's keygen does."""
    with transaction.atomic():
        read = ApiKey.objects.create(vendor_prefix=vendor_prefix, permission=ApiKey.READ)
        write = ApiKey.objects.create(vendor_prefix=vendor_prefix, permission=ApiKey.WRITE)
    return {"read": str(read.key), "write": str(write.key)}


def apikey_delete(key: str) -> bool:
    """Delete one key; True when it existed."""
    try:
        deleted, _ = ApiKey.objects.filter(key=uuid.UUID(key)).delete()
    except ValueError:
        return False
    return deleted > 0
