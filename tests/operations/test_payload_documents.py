"""A CollectorPayload as a patchable JSON document: decoded parameters, faithful re-encoding, RFC 6902 patches."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl

import pytest

from collector.payload import payload_deserialize
from operations.jsonpatch import PatchError, patch_apply
from operations.payload_documents import PayloadDocumentError, payload_document, payload_from_document
from operations.recovery import recovered_payload
from tests.enrichment.payloads import collector_payload, tp2

SDJ = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
       "data": {"schema": "iglu:com.acme/click/jsonschema/1-0-0", "data": {"n": 1}}}


def b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_get_payload_decodes_base64_parameters_in_its_querystring():
    document = payload_document(collector_payload("/i", {"e": "ue", "ue_px": b64(SDJ), "aid": "shop"}))
    assert document["path"] == "/i"
    assert document["querystring"]["ue_px"] == SDJ and document["querystring"]["aid"] == "shop"
    assert document["ipAddress"] == "198.51.100.7" and document["body"] is None


def test_a_patched_get_payload_is_encoded_back_the_way_trackers_send_it():
    data = collector_payload("/i", {"e": "ue", "ue_px": b64(SDJ), "aid": "shop"})
    patch = [{"op": "replace", "path": "/querystring/ue_px/data/data/n", "value": 2}]
    payload = payload_deserialize(recovered_payload(data, patch))
    params = dict(parse_qsl(payload.querystring.decode()))
    padded = params["ue_px"] + "=" * (-len(params["ue_px"]) % 4)
    assert json.loads(base64.urlsafe_b64decode(padded))["data"]["data"] == {"n": 2}
    assert params["aid"] == "shop" and payload.networkUserId == payload_deserialize(data).networkUserId


def test_a_post_body_keeps_its_value_types_and_reencodes_json_parameters():
    data = tp2([{"e": "ue", "ue_pr": json.dumps(SDJ), "cx": b64({"schema": "s", "data": []}), "stm": "1"}])
    document = payload_document(data)
    assert document["body"]["data"][0]["ue_pr"] == SDJ
    body = json.loads(payload_deserialize(payload_from_document(document)).body)
    assert json.loads(body["data"][0]["ue_pr"]) == SDJ
    assert body["data"][0]["stm"] == "1" and isinstance(body["data"][0]["cx"], str)


def test_without_a_rule_the_original_bytes_are_replayed_unchanged():
    data = collector_payload("/i", "a=1&a=2")
    assert recovered_payload(data, None) == data
    assert payload_document(data)["querystring"] == "a=1&a=2"  # repeated names stay exact text


def test_bytes_that_are_not_thrift_are_reported_not_raised_as_something_else():
    with pytest.raises(PayloadDocumentError):
        payload_document(b"\x00garbage")


def test_json_patch_follows_rfc_6902():
    document = {"a": {"b": [1, 2]}, "c": "x"}
    patch = [{"op": "add", "path": "/a/b/-", "value": 3}, {"op": "move", "from": "/c", "path": "/d"},
             {"op": "copy", "from": "/d", "path": "/a/e"}, {"op": "remove", "path": "/a/b/0"},
             {"op": "test", "path": "/a/b", "value": [2, 3]}, {"op": "add", "path": "/a~1b", "value": 0}]
    assert patch_apply(document, patch) == {"a": {"b": [2, 3], "e": "x"}, "d": "x", "a/b": 0}
    assert document == {"a": {"b": [1, 2]}, "c": "x"}  # untouched


@pytest.mark.parametrize(("patch", "message"), [
    ({"op": "add"}, "JSON array"),
    ([{"op": "add", "path": "a", "value": 1}], "JSON Pointer"),
    ([{"op": "replace", "path": "/missing", "value": 1}], "no member 'missing'"),
    ([{"op": "test", "path": "/a", "value": 2}], "differs"),
    ([{"op": "copy", "path": "/b"}], "from pointer"),
])
def test_a_patch_that_cannot_apply_says_which_operation_and_why(patch, message):
    with pytest.raises(PatchError, match=message):
        patch_apply({"a": 1}, patch)
