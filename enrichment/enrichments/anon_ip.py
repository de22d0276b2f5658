"""IP anonymisation: mask the last octets of IPv4 or segments of IPv6 addresses in user_ipaddress (spec 3).

IPv4 keeps the first 4-anonOctets octets and writes `x` for the rest; IPv6 is written out in full (eight groups,
no `::`), keeps the first 8-anonSegments groups and writes `x` for the rest; `::ffff:a.b.c.d` is treated as IPv4
behind its prefix. Strings that are no address are masked as IPv4 when they contain a dot, as IPv6 when they
contain a colon, else kept. Runs late, after every enrichment that needs the real address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from enrichment.enrichments.base import Enrichment

MAPPED_PREFIX = "::ffff:"


@dataclass(frozen=True)
class AnonIpConfig:
    octets: int
    segments: int


def mask_ipv4(address: str, octets: int) -> str:
    parts = address.split(".")
    keep = max(len(parts) - octets, 0)
    return ".".join(parts[:keep] + ["x"] * (len(parts) - keep))


def mask_ipv6(address: str, segments: int) -> str:
    try:
        groups = ipaddress.IPv6Address(address).exploded.split(":")
        groups = [group.lstrip("0") or "0" for group in groups]
    except ValueError:
        groups = address.split(":")
    keep = max(len(groups) - segments, 0)
    return ":".join(groups[:keep] + ["x"] * (len(groups) - keep))


def anonymise(address: str, octets: int, segments: int) -> str:
    """The masked address, as documented in the module docstring."""
    lowered = address.lower()
    if lowered.startswith(MAPPED_PREFIX) and "." in lowered:
        return address[: len(MAPPED_PREFIX)] + mask_ipv4(address[len(MAPPED_PREFIX):], octets)
    if ":" in address:
        return mask_ipv6(address, segments)
    if "." in address:
        return mask_ipv4(address, octets)
    return address


class AnonIpEnrichment(Enrichment):
    name = "anon_ip"
    identifier = "anon-ip"
    criterion = "iglu:com.snowplowanalytics.snowplow/anon_ip/jsonschema/1-0-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> AnonIpConfig:
        parameters = data.get("parameters") or {}
        octets = int(parameters["anonOctets"])
        return AnonIpConfig(octets, int(parameters.get("anonSegments", octets)))

    def enrich(self, ctx: Any) -> None:
        address = ctx.event.get("user_ipaddress")
        if address:
            ctx.event["user_ipaddress"] = anonymise(address, self.config.octets, self.config.segments)
