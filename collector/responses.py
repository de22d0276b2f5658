"""The exact bytes and headers the Scala Stream Collector answers with (collector spec section 2)."""

import base64

PIXEL = base64.b64decode("R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==")
PIXEL_HEADERS = [
    (b"content-type", b"image/gif"),
    (b"cache-control", b"no-cache, no-store, must-revalidate"),
]
OK_BODY = b"ok"
TEXT_HEADERS = [(b"content-type", b"text/plain; charset=utf-8")]
POST_OK_HEADERS = [(b"content-type", b"text/plain")]
ROBOTS_TXT = (
    b"User-agent: *\nDisallow: /\n\n"
    b"User-agent: Googlebot\nDisallow: /\n\n"
    b"User-agent: AdsBot-Google\nDisallow: /"
)
PREFLIGHT_ALLOWED_HEADERS = b"Content-Type, SP-Anonymous"
