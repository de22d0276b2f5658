"""Phase-1 mapping of tracker-protocol parameters, with right values from the spec tables (section 1.3)."""

import pytest

from enrichment import conversions as cv
from enrichment.mapping import transform


def mapped(**params):
    event = {}
    errors = transform(params, event)
    assert errors == []
    return event


@pytest.mark.parametrize(
    ("code", "event"),
    [("pv", "page_view"), ("pp", "page_ping"), ("ue", "unstruct"), ("se", "struct"), ("ev", "struct"),
     ("tr", "transaction"), ("ti", "transaction_item"), ("ad", "ad_impression")],
)
def test_event_type_codes_map_to_event_names(code, event):
    assert mapped(e=code)["event"] == event


def test_an_unknown_event_type_is_a_parse_error():
    event = {}
    errors = transform({"e": "xx"}, event)
    assert [(e.field, e.value) for e in errors] == [("e", "xx")]
    assert "not recognized as an event type" in errors[0].message


@pytest.mark.parametrize("platform", ["web", "iot", "app", "mob", "pc", "cnsl", "tv", "srv", "headset"])
def test_every_snowplow_platform_is_accepted(platform):
    assert mapped(p=platform)["platform"] == platform


def test_an_unknown_platform_is_a_parse_error():
    errors = transform({"p": "desktop"}, {})
    assert errors[0].field == "p"


def test_application_and_user_fields_map_to_their_columns():
    event = mapped(aid="shop", tna="sp1", tv="js-4.10.1", uid="u-1", duid="d-1", ip="203.0.113.9", ua="Mozilla/5.0",
                   fp="123", tz="Europe/London", lang="en-GB", cs="UTF-8", cd="24", page="Home",
                   url="https://a.example/", refr="https://b.example/")
    assert event == {
        "app_id": "shop", "name_tracker": "sp1", "v_tracker": "js-4.10.1", "user_id": "u-1", "domain_userid": "d-1",
        "user_ipaddress": "203.0.113.9", "useragent": "Mozilla/5.0", "user_fingerprint": "123",
        "os_timezone": "Europe/London", "br_lang": "en-GB", "doc_charset": "UTF-8", "br_colordepth": "24",
        "page_title": "Home", "page_url": "https://a.example/", "page_referrer": "https://b.example/",
    }


def test_sizes_split_into_width_and_height():
    event = mapped(res="1920x1080", vp="1280x720", ds="1264x3000")
    assert (event["dvce_screenwidth"], event["dvce_screenheight"]) == (1920, 1080)
    assert (event["br_viewwidth"], event["br_viewheight"]) == (1280, 720)
    assert (event["doc_width"], event["doc_height"]) == (1264, 3000)


@pytest.mark.parametrize("bad", ["1920", "1920x", "x1080", "1920X1080", "-1x2", "1.5x2"])
def test_a_size_not_in_width_x_height_form_is_a_parse_error(bad):
    assert transform({"res": bad}, {})[0].field == "res"


def test_millisecond_timestamps_map_to_the_three_device_clocks():
    event = mapped(dtm="1546300800456", stm="1546300800999", ttm="1546300800000")
    assert event["dvce_created_tstamp"] == 1546300800456
    assert event["dvce_sent_tstamp"] == 1546300800999
    assert event["true_tstamp"] == 1546300800000


@pytest.mark.parametrize("bad", ["abc", "1.5", "", "253402300800000", "-62167219200001"])
def test_timestamps_outside_years_0_to_9999_or_not_longs_fail(bad):
    if bad == "":
        assert transform({"dtm": bad}, {}) == []  # empty values are absent, as trackers omit them
        return
    assert transform({"dtm": bad}, {})[0].field == "dtm"


def test_the_last_millisecond_of_year_9999_is_accepted():
    assert mapped(dtm="253402300799999")["dvce_created_tstamp"] == 253402300799999


def test_event_id_is_lower_cased_and_must_be_a_canonical_uuid():
    assert mapped(eid="9A1C3E5F-2B4D-4F6A-8C0E-1D3F5A7B9C2E")["event_id"] == "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"
    for bad in ["5f3a", "9a1c3e5f2b4d4f6a8c0e1d3f5a7b9c2e", "{9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e}"]:
        assert transform({"eid": bad}, {})[0].field == "eid"


def test_session_id_must_be_a_uuid_and_session_index_an_int():
    event = mapped(sid="0B8E2F0A-6C9B-4E1F-9A3D-2C5B7E8F1A2B", vid="3")
    assert event["domain_sessionid"] == "0b8e2f0a-6c9b-4e1f-9a3d-2c5b7e8f1a2b"
    assert event["domain_sessionidx"] == 3
    assert sorted(e.field for e in transform({"sid": "s-1", "vid": "x"}, {})) == ["sid", "vid"]


