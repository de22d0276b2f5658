"""The client IP address, trusting forwarding headers only from configured proxies (spec 4.3, DESIGN scaling)."""

from __future__ import annotations

import functools
import ipaddress

from collector.conf import Network

UNKNOWN = "unknown"


@functools.lru_cache(maxsize=4096)
def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse an address as proxies write it: bare, `[v6]`, `[v6]:port` or `v4:port`; None if it is not one."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(proxies: tuple[Network, ...], address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return address is not None and any(address in network for network in proxies)


def forwarded_chain(proxies: tuple[Network, ...], peer: str | None, forwarded_for: str | None) -> list[str] | None:
    """The X-Forwarded-For entries we can vouch for, client first; None when the peer is not a trusted proxy.

    Each trusted proxy appends the address it saw, so reading from the right and stopping at the first
    address that is not a trusted proxy gives the real client; entries left of it were written by the
    client itself and could say anything.
    """
    if not proxies or not is_trusted(proxies, parse_address(peer or "")):
        return None
    entries = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    for index in range(len(entries) - 1, -1, -1):
        if not is_trusted(proxies, parse_address(entries[index])):
            return entries[index:]
    return entries[:1]


def client_ip(chain: list[str] | None, peer: str | None) -> str:
    """The canonical client address (no brackets, no port), or `unknown` (spec 4.3 recommendation)."""
    return canonical_address((chain[0] if chain else peer) or "")


@functools.lru_cache(maxsize=4096)
def canonical_address(value: str) -> str:
    """`value` as a canonical address string, or `unknown`; cached, as the same clients come back."""
    address = parse_address(value)
    return str(address) if address is not None else UNKNOWN
