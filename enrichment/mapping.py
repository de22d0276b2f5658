"""Phase 1: tracker-protocol parameters into canonical fields (enrich's Transform), collecting every error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from enrichment import conversions as cv
from enrichment.events import Event


@dataclass(frozen=True)
class ParseError:
    """One atomic field that could not be converted; all of an event's errors become one schema violation."""

    field: str
    value: str
    message: str


def _string(field: str) -> Callable[[Event, str], None]:
    def assign(event: Event, value: str) -> None:
        event[field] = value

    assign.field = field
    assign.fields = (field,)
    return assign


def _converted(field: str, convert: Callable[[str], Any]) -> Callable[[Event, str], None]:
    def assign(event: Event, value: str) -> None:
        event[field] = convert(value)

    assign.fields = (field,)
    assign.convert = convert
    return assign


def _size(width_field: str, height_field: str) -> Callable[[Event, str], None]:
    def assign(event: Event, value: str) -> None:
        event[width_field], event[height_field] = cv.to_size(value)

    assign.fields = (width_field, height_field)
    assign.convert = cv.to_size
    return assign


def _base64(field: str) -> Callable[[Event, str], None]:
    def assign(event: Event, value: str) -> None:
        event[field] = cv.decode_base64url(value)

    assign.fields = (field,)
    assign.convert = cv.decode_base64url
    return assign


# Parameter -> how it fills the event. `tnuid` is applied in a second pass so it beats `nuid`.
TRANSFORMS: dict[str, Callable[[Event, str], None]] = {
    "e": _converted("event", cv.to_event_type),
    "ip": _string("user_ipaddress"),
    "aid": _string("app_id"),
    "p": _converted("platform", cv.to_platform),
    "tid": _converted("txn_id", cv.to_int),
    "uid": _string("user_id"),
    "duid": _string("domain_userid"),
    "nuid": _string("network_userid"),
    "ua": _string("useragent"),
    "fp": _string("user_fingerprint"),
    "vid": _converted("domain_sessionidx", cv.to_int),
    "sid": _converted("domain_sessionid", cv.to_uuid),
    "dtm": _converted("dvce_created_tstamp", cv.to_millis),
    "ttm": _converted("true_tstamp", cv.to_millis),
    "stm": _converted("dvce_sent_tstamp", cv.to_millis),
    "tna": _string("name_tracker"),
    "tv": _string("v_tracker"),
    "cv": _string("v_collector"),
    "lang": _string("br_lang"),
    "f_pdf": _converted("br_features_pdf", cv.to_boolean),
    "f_fla": _converted("br_features_flash", cv.to_boolean),
    "f_java": _converted("br_features_java", cv.to_boolean),
    "f_dir": _converted("br_features_director", cv.to_boolean),
    "f_qt": _converted("br_features_quicktime", cv.to_boolean),
    "f_realp": _converted("br_features_realplayer", cv.to_boolean),
    "f_wma": _converted("br_features_windowsmedia", cv.to_boolean),
    "f_gears": _converted("br_features_gears", cv.to_boolean),
    "f_ag": _converted("br_features_silverlight", cv.to_boolean),
    "cookie": _converted("br_cookies", cv.to_boolean),
    "res": _size("dvce_screenwidth", "dvce_screenheight"),
    "cd": _string("br_colordepth"),
    "tz": _string("os_timezone"),
    "refr": _string("page_referrer"),
    "url": _string("page_url"),
    "page": _string("page_title"),
    "cs": _string("doc_charset"),
    "ds": _size("doc_width", "doc_height"),
    "vp": _size("br_viewwidth", "br_viewheight"),
    "eid": _converted("event_id", cv.to_uuid),
    "co": _string("contexts"),
    "cx": _base64("contexts"),
    "ev_ca": _string("se_category"),
    "ev_ac": _string("se_action"),
    "ev_la": _string("se_label"),
    "ev_pr": _string("se_property"),
    "ev_va": _converted("se_value", cv.to_double),
    "se_ca": _string("se_category"),
    "se_ac": _string("se_action"),
    "se_la": _string("se_label"),
    "se_pr": _string("se_property"),
    "se_va": _converted("se_value", cv.to_double),
    "ue_pr": _string("unstruct_event"),
    "ue_px": _base64("unstruct_event"),
    "tr_id": _string("tr_orderid"),
    "tr_af": _string("tr_affiliation"),
    "tr_tt": _converted("tr_total", cv.to_double),
    "tr_tx": _converted("tr_tax", cv.to_double),
    "tr_sh": _converted("tr_shipping", cv.to_double),
    "tr_ci": _string("tr_city"),
    "tr_st": _string("tr_state"),
    "tr_co": _string("tr_country"),
    "tr_cu": _string("tr_currency"),
    "ti_id": _string("ti_orderid"),
    "ti_sk": _string("ti_sku"),
    "ti_nm": _string("ti_name"),
    "ti_na": _string("ti_name"),
    "ti_ca": _string("ti_category"),
    "ti_pr": _converted("ti_price", cv.to_double),
    "ti_qu": _converted("ti_quantity", cv.to_int),
    "ti_cu": _string("ti_currency"),
    "pp_mix": _converted("pp_xoffset_min", cv.to_int),
    "pp_max": _converted("pp_xoffset_max", cv.to_int),
    "pp_miy": _converted("pp_yoffset_min", cv.to_int),
    "pp_may": _converted("pp_yoffset_max", cv.to_int),
}
SECOND_PASS: dict[str, Callable[[Event, str], None]] = {"tnuid": _string("network_userid")}


