"""Sign webhook requests the way each vendor does, for the signature tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from webhooks import ecdsa

SPKI_P256_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def mandrill_signature(key: str, url: str, fields: dict[str, str]) -> str:
    signed = url + "".join(f"{name}{value}" for name, value in sorted(fields.items()))
    return base64.b64encode(hmac.new(key.encode(), signed.encode(), hashlib.sha1).digest()).decode()


def mailgun_signature(key: str, timestamp: str, token: str) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def hubspot_v3_signature(secret: str, method: str, url: str, body: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{method}{url}{body}{timestamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def pagerduty_signature(secret: str, body: str) -> str:
    return "v1=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


class EcdsaKey:
    """A throwaway P-256 key pair: SendGrid signs with the private half, we verify with the public one."""

    def __init__(self) -> None:
        self.private = secrets.randbelow(ecdsa.N - 1) + 1
        x, y = ecdsa.point_multiply(self.private, ecdsa.G)
        self.public_der = SPKI_P256_PREFIX + b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_der).decode()

    def sign(self, message: bytes) -> str:
        e = int.from_bytes(hashlib.sha256(message).digest(), "big")
        while True:
            k = secrets.randbelow(ecdsa.N - 1) + 1
            r = ecdsa.point_multiply(k, ecdsa.G)[0] % ecdsa.N
            s = pow(k, -1, ecdsa.N) * (e + r * self.private) % ecdsa.N
            if r and s:
                return base64.b64encode(der(r, s)).decode()


def der(r: int, s: int) -> bytes:
    def integer(value: int) -> bytes:
        raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
        return b"\x02" + bytes([len(raw)]) + raw

    body = integer(r) + integer(s)
    return b"\x30" + bytes([len(body)]) + body
