"""The measurement-protocol parameter tables of the Google Analytics adapter: parameter -> (schema, field, type).

Field names and types follow the com.google.analytics.measurement-protocol schemas; the parameter names are
Google's (developers.google.com/analytics/devguides/collection/protocol/v1/parameters).
"""

from __future__ import annotations

import re

VENDOR = "com.google.analytics.measurement-protocol"
STRING, INTEGER, NUMBER, BOOLEAN = "string", "integer", "number", "boolean"

# hit type (`t`) -> the event's schema name
HIT_TYPES = {"pageview": "page_view", "screenview": "screen_view", "event": "event", "transaction": "transaction",
             "item": "item", "social": "social", "exception": "exception", "timing": "timing"}

# Fields of the unstruct event, per schema name.
EVENT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "page_view": {"dl": ("documentLocationUrl", STRING), "dh": ("documentHostName", STRING),
                  "dp": ("documentPath", STRING), "dt": ("documentTitle", STRING)},
    "screen_view": {"cd": ("screenName", STRING)},
    "event": {"ec": ("category", STRING), "ea": ("action", STRING), "el": ("label", STRING),
              "ev": ("value", INTEGER)},
    "transaction": {"ti": ("id", STRING), "ta": ("affiliation", STRING), "tr": ("revenue", NUMBER),
                    "ts": ("shipping", NUMBER), "tt": ("tax", NUMBER), "cu": ("currencyCode", STRING),
                    "tcc": ("couponCode", STRING)},
    "item": {"ti": ("transactionId", STRING), "in": ("name", STRING), "ip": ("price", NUMBER),
             "iq": ("quantity", INTEGER), "ic": ("code", STRING), "iv": ("category", STRING),
             "cu": ("currencyCode", STRING)},
    "social": {"sn": ("network", STRING), "sa": ("action", STRING), "st": ("actionTarget", STRING)},
    "exception": {"exd": ("description", STRING), "exf": ("isFatal", BOOLEAN)},
    "timing": {"utc": ("userTimingCategory", STRING), "utv": ("userTimingVariableName", STRING),
               "utt": ("userTimingTime", INTEGER), "utl": ("userTimingLabel", STRING),
               "plt": ("pageLoadTime", INTEGER), "dns": ("dnsTime", INTEGER), "pdt": ("pageDownloadTime", INTEGER),
               "rrt": ("redirectResponseTime", INTEGER), "tcp": ("tcpConnectTime", INTEGER),
               "srt": ("serverResponseTime", INTEGER), "dit": ("domInteractiveTime", INTEGER),
               "clt": ("contentLoadTime", INTEGER)},
}

# Context entities with one instance per hit: schema name -> {parameter: (field, type)}.
CONTEXT_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "general": {"v": ("protocolVersion", STRING), "tid": ("trackingId", STRING), "aip": ("anonymizeIp", BOOLEAN),
                "ds": ("dataSource", STRING), "qt": ("queueTime", INTEGER), "z": ("cacheBuster", STRING)},
    "user": {"cid": ("clientId", STRING), "uid": ("userId", STRING)},
    "session": {"sc": ("sessionControl", STRING), "uip": ("ipOverride", STRING), "ua": ("userAgentOverride", STRING),
                "geoid": ("geographicalOverride", STRING)},
    "traffic_source": {"dr": ("documentReferrer", STRING), "cn": ("campaignName", STRING),
                       "cs": ("campaignSource", STRING), "cm": ("campaignMedium", STRING),
                       "ck": ("campaignKeyword", STRING), "cc": ("campaignContent", STRING),
                       "ci": ("campaignId", STRING), "gclid": ("googleAdwordsId", STRING),
                       "dclid": ("googleDisplayAdsId", STRING)},
    "system_info": {"sr": ("screenResolution", STRING), "vp": ("viewportSize", STRING),
                    "de": ("documentEncoding", STRING), "sd": ("screenColors", STRING),
                    "ul": ("userLanguage", STRING), "je": ("javaEnabled", BOOLEAN), "fl": ("flashVersion", STRING)},
    "link": {"linkid": ("id", STRING)},
    "app": {"an": ("name", STRING), "aid": ("id", STRING), "av": ("version", STRING), "aiid": ("installerId", STRING)},
    "content_experiment": {"xid": ("id", STRING), "xvar": ("variant", STRING)},
    "hit": {"t": ("type", STRING), "ni": ("nonInteractionHit", BOOLEAN)},
    "product_action": {"pa": ("productAction", STRING), "pal": ("productActionList", STRING),
                       "cos": ("checkoutStep", INTEGER), "col": ("checkoutStepOption", STRING)},
    "promotion_action": {"promoa": ("promotionAction", STRING)},
}

