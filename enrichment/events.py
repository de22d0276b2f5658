"""The canonical event: Snowplow's 131 enriched-event fields in enriched-TSV order (DESIGN contract 5).

One definition serves the TSV and JSON writers, the COPY loader and the atomic.events DDL. `max_length` is
enrich's default length limit for the field (enrichment spec 1.2, the value after `/`); `pg_type` follows the
newer Snowplow PostgreSQL loader, widened where enrich lets longer values through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STRING, INTEGER, DOUBLE, BOOLEAN = "string", "integer", "double", "boolean"
TIMESTAMP, JSON, UUID = "timestamp", "json", "uuid"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    pg_type: str
    max_length: int | None = None
    required: bool = False


def _s(name: str, length: int, pg_len: int | None = None) -> Field:
    return Field(name, STRING, f"varchar({pg_len or length})", length)


def _c(name: str, length: int) -> Field:
    return Field(name, STRING, f"char({length})", length)


def _t(name: str) -> Field:
    return Field(name, TIMESTAMP, "timestamp")


def _i(name: str) -> Field:
    return Field(name, INTEGER, "integer")


def _d(name: str) -> Field:
    return Field(name, DOUBLE, "double precision")


def _b(name: str) -> Field:
    return Field(name, BOOLEAN, "boolean")


def _j(name: str) -> Field:
    return Field(name, JSON, "jsonb")


FIELDS: tuple[Field, ...] = (
    _s("app_id", 255),
    _s("platform", 255),
    _t("etl_tstamp"),
    Field("collector_tstamp", TIMESTAMP, "timestamp", required=True),
    _t("dvce_created_tstamp"),
    _s("event", 128),
    Field("event_id", UUID, "uuid", 36, required=True),
    _i("txn_id"),
    _s("name_tracker", 128),
    _s("v_tracker", 100),
    Field("v_collector", STRING, "varchar(100)", 100, required=True),
    Field("v_etl", STRING, "varchar(100)", 100, required=True),
    _s("user_id", 255),
    _s("user_ipaddress", 128),
    _s("user_fingerprint", 128),
    _s("domain_userid", 128),
    _i("domain_sessionidx"),
    _s("network_userid", 128),
    _s("geo_country", 2),
    _s("geo_region", 3),
    _s("geo_city", 75),
    _s("geo_zipcode", 15),
    _d("geo_latitude"),
    _d("geo_longitude"),
    _s("geo_region_name", 100),
    _s("ip_isp", 100),
    _s("ip_organization", 128),
    _s("ip_domain", 128),
    _s("ip_netspeed", 100),
    Field("page_url", STRING, "text", 10000),
    _s("page_title", 2000),
    Field("page_referrer", STRING, "text", 10000),
    _s("page_urlscheme", 16),
    _s("page_urlhost", 255),
    _i("page_urlport"),
    _s("page_urlpath", 3000),
    _s("page_urlquery", 6000),
    _s("page_urlfragment", 3000),
    _s("refr_urlscheme", 16),
    _s("refr_urlhost", 255),
    _i("refr_urlport"),
    _s("refr_urlpath", 6000),
    _s("refr_urlquery", 6000),
    _s("refr_urlfragment", 3000),
    _s("refr_medium", 25),
    _s("refr_source", 50),
    _s("refr_term", 255),
    _s("mkt_medium", 255),
    _s("mkt_source", 255),
    _s("mkt_term", 255),
    _s("mkt_content", 500),
    _s("mkt_campaign", 255),
    _j("contexts"),
    _s("se_category", 1000),
    _s("se_action", 1000),
    _s("se_label", 4096),
    _s("se_property", 1000),
    _d("se_value"),
    _j("unstruct_event"),
    _s("tr_orderid", 255),
    _s("tr_affiliation", 255),
    _d("tr_total"),
    _d("tr_tax"),
    _d("tr_shipping"),
    _s("tr_city", 255),
    _s("tr_state", 255),
    _s("tr_country", 255),
    _s("ti_orderid", 255),
    _s("ti_sku", 255),
    _s("ti_name", 255),
    _s("ti_category", 255),
    _d("ti_price"),
    _i("ti_quantity"),
    _i("pp_xoffset_min"),
    _i("pp_xoffset_max"),
    _i("pp_yoffset_min"),
    _i("pp_yoffset_max"),
    _s("useragent", 1000),
    _s("br_name", 50),
    _s("br_family", 50),
    _s("br_version", 50),
    _s("br_type", 50),
    _s("br_renderengine", 50),
    _s("br_lang", 255),
    _b("br_features_pdf"),
    _b("br_features_flash"),
    _b("br_features_java"),
    _b("br_features_director"),
    _b("br_features_quicktime"),
    _b("br_features_realplayer"),
    _b("br_features_windowsmedia"),
    _b("br_features_gears"),
    _b("br_features_silverlight"),
    _b("br_cookies"),
    _s("br_colordepth", 12),
    _i("br_viewwidth"),
    _i("br_viewheight"),
    _s("os_name", 50),
    _s("os_family", 50),
    _s("os_manufacturer", 50),
    _s("os_timezone", 255),
    _s("dvce_type", 50),
    _b("dvce_ismobile"),
    _i("dvce_screenwidth"),
    _i("dvce_screenheight"),
    _s("doc_charset", 128),
    _i("doc_width"),
    _i("doc_height"),
    _s("tr_currency", 3),
    _d("tr_total_base"),
    _d("tr_tax_base"),
    _d("tr_shipping_base"),
    _s("ti_currency", 3),
    _d("ti_price_base"),
    _s("base_currency", 3),
    _s("geo_timezone", 64),
    _s("mkt_clickid", 1000),
    _s("mkt_network", 64),
    _s("etl_tags", 500),
    _t("dvce_sent_tstamp"),
    _s("refr_domain_userid", 128),
    _t("refr_dvce_tstamp"),
    _j("derived_contexts"),
    _s("domain_sessionid", 128),
    _t("derived_tstamp"),
    _s("event_vendor", 1000),
    _s("event_name", 1000),
    _s("event_format", 128),
    _s("event_version", 128),
    _s("event_fingerprint", 128),
    _t("true_tstamp"),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
assert len(FIELDS) == 131, len(FIELDS)

# An event in flight is a plain dict keyed by field name (absent key = null): cheap to build and copy.
Event = dict[str, Any]
