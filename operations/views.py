"""/metrics for Prometheus, protected by an API token with the `metrics` scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dashboards.tokens import token_is_valid
from operations.health import get_pipeline_health
from operations.metrics import CONTENT_TYPE, render_metrics


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not token_is_valid(request, scope="metrics"):
        response = HttpResponse("A token with the metrics scope is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(render_metrics(get_pipeline_health()), content_type=CONTENT_TYPE)
