"""Request checks shared by adapters: each returns the checked value or raises Rejected with enrich's message."""

from __future__ import annotations

from typing import Any

from enrichment.jsonparse import JsonTooDeep, parse_json
from webhooks.messages import Rejected, input_data, not_json
from webhooks.requests import Pairs, WebhookRequest, media_type, parse_pairs

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
EMPTY_BODY = "empty body: no events to process"


def check_body(request: WebhookRequest, expectation: str = EMPTY_BODY) -> str:
    """The body, or Rejected: an absent and an empty body are the same thing here (spec 1.7)."""
    if request.body is None:
        raise Rejected(input_data("body", None, expectation))
    return request.body


def check_content_type(request: WebhookRequest, expected: str) -> str:
    """The content type must have the `expected` media type.

    Enrich compares the whole header with `==`, so `application/x-www-form-urlencoded; charset=utf-8` or
    `Application/JSON` lose the request; we compare the media type only, so those vendors' events are kept.
    """
    if request.content_type is None:
        raise Rejected(input_data("contentType", None, f"no content type: expected {expected}"))
    if media_type(request.content_type) != expected:
        raise Rejected(input_data("contentType", request.content_type, f"expected {expected}"))
    return request.content_type


def check_json(field: str, text: str) -> Any:
    """Parse JSON with enrich's depth limit, or raise Rejected(NotJson)."""
    try:
        return parse_json(text)
    except JsonTooDeep as error:
        raise Rejected(not_json(field, text, str(error))) from None
    except ValueError as error:
        raise Rejected(not_json(field, text, str(error))) from None


def check_form(request: WebhookRequest) -> Pairs:
    """The body's form fields in order. Never fails: see `requests.parse_pairs` for how we differ from enrich."""
    return parse_pairs(check_body(request))


def query_text(request: WebhookRequest) -> str:
    """The decoded query pairs joined again as enrich prints them in messages (`k=v&k2=null`)."""
    return "&".join(f"{name}={'null' if value is None else value}" for name, value in request.query.items())
