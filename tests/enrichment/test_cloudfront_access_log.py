"""The CloudFront access-log adapter (`/com.amazon.aws.cloudfront/wd_access_log`, log-formats spec 3): one
wd_access_log event per logged request, its schema version chosen by the line's field count."""

from __future__ import annotations

import json

import pytest

from enrichment.adapters.cloudfront_access_log import FIELD_NAMES, SCHEMA_VERSIONS, CloudfrontAccessLogAdapter
from enrichment.adapters.registry import get_adapter
from enrichment.processing import process_payload
from enrichment.raw import load_payload
from iglu import api as iglu
from imports.tsv import cloudfront_access_log_line
from tests.imports.samples import CLOUDFRONT_FIELDS

pytestmark = pytest.mark.django_db

# The spec's 19-field sample (section 3) and the data it must give.
SPEC_LINE = ("2014-06-02\t08:30:00\tAMS1\t10240\t192.0.2.99\tGET\td111111abcdef8.cloudfront.net\t/downloads/app-1.2.zip"
             "\t200\thttps://www.example.com/download\tcurl/7.35.0\t-\t-\tMiss\tNq5EXAMPLEr2==\tdownloads.example.com"
             "\thttps\t220\t0.152")
SPEC_DATA = {"dateTime": "2014-06-02T08:30:00Z", "xEdgeLocation": "AMS1", "scBytes": 10240, "cIp": "192.0.2.99",
             "csMethod": "GET", "csHost": "d111111abcdef8.cloudfront.net", "csUriStem": "/downloads/app-1.2.zip",
             "scStatus": "200", "csReferer": "https://www.example.com/download", "csUserAgent": "curl/7.35.0",
             "csUriQuery": "-", "csCookie": "-", "xEdgeResultType": "Miss", "xEdgeRequestId": "Nq5EXAMPLEr2==",
             "xHostHeader": "downloads.example.com", "csProtocol": "https", "csBytes": 220, "timeTaken": 0.152}
# Values of every field of a 26-field line, in log order (the sample values of tests/imports/samples.py).
VALUES = [value for _, value in CLOUDFRONT_FIELDS[:26]]
# What each becomes in the data, under its name (date and time merged into dateTime).
EXPECTED = {
    "dateTime": "2014-06-02T08:30:00Z", "xEdgeLocation": "AMS1", "scBytes": 480, "cIp": "192.0.2.99",
    "csMethod": "GET", "csHost": "d111111abcdef8.cloudfront.net", "csUriStem": "/i", "scStatus": "200",
    "csReferer": "https://www.example.com/shop/", "csUserAgent": "curl/7.35.0",
    "csUriQuery": "e=pv&aid=site1&p=web&tv=js-2.0.0", "csCookie": "-", "xEdgeResultType": "Hit",
    "xEdgeRequestId": "Nq5EXAMPLEr2==", "xHostHeader": "d111111abcdef8.cloudfront.net", "csProtocol": "https",
    "csBytes": 612, "timeTaken": 0.001, "xForwardedFor": "-", "sslProtocol": "TLSv1.2",
    "sslCipher": "ECDHE-RSA-AES128-GCM-SHA256", "xEdgeResponseResultType": "Hit", "csProtocolVersion": "HTTP/1.1",
    "fleStatus": "-", "fleEncryptedFields": "-",
}


def _line(count: int, **values: str) -> str:
    fields = list(VALUES[:count])
    for name, value in values.items():
        fields[["date", "time", *FIELD_NAMES[1:]].index(name)] = value
    return "\t".join(fields)


def _adapt(line: str | None):
    if line is None:
        from imports.loader import log_payload

        data = log_payload("tsv", "/com.amazon.aws.cloudfront/wd_access_log", None, 1, None, None, None)
    else:
        data = cloudfront_access_log_line(line)
    loaded = load_payload(data)
    return CloudfrontAccessLogAdapter().to_raw_events(loaded)


def _unstruct(parameters: dict) -> dict:
    envelope = json.loads(parameters["ue_pr"])
    assert envelope["schema"] == "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"
    return envelope["data"]


