"""Scheduled email reports through a real SMTP server the test starts; site setup in the admin."""

import datetime as dt
import email
import email.policy
import socketserver
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User

from dashboards.models import EmailReport
from dashboards.reports import get_report_period, report_create, reports_send_due
from tests.dashboards.conftest import DE, load, shop_events, view

pytestmark = pytest.mark.django_db


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append((recipients, email.message_from_bytes(data, policy=email.policy.default)))
                self.reply("250 Queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # MAIL, RSET, NOOP
                self.reply("250 OK")


@pytest.fixture
def smtp_server(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.server_address[1]
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.DASHBOARDS_BASE_URL = "https://analytics.example.com"
    yield server
    server.shutdown()
    server.server_close()


def test_report_periods_are_the_last_complete_day_week_and_month():
    today = dt.date(2026, 12, 3)  # a Thursday
    assert get_report_period("daily", today).start == dt.date(2026, 12, 2)
    weekly = get_report_period("weekly", today)
    assert (weekly.start, weekly.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    monthly = get_report_period("monthly", today)
    assert (monthly.start, monthly.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_a_daily_report_is_mailed_once_with_escaped_event_data(smtp_server, shop, site_admin, other_site):
    load([*shop_events(), view(dt.datetime(2026, 12, 1, 6), "v7", "s7", "/<script>alert(1)</script>", **DE)])
    report_create(shop, site_admin, "boss@example.com, team@example.com", "daily")
    # 2 Dec 10:00 in Kolkata: the report covers local 1 Dec (v3, v1 and v7: 3 visitors, 3 page views).
    now = dt.datetime(2026, 12, 2, 4, 30, tzinfo=dt.UTC)
    assert reports_send_due(now) == 1
    assert reports_send_due(now) == 0  # the period was sent already
    (recipients, message), = smtp_server.messages
    assert recipients == ["boss@example.com", "team@example.com"]
    assert message["Subject"] == "Shop: daily report, 2026-12-01"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Visitors:   3 (before: 2)" in text and "Page views: 3 (before: 3)" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "secret-other-site" not in text + html
    assert "https://analytics.example.com/dashboards/shop/" in html
    assert EmailReport.objects.get().last_period_end == dt.date(2026, 12, 1)


def test_report_recipients_are_checked(shop, site_admin):
    from dashboards.errors import QueryError

    with pytest.raises(QueryError):
        report_create(shop, site_admin, "not-an-address", "daily")
    with pytest.raises(QueryError):
        report_create(shop, site_admin, "a@example.com", "hourly")


@pytest.fixture
def staff(client, db):
    user = User.objects.create_superuser("root", "root@example.com", "a-Long-pass-123")
    client.force_login(user)
    return client


def test_the_setup_page_gives_snippet_pixel_and_amp(staff, shop, settings):
    settings.COLLECTOR_PUBLIC_URL = "https://collector.example.com"
    html = staff.get(f"/admin/dashboards/site/{shop.pk}/setup/?kind=struct&category=email&action=open"
                     "&label=%3Cb%3Enews%3C/b%3E").content.decode()
    assert "newTracker" in html and "https://collector.example.com" in html and settings.TRACKER_JS_URL in html
    assert "&quot;collectorHost&quot;: &quot;collector.example.com&quot;" in html and "snowplow_v2" in html
    assert "Waiting for the first event" in html and "<b>news</b>" not in html
    pixel = html.split('<pre id="pixel-url">')[1].split("</pre>")[0].replace("&amp;", "&")
    params = parse_qs(urlsplit(pixel).query)
    assert pixel.startswith("https://collector.example.com/i?")
    assert params["e"] == ["se"] and params["se_ca"] == ["email"] and params["se_ac"] == ["open"]
    assert params["aid"] == ["shop"] and params["se_la"] == ["<b>news</b>"]


def test_the_first_event_check_turns_green(staff, shop):
    url = f"/admin/dashboards/site/{shop.pk}/setup/first-event/"
    assert staff.get(url).json() == {"received": False}
    load(shop_events())
    assert staff.get(url).json() == {"received": True}
    assert "Receiving events" in staff.get(f"/admin/dashboards/site/{shop.pk}/setup/").content.decode()


def test_a_self_hosted_tracker_url_is_used(staff, shop):
    shop.tracker_js_url = "https://static.example.com/sp.js"
    shop.save()
    assert "https://static.example.com/sp.js" in staff.get(f"/admin/dashboards/site/{shop.pk}/setup/").content.decode()


def test_password_reset_mails_a_link(client, viewer, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": viewer.email})
    assert response.status_code == 302 and len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
