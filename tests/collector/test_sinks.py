"""The raw sinks: one stream entry or row per payload, group commit, and failures surfacing as SinkUnavailable."""

from __future__ import annotations

import asyncio

import pytest
import redis

from collector.sinks.base import SinkUnavailable
from collector.sinks.group_commit import GroupCommitWriter
from collector.sinks.postgres_table import PostgresTableSink
from collector.sinks.redis_stream import FIELD, RedisStreamSink
from collector.sinks.resp import RespError, _parse_bulk_replies
from tests.collector.conftest import REDIS_URL
from tests.collector.support import free_port


def entries(key: str) -> list[bytes]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return [fields[FIELD] for _, fields in client.xrange(key)]
    finally:
        client.close()


def test_the_redis_sink_appends_each_record_as_one_stream_entry_in_order(stream_key):
    sink = RedisStreamSink(REDIS_URL, stream_key, "enrich")
    records = [b"first", b"\x00\xff binary \r\n$3\r\n", b"x" * 100_000]
    asyncio.run(sink.write_batch_async(records))
    assert entries(stream_key) == records


def test_concurrent_writes_share_round_trips_and_all_are_stored_before_they_return(stream_key):
    sink = RedisStreamSink(REDIS_URL, stream_key, "enrich")

    async def main() -> int:
        await asyncio.gather(*(sink.write(b"r%d" % n) for n in range(200)))
        assert len(entries(stream_key)) == 200  # every write had returned, so every record is there
        return sink._writer.round_trips

    assert 1 <= asyncio.run(main()) < 200
    assert sorted(entries(stream_key)) == sorted(b"r%d" % n for n in range(200))


def test_a_redis_error_reply_is_sink_unavailable_and_the_next_write_reconnects(stream_key):
    client = redis.Redis.from_url(REDIS_URL)
    client.set(stream_key, "not a stream")
    sink = RedisStreamSink(REDIS_URL, stream_key, "enrich")
    with pytest.raises(SinkUnavailable, match="WRONGTYPE"):
        asyncio.run(sink.write_batch_async([b"a", b"b"]))
    client.delete(stream_key)
    client.close()
    asyncio.run(sink.write_batch_async([b"c"]))
    assert entries(stream_key) == [b"c"]


def test_an_unreachable_redis_is_sink_unavailable_and_unhealthy():
    sink = RedisStreamSink(f"redis://127.0.0.1:{free_port()}/0", "nowhere", "enrich")
    with pytest.raises(SinkUnavailable):
        asyncio.run(sink.write_batch_async([b"a"]))
    assert asyncio.run(sink.healthy()) is False


def test_replies_split_across_reads_are_parsed_when_complete():
    ids: list[bytes] = []
    rest = _parse_bulk_replies(b"$3\r\n1-0\r\n$15\r\n1764770000000-", ids)
    assert (ids, rest) == ([b"1-0"], b"$15\r\n1764770000000-")
    assert _parse_bulk_replies(rest + b"0\r\n", ids) == b""
    assert ids == [b"1-0", b"1764770000000-0"]
    with pytest.raises(RespError, match="OOM"):
        _parse_bulk_replies(b"-OOM command not allowed\r\n", [])


def test_a_failed_group_write_fails_every_request_waiting_on_it():
    async def failing(records: list[bytes]) -> None:
        raise SinkUnavailable("down")

    async def main() -> list[object]:
        writer = GroupCommitWriter(failing)
        return await asyncio.gather(*(writer.write(b"x") for _ in range(5)), return_exceptions=True)

    assert all(isinstance(result, SinkUnavailable) for result in asyncio.run(main()))


def test_a_group_commit_batch_shares_one_write_and_one_request_cancelled_does_not_fail_the_others():
    written: list[list[bytes]] = []

    async def flush(records: list[bytes]) -> None:
        await asyncio.sleep(0.01)
        written.append(list(records))

    async def main() -> list[object]:
        writer = GroupCommitWriter(flush, max_batch=3)

        async def request(record: bytes) -> bytes:
            await writer.write(record)
            return record

        tasks = [asyncio.ensure_future(request(b"%d" % n)) for n in range(8)]
        await asyncio.sleep(0)
        tasks[1].cancel()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = asyncio.run(main())
    assert written == [[b"0", b"1", b"2"], [b"3", b"4", b"5"], [b"6", b"7"]]  # at most max_batch per round trip
    assert isinstance(results[1], asyncio.CancelledError)
    assert [result for n, result in enumerate(results) if n != 1] == [b"0", b"2", b"3", b"4", b"5", b"6", b"7"]


@pytest.mark.django_db(transaction=True)
def test_the_postgres_sink_inserts_one_row_per_record_that_a_drain_claims_and_acknowledges():
    from django.db import transaction

    sink = PostgresTableSink()

    async def write() -> None:
        await asyncio.gather(*(sink.write(b"p%d" % n) for n in range(20)))
        await sink._conn.close()

    asyncio.run(write())
    assert sink.pending_count() == 20
    with transaction.atomic():
        claimed = sink.claim(15, "test")
        sink.ack(claimed)
    assert [c.data for c in claimed] == [b"p%d" % n for n in range(15)]  # oldest first
    assert sink.pending_count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_postgres_sink_reconnects_on_a_new_event_loop_and_reports_health():
    sink = PostgresTableSink()
    asyncio.run(sink.write_batch_async([b"one"]))
    first = sink._conn
    asyncio.run(sink.write_batch_async([b"two"]))  # a connection cannot cross loops: a new one is opened
    assert sink._conn is not first
    assert asyncio.run(sink.healthy()) is True
    asyncio.run(sink._conn.close())
    assert sink.pending_count() == 2


def test_an_unreachable_postgres_is_sink_unavailable_and_unhealthy(monkeypatch):
    monkeypatch.setattr("collector.sinks.postgres_table.database_conninfo",
                        lambda: f"host=127.0.0.1 port={free_port()} dbname=x user=x connect_timeout=2")
    sink = PostgresTableSink()
    with pytest.raises(SinkUnavailable):
        asyncio.run(sink.write_batch_async([b"a"]))
    assert asyncio.run(sink.healthy()) is False


def _silent_redis(behaviour: str):
    """A TCP server that takes XADDs and never answers ("silent") or closes the connection ("close")."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        if behaviour == "close":
            writer.close()
            return
        await asyncio.sleep(10)

    return serve


@pytest.mark.parametrize("behaviour", ["silent", "close"])
def test_a_batch_left_unanswered_or_cut_off_fails_every_waiting_write(behaviour):
    from collector.sinks.resp import XaddWriter

    async def main() -> list[object]:
        server = await asyncio.start_server(_silent_redis(behaviour), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        writer = XaddWriter(f"redis://127.0.0.1:{port}/0", "s", FIELD, timeout=0.3)
        try:
            return await asyncio.wait_for(
                asyncio.gather(*(writer.write(b"x%d" % n) for n in range(3)), return_exceptions=True), 5)
        finally:
            server.close()

    results = asyncio.run(main())
    assert len(results) == 3
    assert all(isinstance(result, SinkUnavailable) for result in results)
