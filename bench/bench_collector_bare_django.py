"""Benchmark baseline (c): a bare Django view (no middleware) answering the pixel, under the same server."""

import base64

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

PIXEL = base64.b64decode("R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==")


def pixel(request):
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    return response


urlpatterns = [path("i", pixel)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)
django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402

app = get_asgi_application()
