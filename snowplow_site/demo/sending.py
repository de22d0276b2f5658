"""Send a traffic plan through the collector over HTTP with the official Snowplow Python tracker (1.x).

Each visit gets its own tracker Subject (platform web, duid, sid, vid, ip, ua, screen, viewport, language,
timezone), and every event carries its true timestamp (`ttm`), so `derived_tstamp` falls on the planned day.
Events go out as POSTs to /com.snowplowanalytics.snowplow/tp2 in batches, as the tracker's Emitter makes them.

Ecommerce: snowplow-tracker 1.x keeps only a deprecated `track_ecommerce_transaction` helper (it warns on every
call), so a transaction is sent as the tracker protocol's own `tr` event plus one `ti` event per item, built on the
package's public generic `Event` class with the same parameters that helper sets (tr_id, tr_tt, ..., ti_sku, ...).
Link clicks and site searches are SelfDescribing events with Snowplow's link_click 1-0-1 and site_search 1-0-0.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from snowplow_tracker import (
    Emitter,
    Event,
    PagePing,
    PageView,
    SelfDescribing,
    SelfDescribingJson,
    StructuredEvent,
    Subject,
    Tracker,
)

from snowplow_site.demo.journeys import PageVisit, PlannedEvent
from snowplow_site.demo.visitors import TrafficPlan, Visit

logger = logging.getLogger(__name__)

WEB_PAGE_SCHEMA = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
LINK_CLICK_SCHEMA = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
SITE_SEARCH_SCHEMA = "iglu:com.snowplowanalytics.snowplow/site_search/jsonschema/1-0-0"
TRACKER_NAMESPACE = "demo"
REQUEST_TIMEOUT_SECONDS = 10.0
# While the collector refuses requests the emitter keeps events and retries with backoff; past this many batches
# in its buffer the sender stops generating and waits, so a failing collector never piles up a huge retry POST.
BACKLOG_BATCHES = 10
DRAIN_TIMEOUT_SECONDS = 30.0


class CollectorRefused(Exception):
    """The collector refused requests long enough that sending more is pointless."""


@dataclass
class SendReport:
    """What was tracked (by event kind) and what the collector did with it."""

    tracked: Counter[str] = field(default_factory=Counter)
    delivered_events: int = 0
    accepted_requests: int = 0
    refused_requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    aborted: str | None = None

    @property
    def undelivered_events(self) -> int:
        return self.tracked.total() - self.delivered_events

    @property
    def ok(self) -> bool:
        return not self.refused_requests and not self.undelivered_events and not self.aborted


def check_collector_url(url: str) -> str:
    """Return the collector's base URL (scheme, host, port), or raise ValueError saying what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{url!r} is not an http:// or https:// URL with a host")
    if parts.path.rstrip("/") or parts.query:
        raise ValueError(f"{url!r} has a path; give the collector's base URL, such as http://127.0.0.1:8000")
    return f"{parts.scheme}://{parts.netloc}"


def traffic_send(
    plan: TrafficPlan,
    collector_url: str,
    *,
    app_id: str,
    batch_size: int,
    on_progress: Callable[[int], Any] | None = None,
) -> SendReport:
    """Send every visit of the plan to the collector and return what happened; stop early if it refuses."""
    sender = TrackerSender(collector_url, app_id=app_id, batch_size=batch_size)
    try:
        for visit in plan.visits:
            sender.visit_send(visit)
            if on_progress:
                on_progress(len(visit.events))
    except CollectorRefused as error:
        sender.report.aborted = str(error)
    return sender.close(drain_timeout=0 if sender.report.aborted else DRAIN_TIMEOUT_SECONDS)


class TrackerSender:
    """One tracker and one batching POST emitter, counting what the collector accepts and refuses."""

    def __init__(self, collector_url: str, *, app_id: str, batch_size: int) -> None:
        # The tracker logs every request at INFO; a demo run makes hundreds.
        logging.getLogger("snowplow_tracker.emitters").setLevel(logging.WARNING)
        self.report = SendReport()
        self.session = requests.Session()
        self.session.hooks["response"].append(self._record_status)
        self.emitter = Emitter(
            collector_url,
            method="post",
            batch_size=batch_size,
            on_success=self._on_success,
            on_failure=self._on_failure,
            request_timeout=REQUEST_TIMEOUT_SECONDS,
            session=self.session,
        )
        self.tracker = Tracker(TRACKER_NAMESPACE, emitters=self.emitter, app_id=app_id)
        self.backlog_limit = BACKLOG_BATCHES * batch_size

    def visit_send(self, visit: Visit) -> None:
        """Track every event of the visit with the visit's subject; raise CollectorRefused if sending is hopeless."""
        self.tracker.set_subject(visit_subject(visit))
        for planned in visit.events:
            self.tracker.track(tracker_event(planned))
            self.report.tracked[planned.kind] += 1
        if self.report.refused_requests and not self.report.accepted_requests:
            raise CollectorRefused(f"the collector refused the first request ({self._status_text()})")
        if self.emitter.event_store.size() >= self.backlog_limit and not self._drain(DRAIN_TIMEOUT_SECONDS):
            raise CollectorRefused(
                f"the collector kept refusing requests for {DRAIN_TIMEOUT_SECONDS:.0f} s ({self._status_text()})"
            )

    def close(self, drain_timeout: float) -> SendReport:
        """Flush what is left (waiting at most `drain_timeout` seconds for retries), stop the timers, report."""
        self._drain(drain_timeout)
        self.emitter.retry_timer.cancel()
        self.emitter.cancel_flush_timer()
        self.session.close()
        return self.report

    def _drain(self, timeout: float) -> bool:
        """Flush until the emitter's buffer is empty; while a retry is scheduled, let its timer send. True if empty."""
        deadline = time.monotonic() + timeout
        while self.emitter.event_store.size():
            if not self.emitter.retry_timer.is_active():
                self.emitter.flush()
            if not self.emitter.event_store.size() or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        return not self.emitter.event_store.size()

    def _on_success(self, events: list[Mapping[str, str]]) -> None:
        self.report.accepted_requests += 1
        self.report.delivered_events += len(events)

    def _on_failure(self, sent: int, unsent: list[Mapping[str, str]]) -> None:
        self.report.refused_requests += 1
        logger.warning("collector refused a request of %d events (%s)", len(unsent), self._status_text())

    def _record_status(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.report.statuses[response.status_code] += 1

    def _status_text(self) -> str:
        refused = {code: n for code, n in self.report.statuses.items() if not 200 <= code < 300}
        unanswered = self.report.refused_requests - sum(refused.values())
        parts = [f"HTTP {code} x{n}" for code, n in sorted(refused.items())]
        if unanswered > 0:
            parts.append(f"no answer x{unanswered}")
        return ", ".join(parts) or "no detail"


def visit_subject(visit: Visit) -> Subject:
    """Return the tracker Subject a browser would report for this visit."""
    visitor = visit.visitor
    subject = (
        Subject()
        .set_platform("web")
        .set_domain_user_id(visitor.domain_userid)
        .set_domain_session_id(visit.session_id)
        .set_domain_session_index(visit.session_index)
        .set_ip_address(visit.ip)
        .set_useragent(visitor.browser.user_agent)
        .set_screen_resolution(*visitor.screen)
        .set_viewport(*visitor.viewport)
        .set_color_depth(24)
        .set_timezone(visitor.location.time_zone)
        .set_lang(visitor.language)
    )
    if visitor.user_id:
        subject.set_user_id(visitor.user_id)
    return subject


def tracker_event(planned: PlannedEvent) -> Event:
    """Return the snowplow_tracker event for a planned event, with its web_page context and true timestamp."""
    context = [SelfDescribingJson(WEB_PAGE_SCHEMA, {"id": planned.page.view_id})]
    event = _BUILDERS[planned.kind](planned.fields, planned.page, context, planned.at_ms)
    if not isinstance(event, PageView | PagePing):
        # A browser tracker sends the page's URL, title and referrer with every event, not only page views.
        _page_fields_add(event, planned.page)
    return event


def _page_fields_add(event: Event, page: PageVisit) -> None:
    event.payload.add("url", page.url)
    event.payload.add("page", page.title)
    event.payload.add("refr", page.referrer)


def _page_view(fields: Mapping[str, Any], page: PageVisit, context: list[SelfDescribingJson], at: int) -> Event:
    return PageView(
        page_url=page.url, page_title=page.title, referrer=page.referrer, context=context, true_timestamp=at
    )


def _page_ping(fields: Mapping[str, Any], page: PageVisit, context: list[SelfDescribingJson], at: int) -> Event:
    return PagePing(
        page_url=page.url, page_title=page.title, referrer=page.referrer, context=context, true_timestamp=at, **fields
    )


def _self_describing(schema: str) -> Callable[..., Event]:
    def build(fields: Mapping[str, Any], page: PageVisit, context: list[SelfDescribingJson], at: int) -> Event:
        return SelfDescribing(SelfDescribingJson(schema, dict(fields)), context=context, true_timestamp=at)

    return build


def _struct(fields: Mapping[str, Any], page: PageVisit, context: list[SelfDescribingJson], at: int) -> Event:
    return StructuredEvent(context=context, true_timestamp=at, **fields)


def _protocol_event(code: str) -> Callable[..., Event]:
    """A legacy tracker-protocol event (`tr`, `ti`) whose fields are already protocol parameters."""

    def build(fields: Mapping[str, Any], page: PageVisit, context: list[SelfDescribingJson], at: int) -> Event:
        event = Event(context=context, true_timestamp=at)
        event.payload.add("e", code)
        for name, value in fields.items():
            event.payload.add(name, value)
        return event

    return build


_BUILDERS: dict[str, Callable[..., Event]] = {
    "page_view": _page_view,
    "page_ping": _page_ping,
    "link_click": _self_describing(LINK_CLICK_SCHEMA),
    "site_search": _self_describing(SITE_SEARCH_SCHEMA),
    "struct": _struct,
    "transaction": _protocol_event("tr"),
    "transaction_item": _protocol_event("ti"),
}
