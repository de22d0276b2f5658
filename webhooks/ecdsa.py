"""ECDSA P-256 / SHA-256 signature verification, for SendGrid's signed event webhook.

Pure Python so that verifying a webhook needs no extra dependency; webhook volumes make its speed (about a
millisecond per signature) irrelevant. Verification only: no secret key ever touches this code.
"""

from __future__ import annotations

import hashlib

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)
Point = tuple[int, int] | None


class InvalidKey(ValueError):
    """The configured public key is not a P-256 point in SubjectPublicKeyInfo DER or raw uncompressed form."""


def point_add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    slope = _doubling_slope(p) if p == q else (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return x, (slope * (p[0] - x) - p[1]) % P


def _doubling_slope(p: tuple[int, int]) -> int:
    return (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P


def point_multiply(k: int, point: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        k >>= 1
    return result


def on_curve(point: tuple[int, int]) -> bool:
    x, y = point
    return 0 <= x < P and 0 <= y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def public_key_point(der: bytes) -> tuple[int, int]:
    """The point of a P-256 SubjectPublicKeyInfo (91 bytes) or a raw `04 || X || Y` point (65 bytes)."""
    raw = der[-65:] if len(der) in (65, 91) else b""
    if len(raw) != 65 or raw[0] != 4:
        raise InvalidKey("expected a P-256 public key (SubjectPublicKeyInfo DER, base64)")
    point = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")
    if not on_curve(point):
        raise InvalidKey("the public key is not a point of P-256")
    return point


def der_signature(signature: bytes) -> tuple[int, int] | None:
    """(r, s) from `SEQUENCE { INTEGER r, INTEGER s }`, or None when malformed."""
    if len(signature) < 8 or signature[0] != 0x30 or signature[1] != len(signature) - 2:
        return None
    values, position = [], 2
    for _ in range(2):
        if position + 2 > len(signature) or signature[position] != 0x02:
            return None
        length = signature[position + 1]
        start, position = position + 2, position + 2 + length
        if length == 0 or position > len(signature):
            return None
        values.append(int.from_bytes(signature[start:position], "big"))
    return (values[0], values[1]) if position == len(signature) else None


def verify(public_key_der: bytes, message: bytes, signature_der: bytes) -> bool:
    """True when `signature_der` signs SHA-256(message) under the key; raise InvalidKey for a bad key."""
    key = public_key_point(public_key_der)
    parsed = der_signature(signature_der)
    if parsed is None:
        return False
    r, s = parsed
    if not (0 < r < N and 0 < s < N):
        return False
    e = int.from_bytes(hashlib.sha256(message).digest(), "big")
    w = pow(s, -1, N)
    point = point_add(point_multiply(e * w % N, G), point_multiply(r * w % N, key))
    return point is not None and point[0] % N == r
