"""Iglu Server API routes, mounted at /api/ by snowplow_site.urls."""

from django.urls import path

from iglu import http_api

_PART = "<str:vendor>/<str:name>/<str:fmt>"

urlpatterns = [
    path("meta/health", http_api.health),
    path("meta/health/db", http_api.health_db),
    path("meta/server", http_api.server_info),
    path("schemas", http_api.schemas_collection),
    path("schemas/<str:vendor>", http_api.schemas_collection),
    path("schemas/<str:vendor>/<str:name>", http_api.schemas_collection),
    path(f"schemas/{_PART}/<int:model>", http_api.schemas_collection),
    path(f"schemas/{_PART}/<str:version>", http_api.schema_resource),
    path("validation/validate/schema/<str:fmt>", http_api.validate_schema),
    path("validation/validate/instance", http_api.validate_instance),
    path("auth/keygen", http_api.keygen),
]
