"""Site setup: the JavaScript tracker snippet, pixel URLs, the AMP configuration and the first-event check."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from dashboards.models import Site

PIXEL_TRACKER_VERSION = "no-js-0.1.0"
PIXEL_KINDS = ("page_view", "struct")


def get_collector_url(request: HttpRequest) -> str:
    """This collector's public base URL: COLLECTOR_PUBLIC_URL, else the host the admin is served from."""
    configured = settings.COLLECTOR_PUBLIC_URL
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def get_tracker_js_url(site: Site) -> str:
    return site.tracker_js_url or settings.TRACKER_JS_URL


def get_tracker_snippet(site: Site, collector: str) -> str:
    """Snowplow's standard loader snippet, loading sp.js (pinned CDN or self-hosted) and sending here."""
    config = json.dumps({"appId": site.app_ids[0] if site.app_ids else site.slug})
    return (
        "<script type=\"text/javascript\" async=1>\n"
        ";(function(p,l,o,w,i,n,g){if(!p[i]){p.GlobalSnowplowNamespace=p.GlobalSnowplowNamespace||[];\n"
        "p.GlobalSnowplowNamespace.push(i);p[i]=function(){(p[i].q=p[i].q||[]).push(arguments)\n"
        "};p[i].q=p[i].q||[];n=l.createElement(o);g=l.getElementsByTagName(o)[0];n.async=1;\n"
        "n.src=w;g.parentNode.insertBefore(n,g)}}(window,document,\"script\",\n"
        f"{json.dumps(get_tracker_js_url(site))},\"snowplow\"));\n"
        f"snowplow('newTracker', 'sp', {json.dumps(collector)}, {config});\n"
        "snowplow('enableActivityTracking', { minimumVisitLength: 10, heartbeatDelay: 10 });\n"
        "snowplow('enableLinkClickTracking');\n"
        "snowplow('trackPageView');\n"
        "</script>\n"
    )


def get_pixel_url(collector: str, app_id: str, kind: str, fields: dict[str, str]) -> str:
    """A GET /i URL for emails and pages without JavaScript: a page view, or a structured event (e.g. an open)."""
    if kind not in PIXEL_KINDS:
        raise ValueError(f"Pixel kind must be one of {PIXEL_KINDS}.")
    params = {"e": "pv" if kind == "page_view" else "se", "p": "web", "tv": PIXEL_TRACKER_VERSION, "aid": app_id}
    names = {"page_view": {"url": "url", "title": "page", "referrer": "refr"},
             "struct": {"category": "se_ca", "action": "se_ac", "label": "se_la", "property": "se_pr",
                        "value": "se_va", "url": "url"}}[kind]
    params |= {wire: fields[name] for name, wire in names.items() if fields.get(name)}
    return f"{collector}/i?{urlencode(params)}"


def get_amp_config(collector: str, app_id: str) -> str:
    """The `<amp-analytics type="snowplow_v2">` tag: page views, page pings every 10 s, AMP linker on."""
    config = {
        "vars": {"collectorHost": urlsplit(collector).netloc or collector, "appId": app_id},
        "linkers": {"enabled": True},
        "triggers": {
            "defaultPageview": {"on": "visible", "request": "pageView"},
            "trackPagePings": {"on": "timer", "request": "ampPagePing",
                               "timerSpec": {"interval": 10, "startSpec": {"on": "visible", "selector": ":root"},
                                             "stopSpec": {"on": "hidden", "selector": ":root"}}},
        },
    }
    body = json.dumps(config, indent=2).replace("</", "<\\/")
    return ('<amp-analytics type="snowplow_v2" id="snowplow">\n<script type="application/json">\n'
            f"{body}\n</script>\n</amp-analytics>\n")


def has_first_event(site: Site) -> bool:
    """True once any event with one of the site's app ids is in the warehouse (an index probe, not a scan)."""
    if not site.app_ids:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM atomic.events WHERE app_id = ANY(%s))", [list(site.app_ids)])
        return bool(cursor.fetchone()[0])
