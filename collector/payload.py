"""Snowplow's Thrift CollectorPayload: the unit of the raw sink, the raw archive and collector-level bad rows."""

from __future__ import annotations

import threading
from pathlib import Path

import thriftpy2
from thriftpy2.protocol import TCyBinaryProtocolFactory
from thriftpy2.protocol.cybin import TCyBinaryProtocol
from thriftpy2.transport.memory import TCyMemoryBuffer
from thriftpy2.utils import deserialize, serialize

SCHEMA = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0"
ENCODING = "UTF-8"

_idl = thriftpy2.load(str(Path(__file__).with_name("collector_payload.thrift")), module_name="collector_payload_thrift")
CollectorPayload = _idl.CollectorPayload
_protocol = TCyBinaryProtocolFactory()


def payload_serialize(payload: CollectorPayload) -> bytes:
    """Encode with Thrift's binary protocol, as Snowplow collectors do."""
    return serialize(payload, _protocol)


_buffers = threading.local()


def payload_encode(payload: CollectorPayload) -> bytes:
    """`payload_serialize` for the collector's hot path: the same bytes, written through a memory buffer and
    protocol kept per thread instead of two new objects per call."""
    try:
        buffer, protocol = _buffers.pair
    except AttributeError:
        buffer = TCyMemoryBuffer()
        protocol = TCyBinaryProtocol(buffer)
        _buffers.pair = buffer, protocol
    try:
        protocol.write_struct(payload)
        return buffer.getvalue()
    finally:
        buffer.clean()


def payload_deserialize(data: bytes) -> CollectorPayload:
    """Decode Thrift binary bytes; raises on malformed input (callers turn that into a bad row)."""
    return deserialize(CollectorPayload(), data, _protocol)
