"""ECDSA P-256 verification against the RFC 6979 test vector, and malformed inputs."""

import pytest

from tests.webhooks.signing import SPKI_P256_PREFIX, der
from webhooks import ecdsa

UX = 0x60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
UY = 0x7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299
R = 0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716
S = 0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8
KEY = SPKI_P256_PREFIX + b"\x04" + UX.to_bytes(32, "big") + UY.to_bytes(32, "big")


def test_the_rfc_6979_p256_sha256_signature_of_sample_verifies():
    assert ecdsa.verify(KEY, b"sample", der(R, S))


def test_another_message_or_a_changed_signature_does_not_verify():
    assert not ecdsa.verify(KEY, b"samples", der(R, S))
    assert not ecdsa.verify(KEY, b"sample", der(R, S - 1))
    assert not ecdsa.verify(KEY, b"sample", der(0, S))


def test_a_raw_uncompressed_point_is_a_key_too():
    assert ecdsa.verify(KEY[-65:], b"sample", der(R, S))


def test_malformed_signatures_are_false_and_bad_keys_raise():
    assert not ecdsa.verify(KEY, b"sample", b"\x30\x02\x02\x00")
    assert not ecdsa.verify(KEY, b"sample", der(R, S) + b"\x00")
    with pytest.raises(ecdsa.InvalidKey):
        ecdsa.verify(KEY[:-1] + b"\x00", b"sample", der(R, S))
    with pytest.raises(ecdsa.InvalidKey):
        ecdsa.verify(b"short", b"sample", der(R, S))
