"""Token authentication with the project's hashed, scoped, revocable ApiToken (scope `api`)."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from dashboards.tokens import bearer_secret, get_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; the token acts as its user, with that user's site roles."""

    keyword = "Bearer"

    def authenticate(self, request):
        secret = bearer_secret(request._request)
        if not secret:
            return None
        token = get_token(secret, "api")
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, revoked or out-of-scope token (it needs the api scope).")
        if token.user is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token belongs to no active user; create it with --user.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword
