"""Webhook adapters keyed by (vendor, version) as they appear in `/{vendor}/{version}` paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from enrichment.adapters.base import Adapter

WEBHOOK_ADAPTERS: dict[tuple[str, str], Adapter] = {}


def get_webhook_adapter(vendor: str, version: str) -> Adapter | None:
    return WEBHOOK_ADAPTERS.get((vendor, version))
