"""Alert delivery by e-mail (Django's SMTP backend) and by a JSON webhook."""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from operations.models import AlertIncident, AlertSettings

logger = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_SECONDS = 10


def incident_notify(incident: AlertIncident, alert_settings: AlertSettings) -> str:
    """Send the incident to each configured channel that does not have it yet; return the errors ('' if none).

    A channel that succeeded is stamped on the incident, so a retry after another channel failed does not
    send it twice.
    """
    errors = []
    if alert_settings.recipients and incident.email_sent_at is None:
        errors.append(_send_email(incident, alert_settings.recipients) or _stamp(incident, "email_sent_at"))
    if alert_settings.webhook_url and incident.webhook_sent_at is None:
        errors.append(_send_webhook(incident, alert_settings.webhook_url) or _stamp(incident, "webhook_sent_at"))
    return "; ".join(error for error in errors if error)


def _stamp(incident: AlertIncident, field: str) -> str:
    now = timezone.now()
    setattr(incident, field, now)
    AlertIncident.objects.filter(pk=incident.pk).update(**{field: now})
    return ""


def incident_document(incident: AlertIncident) -> dict:
    return {
        "id": incident.pk,
        "kind": incident.kind,
        "title": incident.get_kind_display(),
        "key": incident.key,
        "summary": incident.summary,
        "opened_at": incident.opened_at.isoformat(),
        "source": settings.COLLECTOR_NAME,
    }


def _send_email(incident: AlertIncident, recipients: list[str]) -> str:
    subject = f"[Snowplow Django] {incident.get_kind_display()}"
    body = f"{incident.summary}\n\nOpened at {incident.opened_at:%Y-%m-%d %H:%M:%S} UTC.\n"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("alert e-mail for incident %s failed: %s", incident.pk, error)
        return f"e-mail: {error}"
    return ""


def _send_webhook(incident: AlertIncident, url: str) -> str:
    request = urllib.request.Request(url, data=json.dumps(incident_document(incident)).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        logger.warning("alert webhook for incident %s failed: %s", incident.pk, error)
        return f"webhook: {error}"
    return ""
