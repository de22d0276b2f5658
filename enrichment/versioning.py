"""The configuration version counter (DESIGN contract 10): bumped on any change, checked once per batch."""

from __future__ import annotations

from django.db import models, transaction

from enrichment.models import ConfigVersion


def config_version_bump() -> int:
    """Move the counter on (atomically), so every worker reloads at its next batch."""
    with transaction.atomic():
        ConfigVersion.objects.get_or_create(id=1)
        ConfigVersion.objects.filter(id=1).update(version=models.F("version") + 1)
        return ConfigVersion.objects.get(id=1).version


def config_version_get() -> int:
    row = ConfigVersion.objects.filter(id=1).values_list("version", flat=True).first()
    return row or 0


class ConfigWatcher:
    """Remembers the version a worker last loaded; `changed()` is true once after each bump."""

    def __init__(self) -> None:
        self.seen: int | None = None

    def changed(self, current: int | None = None) -> bool:
        """`current` is the version the caller already read this batch; read here when not given."""
        if current is None:
            current = config_version_get()
        if current == self.seen:
            return False
        first = self.seen is None
        self.seen = current
        return not first
