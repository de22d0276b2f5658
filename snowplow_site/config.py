"""Read settings from environment variables, failing with one sentence that says what to set."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def fail(name: str, expectation: str, value: str) -> ImproperlyConfigured:
    """Build the one-sentence error shown when a variable holds something unusable."""
    return ImproperlyConfigured(f"Set {name} to {expectation} (it is {value!r}).")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise fail(name, "true or false", raw)


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise fail(name, f"a whole number of at least {minimum}", raw) from None
    if value < minimum:
        raise fail(name, f"a whole number of at least {minimum}", raw)
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Parse a comma-separated list of IP addresses or CIDR ranges."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise fail(name, "a comma-separated list of IP addresses or CIDR ranges", item) from None
    return networks


def env_mapping(name: str) -> dict[str, str]:
    """Parse `a=b,c=d` or a JSON object into a string mapping."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    if raw.startswith("{"):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise fail(name, "a JSON object or a list of from=to pairs", raw) from None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise fail(name, "a JSON object of strings", raw)
        return value
    mapping = {}
    for pair in raw.split(","):
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise fail(name, "a comma-separated list of from=to pairs", raw)
        mapping[source.strip()] = target.strip()
    return mapping


def persistent_secret_key(var_dir: Path) -> str:
    """Return a random secret key kept in var/, so sessions survive restarts without configuration."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
