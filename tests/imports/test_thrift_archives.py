"""Thrift raw records come back out of every framing Snowplow archived them in (spec 5)."""

from __future__ import annotations

import base64
import gzip
import io
import struct

import pytest

from collector.payload import payload_deserialize
from enrichment.badrows import BadRowData
from imports import tbinary
from imports.thrift_archives import BLOCK_MARKER, legacy_convert, sniff_framing, thrift_records
from tests.imports.samples import elephant_bird_block, legacy_raw_event, lzop, page_view_query, thrift_payload

SPEC_SAMPLE = (
    "C3ppAAAAQWlnbHU6Y29tLnNub3dwbG93YW5hbHl0aWNzLnNub3dwbG93L0NvbGxlY3RvclBheWxvYWQvdGhyaWZ0LzEtMC0wCwBkAAAACjE5Mi4w"
    "LjIuMzMKAMgAAAFoBrW9yAsA0gAAAAVVVEYtOAsA3AAAABJzc2MtMC4xNS4wLWtpbmVzaXMLASwAAAAsTW96aWxsYS81LjAgKFgxMTsgTGludXgg"
    "eDg2XzY0KSBGaXJlZm94LzY0LjALATYAAAAYaHR0cHM6Ly93d3cuZXhhbXBsZS5jb20vCwFAAAAAAi9pCwFKAAAARWU9cHYmdXJsPWh0dHBzJTNB"
    "JTJGJTJGd3d3LmV4YW1wbGUuY29tJTJGJnR2PWpzLTIuMTAuMiZwPXdlYiZhaWQ9c2hvcA8BXgsAAAACAAAAG0hvc3Q6IGNvbGxlY3Rvci5leGFt"
    "cGxlLmNvbQAAABxYLUZvcndhcmRlZC1Gb3I6IDIwMy4wLjExMy44CwGQAAAAFWNvbGxlY3Rvci5leGFtcGxlLmNvbQsBmgAAACQ5YTFjM2U1Zi0y"
    "YjRkLTRmNmEtOGMwZS0xZDNmNWE3YjljMmUA"
)


def _read(data: bytes, framing: str = "auto") -> list:
    stream = io.BufferedReader(io.BytesIO(data))
    return list(thrift_records(stream, framing))


def _records(count: int) -> list[bytes]:
    return [thrift_payload(page_view_query(f"00000000-0000-4000-8000-{i:012d}")) for i in range(count)]


def test_the_spec_base64_sample_decodes_to_its_fields():
    (record,) = _read(SPEC_SAMPLE.rstrip("=").encode() + b"\n")
    assert len(record) == 447
    payload = payload_deserialize(record)
    assert payload.schema == "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0"
    assert (payload.ipAddress, payload.timestamp, payload.encoding) == ("192.0.2.33", 1546300800456, "UTF-8")
    assert payload.collector == "ssc-0.15.0-kinesis"
    assert payload.querystring == b"e=pv&url=https%3A%2F%2Fwww.example.com%2F&tv=js-2.10.2&p=web&aid=shop"
    assert payload.headers == ["Host: collector.example.com", "X-Forwarded-For: 203.0.113.8"]
    assert payload.networkUserId == "9a1c3e5f-2b4d-4f6a-8c0e-1d3f5a7b9c2e"
    assert tbinary.struct_end(record) == 447


def test_elephant_bird_blocks_in_lzop_give_every_record_in_order():
    records = _records(250)
    blocks = b"".join(elephant_bird_block(records[i: i + 100]) for i in range(0, 250, 100))
    for flags in (0, 0x1 | 0x2):
        data = lzop(blocks, block_size=4096, flags=flags)
        assert sniff_framing(data[:64]) == "lzo"
        assert _read(data) == records


def test_a_damaged_lzo_block_is_one_bad_row_and_reading_resumes_at_the_next_marker():
    records = _records(30)
    first, second, third = (elephant_bird_block(records[i: i + 10]) for i in (0, 10, 20))
    damaged = second[:22] + b"\xff" * (len(second) - 22)  # marker and size intact, protobuf garbage
    result = _read(lzop(first + damaged + b"junk" + third))
    bad = [item for item in result if isinstance(item, BadRowData)]
    assert [item for item in result if isinstance(item, bytes)] == records[:10] + records[20:]
    assert len(bad) == 2  # the damaged block, and the junk before the next marker
    assert all(item.type == "collector_payload_format_violation" and item.failure["loader"] == "thrift"
               for item in bad)
    assert base64.b64decode(bad[1].payload) == b"junk"