# Plain string parameters are copied without a call: most of an event's parameters are these. The others are
# converted by their table entry's converter; converters of values that repeat across events (event types,
# platforms, flags, sizes, small numbers) remember their answers, so a repeated value costs one lookup.
_ALL = {**TRANSFORMS, **SECOND_PASS}
_PLAIN = {name: assign.field for name, assign in _ALL.items() if hasattr(assign, "field")}
_CONVERTED = {name: assign for name, assign in _ALL.items() if name not in _PLAIN}
_MEMOISED = (cv.to_event_type, cv.to_platform, cv.to_boolean, cv.to_int, cv.to_size, cv.to_double)
_MEMO_LIMIT = 4096
_MEMOS: dict[Callable[[str], Any], dict[str, Any]] = {convert: {} for convert in _MEMOISED}
# parameter -> (field, or (width, height) fields for sizes; converter; its memo or None)
_CONVERSIONS: dict[str, tuple[Any, Callable[[str], Any], dict[str, Any] | None]] = {
    name: (assign.fields if len(assign.fields) > 1 else assign.fields[0], assign.convert, _MEMOS.get(assign.convert))
    for name, assign in _CONVERTED.items()
}
_MISSING = object()


def _conflict_groups() -> list[tuple[str, ...]]:
    """Parameters feeding the same field, in the order that decides the winner (the later one wins)."""
    by_field: dict[str, list[str]] = {}
    for name, assign in _ALL.items():
        for field in assign.fields:
            by_field.setdefault(field, []).append(name)
    return [tuple(names) for names in by_field.values() if len(names) > 1]


_CONFLICTS = _conflict_groups()
_CONFLICTING = frozenset(name for group in _CONFLICTS for name in group)
_GROUP_OF = {name: index for index, group in enumerate(_CONFLICTS) for name in group}


def transform(parameters: dict[str, str], event: Event) -> list[ParseError]:
    """Fill `event` from `parameters`; return every conversion error (the event is then a bad row).

    When two parameters feed one field (`co`/`cx`, `se_ca`/`ev_ca`, `ti_nm`/`ti_na`, `nuid`/`tnuid`) the one
    later in the table wins whatever their order on the wire, so the outcome is deterministic.
    """
    errors: list[ParseError] = []
    present = _CONFLICTING.intersection(parameters)
    clash = len(present) > 1 and len({_GROUP_OF[name] for name in present}) < len(present)
    losers = _losing_parameters(parameters) if clash else ()
    plain, conversions, missing = _PLAIN, _CONVERSIONS, _MISSING
    for name, value in parameters.items():
        if not value or name in losers:
            continue
        field = plain.get(name)
        if field is not None:
            event[field] = value
            continue
        conversion = conversions.get(name)
        if conversion is None:
            continue
        field, convert, memo = conversion
        result = missing if memo is None else memo.get(value, missing)
        if result is missing:
            try:
                result = convert(value)
            except cv.ConversionError as error:
                errors.append(ParseError(name, value, str(error)))
                continue
            if memo is not None and type(value) is str and len(memo) < _MEMO_LIMIT:
                memo[value] = result
        if type(field) is str:
            event[field] = result
        else:
            event[field[0]], event[field[1]] = result
    return errors


def _losing_parameters(parameters: dict[str, str]) -> set[str]:
    losers: set[str] = set()
    for group in _CONFLICTS:
        present = [name for name in group if parameters.get(name)]
        losers.update(present[:-1])
    return losers
