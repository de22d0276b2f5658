"""The warehouse's file storage (raw archive, exports): a Django storage chosen by dotted path in settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.files.storage import Storage
from django.utils.module_loading import import_string


def get_storage() -> Storage:
    """Return the configured storage (a local directory by default, an S3 bucket through django-storages)."""
    return _storage(settings.WAREHOUSE_STORAGE_BACKEND, tuple(sorted(settings.WAREHOUSE_STORAGE_OPTIONS.items())))


@cache
def _storage(backend: str, options: tuple[tuple[str, str], ...]) -> Storage:
    return import_string(backend)(**dict(options))


def storage_write(name: str, data: bytes) -> str:
    """Write `data` under exactly `name`, replacing a file of that name (storages would pick another name)."""
    from django.core.files.base import ContentFile

    storage = get_storage()
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def storage_list(prefix: str) -> list[str]:
    """Return every file name under the directory `prefix`, recursively, sorted."""
    storage = get_storage()
    if not storage.exists(prefix):
        return []
    directories, files = storage.listdir(prefix)
    names = [f"{prefix}/{name}" for name in files]
    for directory in directories:
        names += storage_list(f"{prefix}/{directory}")
    return sorted(names)