def test_a_truncated_lzop_file_keeps_the_records_before_the_damage():
    records = _records(20)
    data = lzop(b"".join(elephant_bird_block(records[i: i + 2]) for i in range(0, 20, 2)), block_size=512)
    result = _read(data[: len(data) // 2])
    good = [item for item in result if isinstance(item, bytes)]
    assert good == records[: len(good)] and 0 < len(good) < 20
    assert isinstance(result[-1], BadRowData)


def test_newline_separated_binary_records_in_gzip_are_split_even_with_newlines_inside():
    records = [*_records(5), thrift_payload("e=pv&page=a%0Ab", userAgent="line\nbreak")]
    data = gzip.decompress(gzip.compress(b"".join(record + b"\n" for record in records)))
    assert sniff_framing(data[:64]) == "binary"
    assert _read(data) == records


def test_garbage_between_binary_records_becomes_a_bad_row_and_the_next_record_is_found():
    records = _records(3)
    data = records[0] + b"\n" + b"\x99garbage" + b"\n" + records[1] + b"\n" + records[2] + b"\n"
    result = _read(data, "binary")
    assert [item for item in result if isinstance(item, bytes)] == records
    (bad,) = [item for item in result if isinstance(item, BadRowData)]
    assert base64.b64decode(bad.payload) == b"\x99garbage\n"


def test_base64_lines_with_or_without_padding_and_a_bad_line_as_a_bad_row():
    records = _records(3)
    lines = [base64.b64encode(records[0]), base64.b64encode(records[1]).rstrip(b"="), b"", b"!!not base64!!",
             base64.b64encode(records[2])]
    result = _read(b"\n".join(lines) + b"\n")
    assert result[:2] == records[:2] and result[3] == records[2]
    assert isinstance(result[2], BadRowData) and result[2].payload == "!!not base64!!"


def test_a_legacy_snowplow_raw_event_becomes_a_tp1_collector_payload():
    converted = payload_deserialize(legacy_convert(legacy_raw_event("e=pv&aid=old")))
    assert (converted.path, converted.querystring, converted.timestamp) == ("/i", b"e=pv&aid=old", 1400000000000)
    assert (converted.collector, converted.ipAddress, converted.encoding) == ("ssc-0.1.0-stdout", "192.0.2.60", "UTF-8")


@pytest.mark.parametrize("data", [b"\x0b\x7a\x69\x00\x00\x00\x05ab", b"\x0b\x7a\x69\x00\x00\x00\x05abcde"])
def test_a_record_cut_short_is_incomplete(data):
    with pytest.raises(tbinary.IncompleteRecord):
        tbinary.struct_end(data)


def test_an_unknown_wire_type_is_corrupt():
    with pytest.raises(tbinary.CorruptRecord):
        tbinary.struct_end(b"\x63\x00\x01")


@pytest.mark.parametrize("read_size", [1, 7, 450])
def test_binary_records_are_split_the_same_whatever_the_read_size(monkeypatch, read_size):
    from imports import thrift_archives

    monkeypatch.setattr(thrift_archives, "READ_SIZE", read_size)
    records = _records(4)
    data = records[0] + b"\n" + records[1] + records[2] + b"\n" + b"\x99junk\n" + records[3]
    result = _read(data, "binary")
    assert [item for item in result if isinstance(item, bytes)] == records
    assert [base64.b64decode(item.payload) for item in result if isinstance(item, BadRowData)] == [b"\x99junk\n"]


def test_a_block_size_no_block_can_have_is_skipped_with_its_marker():
    records = _records(3)
    damaged = BLOCK_MARKER + struct.pack("<I", 2**31)
    result = _read(lzop(damaged + elephant_bird_block(records)))
    assert result[1:] == records
    assert isinstance(result[0], BadRowData) and "out of range" in result[0].failure["message"]["error"]
