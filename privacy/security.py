"""Security headers for Django pages: a Content-Security-Policy that the dashboards and the admin work under.

Scripts only from our own origin (Chart.js and jsvectormap are served from /static/), or inline with the
per-request nonce (`request.csp_nonce`); styles may be inline (Chart.js and the admin set style attributes); no
framing (as X-Frame-Options: DENY). HSTS, nosniff and frame options come from Django's SecurityMiddleware and
settings; HSTS is only ever sent on HTTPS requests. The collector's ASGI routes never pass through here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Add PRIVACY_CSP (with `{nonce}` filled in) to every response that has not set its own policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.PRIVACY_CSP and HEADER not in response:
            response[HEADER] = settings.PRIVACY_CSP.format(nonce=request.csp_nonce)
        return response