def test_the_adapter_is_registered_under_its_api():
    assert isinstance(get_adapter("com.amazon.aws.cloudfront", "wd_access_log"), CloudfrontAccessLogAdapter)


def test_the_spec_sample_gives_the_spec_data_and_event():
    result = _adapt(SPEC_LINE)
    assert result.failures == []
    [raw] = result.events
    assert _unstruct(raw.parameters) == {"schema": "iglu:com.amazon.aws.cloudfront/wd_access_log/jsonschema/1-0-3",
                                         "data": SPEC_DATA}
    assert {key: value for key, value in raw.parameters.items() if key != "ue_pr"} == {
        "tv": "com.amazon.aws.cloudfront/wd_access_log", "e": "ue", "p": "srv",
        "url": "https://www.example.com/download"}
    context = raw.payload.thrift
    assert (context.timestamp, context.ipAddress, context.userAgent, context.refererUri) == (
        1401697800000, "192.0.2.99", "curl/7.35.0", None)


@pytest.mark.parametrize(("count", "version"), sorted(SCHEMA_VERSIONS.items()))
def test_each_field_count_picks_its_schema_and_gives_every_field_its_value(count, version):
    [raw] = _adapt(_line(count)).events
    unstruct = _unstruct(raw.parameters)
    assert unstruct["schema"] == f"iglu:com.amazon.aws.cloudfront/wd_access_log/jsonschema/{version}"
    assert unstruct["data"] == {name: EXPECTED[name] for name in FIELD_NAMES[:count - 1]}
    schema = iglu.resolve_schema(unstruct["schema"])
    assert list(schema["properties"]) == list(FIELD_NAMES[:count - 1])
    assert iglu.validate_instance(unstruct) == []


@pytest.mark.parametrize(("count", "version"), sorted(SCHEMA_VERSIONS.items()))
def test_each_layout_loads_as_a_good_wd_access_log_event(count, version):
    outcome = process_payload(cloudfront_access_log_line(_line(count)))
    assert outcome.bad == []
    event = outcome.good[0].event
    assert (event["event"], event["event_vendor"], event["event_name"], event["event_version"]) == (
        "unstruct", "com.amazon.aws.cloudfront", "wd_access_log", version)
    assert (event["platform"], event["v_tracker"], event["v_collector"]) == (
        "srv", "com.amazon.aws.cloudfront/wd_access_log", "tsv")
    assert (event["collector_tstamp"], event["user_ipaddress"], event["useragent"]) == (
        1401697800000, "192.0.2.99", "curl/7.35.0")
    assert (event["page_url"], event["page_urlhost"], event["page_urlpath"]) == (
        "https://www.example.com/shop/", "www.example.com", "/shop/")


@pytest.mark.parametrize("count", [1, 11, 13, 20, 25, 27, 33])
def test_other_field_counts_are_an_adapter_failure(count):
    line = "\t".join([*VALUES, *["-"] * 7][:count])
    [bad] = _adapt(line).failures
    assert bad.type == "adapter_failures"
    assert bad.failure["vendor"] == "com.amazon.aws.cloudfront" and bad.failure["version"] == "wd_access_log"
    assert bad.failure["messages"] == [{"field": "body", "value": line, "expectation": (
        f"access log contained {count} fields, expected 12, 15, 18, 19, 23, 24 or 26")}]


def test_no_body_is_an_adapter_failure():
    [bad] = _adapt(None).failures
    assert bad.failure["messages"] == [{"field": "body", "value": None, "expectation": "empty body"}]


def test_tabs_alone_separate_fields_so_spaces_stay_inside_a_value_and_empty_fields_count():
    line = _line(18, csUserAgent="Mozilla/5.0 (X11)", csCookie="", xEdgeRequestId="")
    [raw] = _adapt(line).events
    data = _unstruct(raw.parameters)["data"]
    assert data["csUserAgent"] == "Mozilla/5.0 (X11)"
    assert (data["csCookie"], data["xEdgeRequestId"]) == (None, None)


