"""The admin's webhook configuration as frozen snapshots, read once per interval rather than per payload."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

DEFAULT_TTL_SECONDS = 5.0


@dataclass(frozen=True)
class EndpointConfig:
    vendor: str
    version: str
    enabled: bool
    signing_secret: str
    public_url: str


@dataclass(frozen=True)
class RemoteConfig:
    vendor: str
    version: str
    url: str
    connect_timeout: float
    read_timeout: float


@dataclass(frozen=True)
class Snapshot:
    endpoints: dict[tuple[str, str], EndpointConfig]
    remotes: dict[tuple[str, str], RemoteConfig]
    loaded_at: float


_lock = threading.Lock()
_snapshot: Snapshot | None = None


def get_snapshot() -> Snapshot:
    """The current configuration; reloaded when older than settings.WEBHOOK_CONFIG_TTL_SECONDS."""
    global _snapshot
    ttl = getattr(settings, "WEBHOOK_CONFIG_TTL_SECONDS", DEFAULT_TTL_SECONDS)
    snapshot = _snapshot
    if snapshot is None or time.monotonic() - snapshot.loaded_at > ttl:
        with _lock:
            snapshot = _snapshot = load_snapshot()
    return snapshot


def load_snapshot() -> Snapshot:
    from webhooks.models import RemoteAdapter, WebhookEndpoint

    endpoints = {(e.vendor, e.version): EndpointConfig(e.vendor, e.version, e.enabled, e.signing_secret.strip(),
                                                       e.public_url.rstrip("/"))
                 for e in WebhookEndpoint.objects.all()}
    remotes = {(r.vendor, r.version): RemoteConfig(r.vendor, r.version, r.url, r.connect_timeout_seconds,
                                                   r.read_timeout_seconds)
               for r in RemoteAdapter.objects.filter(enabled=True)}
    return Snapshot(endpoints, remotes, time.monotonic())


def config_clear() -> None:
    """Forget the snapshot: the next lookup reads the database (admin saves and tests call this)."""
    global _snapshot
    _snapshot = None


def get_endpoint_config(vendor: str, version: str) -> EndpointConfig | None:
    return get_snapshot().endpoints.get((vendor, version))


def get_remote_config(vendor: str, version: str) -> RemoteConfig | None:
    return get_snapshot().remotes.get((vendor, version))
