"""The Micro-style debug API under /micro/, for users' test suites (collector spec section 6)."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from dashboards.tokens import token_is_valid
from enrichment.models import MicroEvent
from iglu import api as iglu

ENDPOINTS = ["/micro/all", "/micro/good", "/micro/bad", "/micro/reset",
             "/micro/iglu/{vendor}/{name}/jsonschema/{version}"]


def micro_endpoint(view):
    """Enabled by MICRO_ENABLED, authenticated by an API token with the `micro` scope, CSRF-free for scripts."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from django.conf import settings

        if not settings.MICRO_ENABLED:
            raise Http404("The debug API is off; set MICRO_ENABLED=true.")
        if not token_is_valid(request, scope="micro"):
            return JsonResponse({"error": "Send an API token with the micro scope: Authorization: Bearer <token>"},
                                status=401)
        if request.method not in {"GET", "POST"}:
            return JsonResponse({"error": "Use GET or POST."}, status=405)
        try:
            filters = _filters(request)
        except ValueError as error:
            return JsonResponse({"error": str(error)}, status=400)
        return view(request, filters, *args, **kwargs)

    return wrapped


def _filters(request: HttpRequest) -> dict[str, Any]:
    if request.method != "POST" or not request.body:
        return {}
    try:
        filters = json.loads(request.body)
    except ValueError:
        raise ValueError("The request body must be a JSON object of filters.") from None
    if not isinstance(filters, dict):
        raise ValueError("The request body must be a JSON object of filters.")
    limit = filters.get("limit")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValueError("`limit` must be a non-negative integer.")
    return filters


@micro_endpoint
def micro_all(request: HttpRequest, filters: dict[str, Any]) -> JsonResponse:
    good = MicroEvent.objects.filter(good=True).count()
    bad = MicroEvent.objects.filter(good=False).count()
    return JsonResponse({"total": good + bad, "good": good, "bad": bad})


@micro_endpoint
def micro_good(request: HttpRequest, filters: dict[str, Any]) -> JsonResponse:
    events = MicroEvent.objects.filter(good=True).order_by("-id")
    if filters.get("event_type"):
        events = events.filter(event_type=filters["event_type"])
    if filters.get("schema"):
        events = events.filter(schema=filters["schema"], event_type="unstruct")
    documents = [e.document for e in events if set(filters.get("contexts") or []) <= set(e.contexts)]
    return JsonResponse(_limited(documents, filters), safe=False)


@micro_endpoint
def micro_bad(request: HttpRequest, filters: dict[str, Any]) -> JsonResponse:
    events = MicroEvent.objects.filter(good=False).order_by("-id")
    if filters.get("vendor"):
        events = events.filter(vendor=filters["vendor"])
    if filters.get("version"):
        events = events.filter(version=filters["version"])
    return JsonResponse(_limited([e.document for e in events], filters), safe=False)


@micro_endpoint
def micro_reset(request: HttpRequest, filters: dict[str, Any]) -> HttpResponse:
    MicroEvent.objects.all().delete()
    return HttpResponse("Reset completed", content_type="text/plain")


@micro_endpoint
def micro_iglu(request: HttpRequest, filters: dict[str, Any], vendor: str, name: str, version: str) -> JsonResponse:
    uri = f"iglu:{vendor}/{name}/jsonschema/{version}"
    try:
        return JsonResponse(iglu.resolve_schema(uri))
    except (iglu.SchemaNotFound, iglu.InvalidSchemaKey):
        return JsonResponse({"error": f"Schema {uri} was not found"}, status=404)


@micro_endpoint
def micro_unknown(request: HttpRequest, filters: dict[str, Any], rest: str = "") -> JsonResponse:
    return JsonResponse({"error": "Unknown endpoint", "endpoints": ENDPOINTS}, status=404)


def _limited(documents: list[Any], filters: dict[str, Any]) -> list[Any]:
    limit = filters.get("limit")
    return documents[:limit] if limit is not None else documents
