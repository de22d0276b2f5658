"""Which requests the collector serves, and as what (collector spec section 2.1 and DESIGN "Routing")."""

from __future__ import annotations

from dataclasses import dataclass

from collector.conf import CollectorConfig

TP2 = "/com.snowplowanalytics.snowplow/tp2"


@dataclass(frozen=True)
class Route:
    """A collector route: `kind` picks the handler, `recorded_path` is what the CollectorPayload says."""

    kind: str  # track, redirect, redirects-disabled, health, sink-health, robots, crossdomain
    recorded_path: str = ""

    @property
    def records(self) -> bool:
        """True for routes that record a payload and so answer CORS preflights."""
        return self.kind in {"track", "redirect", "redirects-disabled"}


FIXED_ROUTES = {
    "/health": Route("health"),
    "/sink-health": Route("sink-health"),
    "/robots.txt": Route("robots"),
    "/crossdomain.xml": Route("crossdomain"),
    "/i": Route("track", "/i"),
    "/ice.png": Route("track", "/ice.png"),
    TP2: Route("track", TP2),
}


def build_route_table(config: CollectorConfig) -> dict[str, Route]:
    """Exact-path routes, custom paths included, so the hot path is one dict lookup."""
    table = dict(FIXED_ROUTES)
    for source, target in config.custom_paths.items():
        table[source] = Route("redirect" if target == "/r/tp2" else "track", target)
    return table


def match_route(table: dict[str, Route], path: str) -> Route | None:
    """The collector route for `path`, or None to hand the request to Django."""
    route = table.get(path)
    if route is not None:
        return route
    if path.startswith("/r/"):
        return Route("redirect" if path == "/r/tp2" else "redirects-disabled", path)
    vendor, slash, version = path[1:].partition("/")
    # Only a vendor with a dot is a collector path, so product pages can never be shadowed.
    if slash and "." in vendor and version and "/" not in version:
        return Route("track", path)
    return None
