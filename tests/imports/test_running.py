"""Imports of whole files into the warehouse: processed like live traffic, bad lines kept, resumable, repeatable,
parallel across files."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from enrichment.writers import to_tsv
from imports import running
from imports.running import ImportOptions, import_files
from imports.sources import list_files
from tests.imports.conftest import fetch, warehouse_empty, warehouse_state
from tests.imports.samples import (
    clj_line,
    cloudfront_header,
    cloudfront_line,
    elephant_bird_block,
    lzop,
    page_view_query,
    thrift_payload,
    urlsafe_b64,
    write_text,
)
from tests.imports.test_enriched_tsv import CONTEXTS, sample_event

pytestmark = pytest.mark.django_db(transaction=True)


def _eid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def _cloudfront_log(path: Path, count: int, bad_every: int = 0, start: int = 0) -> Path:
    lines = cloudfront_header(23)
    for number in range(start, start + count):
        if bad_every and number % bad_every == bad_every - 1:
            lines.append(cloudfront_line(23, cs_method="POST", time=f"08:{number // 60 % 60:02d}:{number % 60:02d}"))
        else:
            query = page_view_query(_eid(number), page=f"Page%2520{number}")
            lines.append(cloudfront_line(23, cs_uri_query=query, time=f"08:{number // 60 % 60:02d}:{number % 60:02d}"))
    return write_text(path, lines, compress=path.suffix == ".gz")


def _run(paths: list[Path], **options) -> dict:
    return import_files(paths, ImportOptions(**{"format": "cloudfront", "batch_size": 4, **options})).as_dict()


def test_a_cloudfront_log_loads_its_events_and_keeps_malformed_lines_as_bad_rows(tmp_path):
    log = _cloudfront_log(tmp_path / "E2ABC.2014-06-02-08.abcd.gz", 10, bad_every=5)
    with log.open("ab") as handle:
        handle.write(b"")
    summary = _run([log])
    assert summary | {"seconds": 0, "events_per_second": 0} == {
        "dry_run": False, "files": 1, "files_failed": 0, "lines_read": 12, "headers_skipped": 2,
        "already_imported": 0, "payloads": 8, "events_loaded": 8, "bad_rows": 2, "duplicates_skipped": 0,
        "notes": 0, "seconds": 0, "events_per_second": 0}
    first = fetch("SELECT event_id::text, collector_tstamp::text, page_title, page_url, user_ipaddress, useragent, "
                  "v_collector, app_id FROM atomic.events ORDER BY event_id LIMIT 1")
    assert first == [(_eid(0), "2014-06-02 08:00:00", "Page 0", "https://www.example.com/shop/", "192.0.2.99",
                      "curl/7.35.0", "cloudfront", "site1")]
    bad = fetch("SELECT type, data->'data'->'failure'->>'loader', data->'data'->>'payload' FROM bad_rows")
    assert len(bad) == 2
    assert {row[:2] for row in bad} == {("collector_payload_format_violation", "cloudfront")}
    assert all("\tPOST\t" in row[2] for row in bad)


def test_a_repeated_import_changes_nothing(tmp_path):
    log = _cloudfront_log(tmp_path / "a.log", 9, bad_every=4)
    _run([log])
    before = warehouse_state()
    again = _run([log])
    assert (again["already_imported"], again["events_loaded"], again["bad_rows"]) == (9, 0, 0)
    assert warehouse_state() == before


def test_the_same_file_under_another_name_is_the_same_import(tmp_path):
    log = _cloudfront_log(tmp_path / "a.log", 6)
    copy = tmp_path / "copy.log"
    copy.write_bytes(log.read_bytes())
    summary = _run([log, copy], workers=1)
    assert (summary["files"], summary["events_loaded"]) == (1, 6)
    assert _run([copy])["already_imported"] == 6


def test_an_interrupted_import_resumed_equals_an_uninterrupted_one(tmp_path, monkeypatch):
    log = _cloudfront_log(tmp_path / "a.log.gz", 23, bad_every=6)
    _run([log])
    uninterrupted = warehouse_state()
    warehouse_empty()

    real_load = running.items_load
    calls = []

    def crash_on_third_batch(items):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("operator pressed Ctrl-C")
        return real_load(items)

    monkeypatch.setattr(running, "items_load", crash_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        _run([log])
    # Two batches of four records committed; the first held the two header lines, which have no payload id.
    assert len(fetch("SELECT 1 FROM warehouse_load_manifest")) == 6
    monkeypatch.setattr(running, "items_load", real_load)
    resumed = _run([log], batch_size=7)
    assert resumed["already_imported"] == 6
    assert warehouse_state() == uninterrupted


def test_a_file_that_breaks_off_keeps_what_was_committed_and_reports_the_error(tmp_path):
    log = _cloudfront_log(tmp_path / "a.log.gz", 400)
    log.write_bytes(log.read_bytes()[:-30])
    summary = import_files([log], ImportOptions("cloudfront", batch_size=100))
    (item,) = summary.files
    assert item.error and "EOFError" in item.error
    assert summary.as_dict()["files_failed"] == 1
    assert 0 < summary.totals.events_loaded < 400


def test_a_dry_run_reports_what_would_be_loaded_and_writes_nothing(tmp_path):
    log = _cloudfront_log(tmp_path / "a.log", 10, bad_every=5)
    dry = _run([log], dry_run=True)
    assert (dry["dry_run"], dry["events_loaded"], dry["bad_rows"]) == (True, 8, 2)
    assert warehouse_state() == {"events": [], "bad_rows": [], "manifest": [], "archive": []}
    assert _run([log])["events_loaded"] == 8


def test_files_of_a_directory_and_a_glob_are_imported_in_parallel_processes(tmp_path):
    folder = tmp_path / "cf"
    (folder / "2014").mkdir(parents=True)
    for day in range(3):
        _cloudfront_log(folder / "2014" / f"E2ABC.2014-06-0{day + 1}-08.x.gz", 10, start=day * 10)
    (folder / "2014" / "E2ABC.2014-06-01-08.x.gz.lzo.index").write_bytes(b"\0" * 8)
    (folder / "_SUCCESS").write_bytes(b"")
    paths = list_files([str(folder)])
    assert [path.name for path in paths] == [f"E2ABC.2014-06-0{day}-08.x.gz" for day in (1, 2, 3)]
    assert list_files([str(folder / "**" / "*.gz")]) == paths
    seen = []
    summary = import_files(paths, ImportOptions("cloudfront", batch_size=4, workers=3),
                           lambda size, counts: seen.append(counts.events_loaded))
    assert summary.totals.events_loaded == 30 == sum(seen)
    assert [item.counts.events_loaded for item in summary.files] == [10, 10, 10]
    assert len(fetch("SELECT DISTINCT event_id FROM atomic.events")) == 30


def test_a_clojure_log_of_every_version_loads_get_and_post_lines(tmp_path):
    body = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4",
                       "data": [{"e": "pv", "url": "https://www.example.com/checkout", "tv": "js-2.10.2", "p": "web",
                                 "aid": "shop", "eid": _eid(99)}]}).encode()
    lines = [clj_line(version, page_view_query(_eid(number)), date="2013-06-01")
             for number, version in enumerate(["0.1.0", "0.3.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0", "2.1.3"])]
    lines.append(clj_line("2.1.3", "", method="POST", path="/com.snowplowanalytics.snowplow/tp2",
                          content_type="application%2Fjson%3B+charset%3DUTF-8", body=urlsafe_b64(body)))
    lines.append(clj_line("0.1.0", page_view_query(_eid(50)), date="2013-01-20", time="03:00:00"))
    lines.append("garbage line")
    log = write_text(tmp_path / "_var_log_tomcat8_rotated_localhost_access_log.txt1426089661.gz", lines, True)
    summary = import_files([log], ImportOptions("clj-tomcat", batch_size=3)).as_dict()
    assert (summary["events_loaded"], summary["bad_rows"], summary["notes"]) == (9, 1, 1)
    rows = fetch("SELECT event_id::text, v_collector, network_userid, useragent FROM atomic.events ORDER BY 1")
    assert [row[1] for row in rows] == ["clj-tomcat", "clj-tomcat", "clj-0.5.0-tom-0.2.0", "clj-0.6.0-tom-0.2.0",
                                        "clj-0.7.0-tom-0.2.0", "clj-0.8.0-tom-0.2.0", "clj-2.1.3-tom-0.2.0",
                                        "clj-tomcat", "clj-2.1.3-tom-0.2.0"]
    assert {row[2] for row in rows} == {"9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"}
    assert {row[3] for row in rows} == {"Mozilla/5.0 (X11; Linux x86_64) Firefox/64.0"}


def test_a_thrift_lzo_archive_is_processed_like_live_traffic(tmp_path):
    records = [thrift_payload(page_view_query(_eid(number))) for number in range(12)]
    records.append(thrift_payload("e=pv", path="/not/a/valid/path"))
    archive = tmp_path / "2019-01-01-000000-4955-4956.lzo"
    archive.write_bytes(lzop(elephant_bird_block(records[:10]) + elephant_bird_block(records[10:])))
    summary = import_files([archive], ImportOptions("thrift", batch_size=5)).as_dict()
    assert (summary["payloads"], summary["events_loaded"], summary["bad_rows"]) == (13, 12, 1)
    assert fetch("SELECT DISTINCT user_ipaddress, network_userid, v_collector FROM atomic.events") == [
        ("203.0.113.8", "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e", "ssc-0.15.0-kinesis")]
    assert fetch("SELECT data->'data'->'failure'->>'loader' FROM bad_rows") == [("thrift",)]
    assert len(fetch("SELECT 1 FROM warehouse_raw_archive")) == 13


def test_an_enriched_tsv_archive_loads_as_it_is_with_contexts_shredded_and_duplicates_skipped(tmp_path):
    events = [sample_event(event_id=_eid(number), app_id=f"app{number}", contexts=CONTEXTS) for number in range(5)]
    natural_copy = dict(events[0], etl_tstamp=1600000000000)
    synthetic_copy = dict(events[1], page_url="https://www.example.com/elsewhere")
    lines = [to_tsv(event) for event in [*events, natural_copy, synthetic_copy]] + ["not\tenough\tfields"]
    summary = import_files([write_text(tmp_path / "part-00000.gz", lines, True)],
                           ImportOptions("enriched", batch_size=3)).as_dict()
    assert (summary["events_loaded"], summary["duplicates_skipped"], summary["bad_rows"]) == (6, 1, 1)
    loaded = fetch("SELECT app_id, v_etl, collector_tstamp::text FROM atomic.events ORDER BY app_id, page_url")
    assert loaded[0] == ("app0", "spark-1.16.0-common-0.35.0", "2019-01-01 00:00:00.456")
    assert len(fetch("SELECT 1 FROM atomic.com_snowplowanalytics_snowplow_web_page_1")) == 6
    assert fetch("SELECT count(*) FROM atomic.com_snowplowanalytics_snowplow_link_click_1") == [(6,)]
    bad = [(kind, json.loads(failure)) for kind, failure in fetch("SELECT type, data->'data'->'failure' FROM bad_rows")]
    assert bad == [("loader_parsing_error", {"type": "FieldNumberMismatch", "fieldCount": 3})]
    again = import_files([tmp_path / "part-00000.gz"], ImportOptions("enriched")).as_dict()
    assert (again["already_imported"], again["events_loaded"]) == (8, 0)


def test_the_command_prints_a_summary_and_refuses_a_location_that_matches_nothing(tmp_path):
    log = _cloudfront_log(tmp_path / "a.log", 5)
    out = StringIO()
    call_command("snowplow_import", str(tmp_path / "*.log"), "--format", "cloudfront", "--workers", "1",
                 stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["events_loaded"] == 5
    assert log.exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("snowplow_import", str(tmp_path / "missing*.log"), "--format", "cloudfront")
