"""Campaign attribution: mkt_* fields from the page URL's querystring (spec 3, CampaignAttributionEnrichment).

Each mkt_* field takes the first configured parameter present in the page querystring (duplicate keys: the last
value wins, as enrich's map does); an empty value stays null. Click ids: the first parameter of the click-id map
present sets mkt_clickid and mkt_network; the configured map is merged over gclid, msclkid and dclid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from enrichment.enrichments.base import Enrichment
from enrichment.raw import parse_querystring

DEFAULT_CLICK_IDS = {"gclid": "Google", "msclkid": "Microsoft", "dclid": "DoubleClick"}
FIELDS = (("mkt_medium", "mktMedium"), ("mkt_source", "mktSource"), ("mkt_term", "mktTerm"),
          ("mkt_content", "mktContent"), ("mkt_campaign", "mktCampaign"))
CACHE_SIZE = 20_000


@dataclass(frozen=True)
class CampaignAttributionConfig:
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # (atomic field, parameter names in priority order)
    click_ids: tuple[tuple[str, str], ...]  # (parameter, network)


class CampaignAttributionEnrichment(Enrichment):
    name = "campaign_attribution"
    identifier = "campaign-attribution"
    criterion = "iglu:com.snowplowanalytics.snowplow/campaign_attribution/jsonschema/1-*-*"

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> CampaignAttributionConfig:
        configured = (data.get("parameters") or {}).get("fields") or {}
        click_ids = {**DEFAULT_CLICK_IDS, **(configured.get("mktClickId") or {})}
        return CampaignAttributionConfig(
            fields=tuple((field, tuple(configured.get(key) or ())) for field, key in FIELDS),
            click_ids=tuple(click_ids.items()),
        )

    def __init__(self, config: CampaignAttributionConfig, schema_key: str) -> None:
        super().__init__(config, schema_key)
        self._attribute = lru_cache(maxsize=CACHE_SIZE)(self._attribute_uncached)

    def enrich(self, ctx: Any) -> None:
        query = ctx.event.get("page_urlquery")
        if query:
            fields = self._attribute(query)
            if fields:
                ctx.event.update(fields)

    def _attribute_uncached(self, query: str) -> dict[str, str]:
        values = dict(parse_querystring(query))
        fields = {}
        for field, names in self.config.fields:
            value = next((values[name] for name in names if name in values), None)
            if value:
                fields[field] = value
        for parameter, network in self.config.click_ids:
            if parameter in values:
                if values[parameter]:
                    fields["mkt_clickid"] = values[parameter]
                fields["mkt_network"] = network
                break
        return fields
