"""WSGI entry point (admin and dashboards only; the collector's hot path needs the ASGI entry point)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
application = get_wsgi_application()
