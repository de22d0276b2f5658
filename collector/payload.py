"""Snowplow's Thrift CollectorPayload: the unit of the raw sink, the raw archive and collector-level bad rows."""

from __future__ import annotations

from pathlib import Path

import thriftpy2
from thriftpy2.protocol import TCyBinaryProtocolFactory
from thriftpy2.utils import deserialize, serialize

SCHEMA = "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0"
ENCODING = "UTF-8"

_idl = thriftpy2.load(str(Path(__file__).with_name("collector_payload.thrift")), module_name="collector_payload_thrift")
CollectorPayload = _idl.CollectorPayload
_protocol = TCyBinaryProtocolFactory()


def payload_serialize(payload: CollectorPayload) -> bytes:
    """Encode with Thrift's binary protocol, as Snowplow collectors do."""
    return serialize(payload, _protocol)


def payload_deserialize(data: bytes) -> CollectorPayload:
    """Decode Thrift binary bytes; raises on malformed input (callers turn that into a bad row)."""
    return deserialize(CollectorPayload(), data, _protocol)
