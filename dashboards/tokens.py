"""API tokens: issued once, stored hashed, revocable, scoped (api, micro, metrics)."""

from __future__ import annotations

import hashlib
import secrets

from django.http import HttpRequest
from django.utils import timezone

from dashboards.models import ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(name: str, scopes: list[str], user=None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored."""
    unknown = set(scopes) - set(ApiToken.SCOPES)
    if unknown:
        raise ValueError(f"Unknown scopes {sorted(unknown)}; use some of {list(ApiToken.SCOPES)}.")
    secret = "spdj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, key_hash=hash_token(secret), prefix=secret[5:13], scopes=scopes,
                                    user=user)
    return token, secret


def get_token(secret: str, scope: str) -> ApiToken | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret), revoked_at__isnull=True).first()
    if token is None or scope not in token.scopes:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def bearer_secret(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() in {"bearer", "token"} and secret.strip():
        return secret.strip()
    return None


def token_is_valid(request: HttpRequest, scope: str) -> bool:
    secret = bearer_secret(request)
    return bool(secret) and get_token(secret, scope) is not None