def test_a_dash_stays_a_string_an_empty_field_is_null_and_a_dash_referer_is_the_url():
    [raw] = _adapt(_line(12, csReferer="-", csUserAgent="-", csUriQuery="")).events
    data = _unstruct(raw.parameters)["data"]
    assert (data["csReferer"], data["csUserAgent"], data["csUriQuery"]) == ("-", "-", None)
    assert raw.parameters["url"] == "-"
    [raw] = _adapt(_line(12, csReferer="", cIp="", csUserAgent="")).events
    assert "url" not in raw.parameters
    assert (raw.payload.thrift.ipAddress, raw.payload.thrift.userAgent) == (None, None)
    assert _unstruct(raw.parameters)["data"]["cIp"] is None


def test_referer_and_useragent_are_fully_decoded_and_the_query_only_loses_its_double_encoding():
    line = _line(19, csReferer="https://www.example.com/a%2520b?q=x+y", cIp="198.51.100.7",
                 csUserAgent="Mozilla/5.0%2520(Macintosh;%2520Intel)+Safari%252F601%0A%09",
                 csUriQuery="file=a%2520b&x=%2525&y=100%25")
    [raw] = _adapt(line).events
    data = _unstruct(raw.parameters)["data"]
    assert data["csReferer"] == "https://www.example.com/a b?q=x y"
    assert data["csUserAgent"] == "Mozilla/5.0 (Macintosh; Intel) Safari/601    "
    assert data["csUriQuery"] == "file=a%20b&x=%25&y=100%25"
    # The event: url as logged, the decoded user agent, c-ip even when x-forwarded-for is set.
    assert raw.parameters["url"] == "https://www.example.com/a%2520b?q=x+y"
    assert raw.payload.thrift.userAgent == "Mozilla/5.0 (Macintosh; Intel) Safari/601    "
    assert raw.payload.thrift.ipAddress == "198.51.100.7"


def test_numbers_are_converted_and_big_byte_counts_load():
    [raw] = _adapt(_line(19, scBytes="3000000000", csBytes="-0", timeTaken="2")).events
    data = _unstruct(raw.parameters)["data"]
    assert (data["scBytes"], data["csBytes"], data["timeTaken"]) == (3000000000, 0, 2.0)
    assert '"timeTaken":2.0' in raw.parameters["ue_pr"]


def test_every_unusable_value_is_reported_in_one_bad_row_in_enrichs_order():
    line = _line(23, date="2014-06-31", scBytes="1.5", csReferer="https://www.example.com/%zz",
                 csUserAgent="Agent%", csBytes="many", timeTaken="NaN")
    [bad] = _adapt(line).failures
    assert bad.type == "adapter_failures"
    messages = bad.failure["messages"]
    assert [(item["field"], item["value"]) for item in messages] == [
        ("dateTime", "2014-06-31 08:30:00"), ("timeTaken", "NaN"), ("csBytes", "many"), ("csUserAgent", "Agent%"),
        ("csReferer", "https://www.example.com/%zz"), ("scBytes", "1.5")]
    assert messages[0]["expectation"].startswith("could not convert access log timestamp: ")
    assert [item["expectation"] for item in messages[1:]] == [
        "cannot be converted to Double", "cannot be converted to Int",
        "Exception URL-decoding (encoding UTF-8): URLDecoder: Incomplete trailing escape (%) pattern",
        "Exception URL-decoding (encoding UTF-8): URLDecoder: Illegal hex characters in escape (%) pattern",
        "cannot be converted to Int"]
    assert bad.payload["body"] == line


def test_a_method_longer_than_three_letters_fails_the_schema():
    outcome = process_payload(cloudfront_access_log_line(_line(24, csMethod="HEAD")))
    assert outcome.good == []
    [bad] = outcome.bad
    assert bad.type == "schema_violations"
    assert "iglu:com.amazon.aws.cloudfront/wd_access_log/jsonschema/1-0-5" in json.dumps(bad.failure)
