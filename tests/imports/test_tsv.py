"""`--format tsv/com.amazon.aws.cloudfront/wd_access_log`: Snowplow's TsvLoader, each line of a CloudFront access
log the body of a payload for the wd_access_log adapter (log-formats spec 3), imported like any raw format."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from collector.payload import payload_deserialize
from imports.running import ImportOptions, import_files
from imports.tsv import CLOUDFRONT_ACCESS_LOG, cloudfront_access_log_line
from tests.imports.conftest import fetch, warehouse_state
from tests.imports.samples import cloudfront_header, cloudfront_line, write_text


def test_a_line_becomes_a_tsv_payload_with_the_line_as_body_and_headers_are_skipped():
    assert [cloudfront_access_log_line(line) for line in cloudfront_header(19)] == [None, None]
    line = cloudfront_line(19)
    payload = payload_deserialize(cloudfront_access_log_line(line))
    assert (payload.path, payload.collector, payload.encoding, payload.body) == (
        "/com.amazon.aws.cloudfront/wd_access_log", "tsv", "UTF-8", line.encode())
    assert payload.timestamp == 1401697800000
    assert (payload.ipAddress, payload.userAgent, payload.querystring, payload.headers) == (None, None, None, None)


def test_a_line_whose_time_does_not_parse_still_becomes_a_payload_for_the_adapter_to_refuse():
    payload = payload_deserialize(cloudfront_access_log_line("garbage"))
    assert payload.body == b"garbage" and payload.timestamp > 1401697800000


@pytest.mark.django_db(transaction=True)
def test_an_access_log_of_every_layout_loads_one_event_per_request_and_a_second_run_changes_nothing(tmp_path):
    lines = cloudfront_header(26)
    for number, count in enumerate([12, 15, 18, 19, 23, 24, 26]):
        lines.append(cloudfront_line(count, time=f"08:30:{number:02d}", cs_uri_stem=f"/downloads/file-{number}.zip"))
    lines.append(cloudfront_line(24, cs_method="HEAD"))  # csMethod longer than 3: schema violation
    lines.append(cloudfront_line(33))  # today's layout: no schema for it
    log = write_text(tmp_path / "E2ABC.2014-06-02-08.abcd.gz", lines, compress=True)
    out = StringIO()
    call_command("snowplow_import", str(log), format=CLOUDFRONT_ACCESS_LOG, workers=1, stdout=out, verbosity=0)
    summary = json.loads(out.getvalue())
    assert (summary["lines_read"], summary["headers_skipped"], summary["payloads"]) == (11, 2, 9)
    assert (summary["events_loaded"], summary["bad_rows"]) == (7, 2)
    rows = fetch("SELECT event_version, unstruct_event->'data'->'data'->>'csUriStem', user_ipaddress, v_collector, "
                 "platform, page_url FROM atomic.events ORDER BY collector_tstamp")
    assert [row[:2] for row in rows] == [("1-0-0", "/downloads/file-0.zip"), ("1-0-1", "/downloads/file-1.zip"),
                                         ("1-0-2", "/downloads/file-2.zip"), ("1-0-3", "/downloads/file-3.zip"),
                                         ("1-0-4", "/downloads/file-4.zip"), ("1-0-5", "/downloads/file-5.zip"),
                                         ("1-0-6", "/downloads/file-6.zip")]
    assert {row[2:] for row in rows} == {("192.0.2.99", "tsv", "srv", "https://www.example.com/shop/")}
    assert sorted(row[0] for row in fetch("SELECT type FROM bad_rows")) == ["adapter_failures", "schema_violations"]
    before = warehouse_state()
    again = import_files([log], ImportOptions(CLOUDFRONT_ACCESS_LOG)).as_dict()
    assert (again["already_imported"], again["events_loaded"], again["bad_rows"]) == (9, 0, 0)
    assert warehouse_state() == before
