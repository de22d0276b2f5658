"""The shared value rewrites and request parsing adapters build on."""

from webhooks.formatting import Formatter
from webhooks.requests import header_map, media_type, parse_pairs
from webhooks.transforms import (
    camel_case,
    camel_case_keys,
    clean_event_values,
    iso_from_epoch_millis,
    iso_from_epoch_seconds,
    iso_from_pattern,
    parse_iso_datetime,
)


def test_form_pairs_keep_order_decode_plus_and_percent_and_tell_empty_from_valueless():
    assert parse_pairs("a=1+2&b=%C3%A9&c=&d&=x&a=3") == [("a", "1 2"), ("b", "é"), ("c", ""), ("d", None), ("a", "3")]


def test_semicolons_and_malformed_escapes_are_kept_rather_than_failing():
    assert parse_pairs("diag=smtp;550&bad=%zz&space=a b") == [("diag", "smtp;550"), ("bad", "%zz"),
                                                                ("space", "a b")]


def test_media_types_ignore_case_and_parameters():
    assert media_type("Application/JSON; charset=UTF-8") == "application/json"
    assert media_type(None) is None


def test_headers_are_looked_up_by_lower_cased_name_and_the_first_wins():
    assert header_map(["X-Sig: a", "x-sig: b", "application/json"]) == {"x-sig": "a"}


def test_epoch_seconds_and_millis_become_iso_with_millis():
    assert iso_from_epoch_seconds(1709283600) == "2024-03-01T09:00:00.000Z"
    assert iso_from_epoch_millis(1539145399845) == "2018-10-10T04:23:19.845Z"
    assert iso_from_epoch_seconds(10**15) is None


def test_a_pattern_date_becomes_iso_and_anything_else_stays():
    assert iso_from_pattern("2024-02-14 17:05:09") == "2024-02-14T17:05:09.000Z"
    assert iso_from_pattern("14/02/2024") == "14/02/2024"


def test_iso_dates_parse_with_z_offsets_or_no_zone():
    assert parse_iso_datetime("2024-03-05T09:14:22.120Z").microsecond == 120000
    assert parse_iso_datetime("2024-03-05T10:14:22+01:00").hour == 10
    assert parse_iso_datetime("2024-03-05T09:14:22").tzinfo is not None
    assert parse_iso_datetime("soon") is None


def test_clean_event_values_drops_the_type_pair_and_converts_timestamps_at_any_depth():
    value = {"event": "open", "ts": "1709283600", "msg": {"event": "open", "ts": 1709283600.5,
                                                          "opens": [{"ts": 1709283600}], "event_x": "open"}}
    assert clean_event_values(value, ("event", "open"), frozenset({"ts"})) == {
        "ts": "2024-03-01T09:00:00.000Z", "msg": {"ts": 1709283600.5, "opens": [{"ts": "2024-03-01T09:00:00.000Z"}],
                                                  "event_x": "open"}}


def test_camel_case_handles_underscores_and_dashes_recursively():
    assert camel_case("service_name") == "serviceName" and camel_case("delivery-status") == "deliveryStatus"
    assert camel_case("data.json") == "data.json"
    assert camel_case_keys({"a_b": [{"c-d": 1}]}) == {"aB": [{"cD": 1}]}


def test_the_formatter_types_booleans_integers_and_dates_and_nulls_empties():
    formatter = Formatter(booleans=frozenset({"b"}), integers=frozenset({"i"}), datetimes=frozenset({"d"}))
    assert formatter.format_map({"b": "true", "i": "-5", "d": "2024-02-14 17:05:09", "s": "007", "e": "", "n": None,
                                 "bx": "TRUE"}) == {"b": True, "i": -5, "d": "2024-02-14T17:05:09.000Z", "s": "007",
                                                    "e": None, "n": None, "bx": "TRUE"}