PRODUCT_FIELDS = {"id": ("sku", STRING), "nm": ("name", STRING), "br": ("brand", STRING), "ca": ("category", STRING),
                  "va": ("variant", STRING), "pr": ("price", NUMBER), "qt": ("quantity", INTEGER),
                  "cc": ("couponCode", STRING), "ps": ("position", INTEGER)}
IMPRESSION_FIELDS = {"id": ("sku", STRING), "nm": ("name", STRING), "br": ("brand", STRING),
                     "ca": ("category", STRING), "va": ("variant", STRING), "ps": ("position", INTEGER),
                     "pr": ("price", NUMBER)}
PROMOTION_FIELDS = {"id": ("id", STRING), "nm": ("name", STRING), "cr": ("creative", STRING),
                    "ps": ("position", STRING)}

# Indexed parameters: pattern -> (schema name, index field names, field table or (value field, type)).
INDEXED: list[tuple[re.Pattern[str], str, tuple[str, ...], dict[str, tuple[str, str]] | tuple[str, str]]] = [
    (re.compile(r"^cd(\d+)$"), "custom_dimension", ("index",), ("value", STRING)),
    (re.compile(r"^cm(\d+)$"), "custom_metric", ("index",), ("value", NUMBER)),
    (re.compile(r"^cg(\d+)$"), "content_group", ("index",), ("value", STRING)),
    (re.compile(r"^pr(\d+)cd(\d+)$"), "product_custom_dimension", ("productIndex", "dimensionIndex"),
     ("value", STRING)),
    (re.compile(r"^pr(\d+)cm(\d+)$"), "product_custom_metric", ("productIndex", "metricIndex"), ("value", INTEGER)),
    (re.compile(r"^pr(\d+)(id|nm|br|ca|va|pr|qt|cc|ps)$"), "product", ("index",), PRODUCT_FIELDS),
    (re.compile(r"^il(\d+)nm$"), "product_impression_list", ("index",), ("name", STRING)),
    (re.compile(r"^il(\d+)pi(\d+)cd(\d+)$"), "product_impression_custom_dimension",
     ("listIndex", "productIndex", "customDimensionIndex"), ("value", STRING)),
    (re.compile(r"^il(\d+)pi(\d+)cm(\d+)$"), "product_impression_custom_metric",
     ("listIndex", "productIndex", "customMetricIndex"), ("value", INTEGER)),
    (re.compile(r"^il(\d+)pi(\d+)(id|nm|br|ca|va|ps|pr)$"), "product_impression", ("listIndex", "productIndex"),
     IMPRESSION_FIELDS),
    (re.compile(r"^promo(\d+)(id|nm|cr|ps)$"), "promotion", ("index",), PROMOTION_FIELDS),
]
# Entities that carry the hit's currency (`cu`) as `currencyCode`.
WITH_CURRENCY = frozenset({"product", "product_impression"})

# Parameters copied onto tracker-protocol fields as well (enrich's direct mappings); `ti`/`cu` depend on the hit.
DIRECT = {"uip": "ip", "dr": "refr", "de": "cs", "sd": "cd", "ul": "lang", "dl": "url", "dt": "page", "ua": "ua",
          "ta": "tr_af", "tr": "tr_tt", "ts": "tr_sh", "tt": "tr_tx", "in": "ti_nm", "ip": "ti_pr", "iq": "ti_qu",
          "ic": "ti_sk", "iv": "ti_ca"}


def schema_uri(name: str) -> str:
    return f"iglu:{VENDOR}/{name}/jsonschema/1-0-0"