def test_tnuid_beats_nuid():
    assert mapped(nuid="n-1")["network_userid"] == "n-1"
    assert mapped(nuid="n-1", tnuid="t-1")["network_userid"] == "t-1"


def test_structured_event_fields_and_legacy_aliases():
    event = mapped(se_ca="shop", se_ac="add", se_la="sku-1", se_pr="red", se_va="9.99")
    assert event == {"se_category": "shop", "se_action": "add", "se_label": "sku-1", "se_property": "red",
                     "se_value": 9.99}
    legacy = mapped(ev_ca="shop", ev_ac="add", ev_la="l", ev_pr="p", ev_va="2")
    assert legacy == {"se_category": "shop", "se_action": "add", "se_label": "l", "se_property": "p", "se_value": 2.0}


def test_the_string_null_in_numeric_fields_is_treated_as_null():
    assert mapped(se_va="null", tid="null") == {"se_value": None, "txn_id": None}


def test_booleans_accept_only_1_and_0():
    assert mapped(cookie="1", f_pdf="0") == {"br_cookies": True, "br_features_pdf": False}
    assert transform({"cookie": "true"}, {})[0].field == "cookie"


def test_browser_feature_flags_map_to_their_columns():
    flags = {"f_pdf": "br_features_pdf", "f_fla": "br_features_flash", "f_java": "br_features_java",
             "f_dir": "br_features_director", "f_qt": "br_features_quicktime", "f_realp": "br_features_realplayer",
             "f_wma": "br_features_windowsmedia", "f_gears": "br_features_gears", "f_ag": "br_features_silverlight"}
    event = mapped(**dict.fromkeys(flags, "1"))
    assert event == dict.fromkeys(flags.values(), True)


def test_transaction_and_item_fields():
    event = mapped(tr_id="o-1", tr_af="web", tr_tt="100.50", tr_tx="20", tr_sh="5.5", tr_ci="Leeds", tr_st="WY",
                   tr_co="GB", tr_cu="GBP", ti_id="o-1", ti_sk="sku", ti_na="Shirt", ti_ca="clothes", ti_pr="25",
                   ti_qu="2", ti_cu="GBP")
    assert event["tr_total"] == 100.5 and event["tr_tax"] == 20.0 and event["tr_shipping"] == 5.5
    assert event["ti_name"] == "Shirt" and event["ti_quantity"] == 2 and event["ti_price"] == 25.0
    assert event["tr_currency"] == event["ti_currency"] == "GBP"


def test_page_ping_offsets_are_ints():
    event = mapped(pp_mix="0", pp_max="10", pp_miy="-5", pp_may="1500")
    assert event == {"pp_xoffset_min": 0, "pp_xoffset_max": 10, "pp_yoffset_min": -5, "pp_yoffset_max": 1500}


def test_base64_contexts_decode_with_either_alphabet_and_optional_padding():
    import base64
    import json

    text = json.dumps({"schema": "iglu:a/b/jsonschema/1-0-0", "data": {"k": "ü?>>"}})
    padded_urlsafe = base64.urlsafe_b64encode(text.encode()).decode()
    unpadded = padded_urlsafe.rstrip("=")
    standard = base64.b64encode(text.encode()).decode()
    for encoded in (padded_urlsafe, unpadded, standard):
        assert mapped(cx=encoded)["contexts"] == text
        assert mapped(ue_px=encoded)["unstruct_event"] == text


def test_every_error_of_an_event_is_collected():
    errors = transform({"e": "zz", "p": "x", "dtm": "soon", "eid": "nope", "vid": "1.5"}, {})
    assert sorted(e.field for e in errors) == ["dtm", "e", "eid", "p", "vid"]


def test_integers_beyond_32_bits_are_refused():
    with pytest.raises(cv.ConversionError):
        cv.to_int("2147483648")
    assert cv.to_int("-2147483648") == -(2**31)


@pytest.mark.parametrize(("params", "field", "value"), [
    ({"cx": "e30", "co": "{}"}, "contexts", "{}"),
    ({"co": "[1]", "cx": "e30"}, "contexts", "{}"),
    ({"se_ca": "new", "ev_ca": "old"}, "se_category", "new"),
    ({"tnuid": "t", "nuid": "n"}, "network_userid", "t"),
])
def test_when_two_parameters_feed_one_field_the_winner_does_not_depend_on_wire_order(params, field, value):
    assert mapped(**params)[field] == value
