"""Referrer spam (the maintained list, downloaded from loopback here, and a site's own hosts) and PII presets."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from enrichment.pipeline import BUILTIN_PHASE_2
from enrichment.processing import process_payload
from privacy.enrichment import site_privacy_step
from privacy.pii import pseudonym
from privacy.referrer_spam import is_spam_host, parse_spam_list, spam_list_update
from tests.enrichment.payloads import collector_payload

pytestmark = pytest.mark.django_db
PHASE_2 = [*BUILTIN_PHASE_2, ("site_privacy", site_privacy_step)]
SPAM_LIST = b"# referrer spam\nbest-seo-offer.example\n\nfree-traffic.example  \n"


def enrich(**query) -> dict | None:
    params = {"e": "pv", "p": "web", "tv": "js-4.0.0", "aid": "shop", "url": "https://shop.example/a", **query}
    outcome = process_payload(collector_payload("/i", params), PHASE_2)
    assert outcome.bad == []
    return outcome.good[0].event if outcome.good else None


@pytest.fixture
def list_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(SPAM_LIST)))
            self.end_headers()
            self.wfile.write(SPAM_LIST)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/spammers.txt"
    server.shutdown()


def test_the_spam_list_is_one_host_a_line_with_comments_and_blanks_ignored():
    assert parse_spam_list(SPAM_LIST.decode()) == {"best-seo-offer.example", "free-traffic.example"}


def test_the_maintained_list_is_downloaded_and_matches_hosts_and_their_subdomains(settings, list_server):
    settings.PRIVACY_REFERRER_SPAM_URL = list_server
    assert spam_list_update() == 2
    assert is_spam_host("www.best-seo-offer.example") and is_spam_host("free-traffic.example")
    assert not is_spam_host("best-seo-offer.example.org") and not is_spam_host("seo-offer.example")


def test_events_referred_by_spam_are_dropped_and_others_kept(settings, list_server, make_site):
    settings.PRIVACY_REFERRER_SPAM_URL = list_server
    spam_list_update()
    make_site("shop", spam_domains=["own-spam.example"])
    assert enrich(refr="https://best-seo-offer.example/x") is None
    assert enrich(refr="https://a.own-spam.example/") is None
    assert enrich(refr="https://news.example/story") is not None


def test_a_site_may_keep_referrer_spam(settings, list_server, make_site):
    settings.PRIVACY_REFERRER_SPAM_URL = list_server
    spam_list_update()
    make_site("shop", exclude_referrer_spam=False)
    assert enrich(refr="https://best-seo-offer.example/x") is not None


def test_email_addresses_are_removed_from_page_and_referrer_urls_by_default(make_site):
    make_site("shop")
    event = enrich(url="https://shop.example/welcome?email=jane.doe%40mail.example&x=1",
                   refr="https://mail.example/?to=jane@mail.example")
    assert event["page_url"] == "https://shop.example/welcome?email=[email]&x=1"
    assert event["page_urlquery"] == "email=[email]&x=1"
    assert event["page_referrer"] == "https://mail.example/?to=[email]"


def test_user_ids_can_be_pseudonymised_per_site_with_a_stable_salted_hash(settings, make_site):
    settings.PRIVACY_PII_SALT = "pepper"
    make_site("shop", pseudonymise_user_id=True)
    import hashlib
    import hmac

    expected = hmac.new(b"pepper", b"jane@mail.example", hashlib.sha256).hexdigest()
    assert enrich(uid="jane@mail.example")["user_id"] == expected == pseudonym("jane@mail.example")
