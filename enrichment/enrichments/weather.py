"""Weather: the `org.openweathermap/weather` context for the event's place and time (spec 3).

Asks OpenWeatherMap's history API at `apiHost` (`/data/2.5/history/city?lat=&lon=&type=hour&start=&end=&appid=`)
for the hour around derived_tstamp, with coordinates rounded to `geoPrecision` decimals so nearby events share a
cached answer (`cacheSize` entries, one day per entry). Needs geo_latitude and geo_longitude: this product runs
ip_lookups before weather (spec 2.4). An `apiHost` given with `http://` is used as is (local test servers);
otherwise HTTPS.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from enrichment.badrows import iso_from_millis
from enrichment.enrichments.base import Enrichment, EnrichmentFailure, sdj
from enrichment.enrichments.ttlcache import MISSING, TtlCache

CONTEXT_SCHEMA = "iglu:org.openweathermap/weather/jsonschema/1-0-0"
HOUR = 3600
CACHE_TTL_SECONDS = 24 * HOUR
KEPT = ("main", "wind", "clouds", "rain", "snow", "weather")


@dataclass(frozen=True)
class WeatherConfig:
    api_key: str
    cache_size: int
    geo_precision: int
    api_host: str
    timeout_seconds: float


def weather_data(item: dict[str, Any]) -> dict[str, Any]:
    """The context data of one hourly record: its measurements and `dt` as an ISO timestamp."""
    data = {key: item[key] for key in KEPT if item.get(key) is not None}
    data["dt"] = iso_from_millis(int(item["dt"]) * 1000)
    return data


class WeatherEnrichment(Enrichment):
    name = "weather_enrichment_config"
    identifier = "weather"
    criterion = "iglu:com.snowplowanalytics.snowplow.enrichments/weather_enrichment_config/jsonschema/1-*-*"
    can_fail = True
    output_schemas = (CONTEXT_SCHEMA,)

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> WeatherConfig:
        p = data.get("parameters") or {}
        host = p["apiHost"]
        base = host.rstrip("/") if host.startswith(("http://", "https://")) else f"https://{host.rstrip('/')}"
        return WeatherConfig(p["apiKey"], int(p["cacheSize"]), int(p["geoPrecision"]), base, float(p["timeout"]))

    def __init__(self, config: WeatherConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.cache = TtlCache(config.cache_size, CACHE_TTL_SECONDS)

    def enrich(self, ctx: Any) -> None:
        event = ctx.event
        for field in ("geo_latitude", "geo_longitude", "derived_tstamp"):
            if event.get(field) is None:
                raise EnrichmentFailure.input_data(field, None, "missing")
        precision = self.config.geo_precision
        lat, lon = round(event["geo_latitude"], precision), round(event["geo_longitude"], precision)
        seconds = event["derived_tstamp"] // 1000
        day = seconds - seconds % (24 * HOUR)
        records = self.cache.get((lat, lon, day))
        if records is MISSING:
            records = self._history(lat, lon, day)
            self.cache.put((lat, lon, day), records)
        closest = min(records, key=lambda item: abs(int(item.get("dt", 0)) - seconds), default=None)
        if closest is None or abs(int(closest.get("dt", 0)) - seconds) > HOUR:
            raise EnrichmentFailure.simple(f"No weather record within an hour of {iso_from_millis(seconds * 1000)}")
        ctx.derived_contexts.append(sdj(CONTEXT_SCHEMA, weather_data(closest)))

    def _history(self, lat: float, lon: float, day: int) -> list[dict[str, Any]]:
        query = urlencode({"lat": lat, "lon": lon, "type": "hour", "start": day, "end": day + 24 * HOUR,
                           "appid": self.config.api_key})
        url = f"{self.config.api_host}/data/2.5/history/city?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.config.timeout_seconds) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise EnrichmentFailure.simple(f"Weather API request failed: {error}") from None
        records = answer.get("list") if isinstance(answer, dict) else None
        if not isinstance(records, list):
            raise EnrichmentFailure.simple("Weather API answer has no list of records")
        return records
