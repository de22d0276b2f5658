"""The enrichment run: an ordered list of small named steps in three phases (enrichment spec 2.3).

Phase 1 maps and validates input (errors: schema_violations), phase 2 runs enrichments (errors:
enrichment_failures; every step still runs), phase 3 validates the enriched event (schema_violations).
Each step takes the context and records failures on it; none raises on input.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from enrichment import selfdescribing
from enrichment.badrows import BadRowData, iso_timestamp
from enrichment.conversions import ConversionError, decode_base64url, to_millis
from enrichment.events import FIELDS, STRING, Event
from enrichment.fingerprint import event_fingerprint
from enrichment.mapping import transform
from enrichment.raw import RawEvent
from enrichment.uri import UriError, split_url
from enrichment.writers import partially_enriched

ATOMIC_SCHEMA = "iglu:com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0"
SNOWPLOW_VENDOR = "com.snowplowanalytics.snowplow"
_IP_SPLIT = re.compile(r"[,| ]")
_FORWARDED_FOR = re.compile(r'for="?\[?([0-9a-fA-F:.]+)\]?"?', re.IGNORECASE)


@dataclass
class EnrichmentContext:
    raw: RawEvent
    event: Event = field(default_factory=dict)
    input_messages: list[dict[str, Any]] = field(default_factory=list)
    enrichment_messages: list[dict[str, Any]] = field(default_factory=list)
    output_messages: list[dict[str, Any]] = field(default_factory=list)
    derived_contexts: list[dict[str, Any]] = field(default_factory=list)
    dropped: bool = False
    dedupe_fingerprint: str | None = None  # set by the fingerprint enrichment when its hash is the same one


@dataclass
class EnrichedEvent:
    """A good event with the fingerprint used for de-duplication and the raw event it came from."""

    event: Event
    fingerprint: str
    raw: RawEvent | None = None


Step = Callable[[EnrichmentContext], None]


# --- phase 1 -------------------------------------------------------------------------------------
def initialise(ctx: EnrichmentContext) -> None:
    payload = ctx.raw.payload.thrift
    ctx.event.update(
        event_id=None,  # the tracker's `eid`, else a new UUID: filled in by transform_parameters
        v_collector=payload.collector,
        v_etl=_v_etl(),
        etl_tstamp=_now_millis(),
        collector_tstamp=payload.timestamp,
        network_userid=payload.networkUserId,
        user_ipaddress=client_ip(payload.headers or (), payload.ipAddress),
        useragent=_clean_useragent(payload.userAgent),
    )


def transform_parameters(ctx: EnrichmentContext) -> None:
    errors = transform(ctx.raw.parameters, ctx.event)
    if ctx.event.get("event_id") is None:  # no valid `eid`: generated only now, so a tracker's id costs nothing
        ctx.event["event_id"] = str(uuid.uuid4())
    if errors:
        ctx.input_messages.append({
            "schemaKey": ATOMIC_SCHEMA,
            "error": {"error": "ValidationError", "dataReports": [
                {"message": error.message, "path": error.field, "keyword": "atomic_field_parse_error",
                 "targets": [error.field]} for error in errors
            ]},
        })


def validate_self_describing(ctx: EnrichmentContext) -> None:
    """Contexts and the unstruct event must be valid against their schemas; invalid ones are dropped."""
    contexts_text = ctx.event.pop("contexts", None)
    if contexts_text is not None:
        checked = selfdescribing.check_contexts(contexts_text)
        ctx.input_messages.extend(checked.messages)
        ctx.event["contexts"] = selfdescribing.contexts_envelope(checked.valid)
    unstruct_text = ctx.event.pop("unstruct_event", None)
    if unstruct_text is not None:
        checked = selfdescribing.check_unstruct(unstruct_text)
        ctx.input_messages.extend(checked.messages)
        ctx.event["unstruct_event"] = selfdescribing.unstruct_envelope(checked.valid[0] if checked.valid else None)


# --- phase 2 -------------------------------------------------------------------------------------
def require_collector_version(ctx: EnrichmentContext) -> None:
    if not ctx.event.get("v_collector"):
        ctx.enrichment_messages.append(_enrichment_message(None, {"field": "v_collector", "value": None,
                                                                  "expectation": "should be set"}))


def page_uri(ctx: EnrichmentContext) -> None:
    """The tracker's `url` wins; otherwise the collector's Referer header is the page (snowplow#268)."""
    url = ctx.event.get("page_url") or ctx.raw.payload.thrift.refererUri
    if not url:
        return
    try:
        parts = split_url(url)
    except UriError as error:
        ctx.enrichment_messages.append(_enrichment_message(None, {"error": str(error)}))
        return
    ctx.event.update(page_url=url, page_urlscheme=parts.scheme, page_urlhost=parts.host, page_urlport=parts.port,
                     page_urlpath=parts.path, page_urlquery=parts.query, page_urlfragment=parts.fragment)


def derived_timestamp(ctx: EnrichmentContext) -> None:
    """`ttm` if set; else collector time corrected by the device clock offset; else collector time."""
    event = ctx.event
    if event.get("true_tstamp") is not None:
        event["derived_tstamp"] = event["true_tstamp"]
        return
    created, sent = event.get("dvce_created_tstamp"), event.get("dvce_sent_tstamp")
    collector = event["collector_tstamp"]
    if created is not None and sent is not None and created < sent:
        event["derived_tstamp"] = collector - (sent - created)
    else:
        event["derived_tstamp"] = collector


def referer_uri(ctx: EnrichmentContext) -> None:
    referrer = ctx.event.get("page_referrer")
    if not referrer:
        return
    try:
        parts = split_url(referrer)
    except UriError as error:
        ctx.enrichment_messages.append(_enrichment_message(None, {"error": str(error)}))
        return
    ctx.event.update(refr_urlscheme=parts.scheme, refr_urlhost=parts.host, refr_urlport=parts.port,
                     refr_urlpath=parts.path, refr_urlquery=parts.query, refr_urlfragment=parts.fragment)


def cross_domain(ctx: EnrichmentContext) -> None:
    """Always parse `_sp` (domainUserId.timestampMs...) from the page querystring, as enrich does."""
    query = ctx.event.get("page_urlquery")
    if not query or "_sp=" not in query:
        return
    from enrichment.raw import parse_querystring

    value = dict(parse_querystring(query)).get("_sp")
    if not value:
        return
    parts = value.split(".")
    ctx.event["refr_domain_userid"] = parts[0] or None
    if len(parts) > 1 and parts[1]:
        try:
            ctx.event["refr_dvce_tstamp"] = to_millis(parts[1])
        except ConversionError as error:
            ctx.enrichment_messages.append(_enrichment_message(
                {"schemaKey": "iglu:com.snowplowanalytics.snowplow.enrichments/cross_navigation_config/"
                              "jsonschema/1-0-0", "identifier": "cross-navigation"},
                {"field": "sp_dtm", "value": parts[1], "expectation": str(error)}))
    for index in (3, 4, 6):
        if len(parts) > index and parts[index]:
            try:
                decode_base64url(parts[index])
            except ConversionError:
                ctx.enrichment_messages.append(_enrichment_message(None, {
                    "field": "_sp", "value": value, "expectation": "base64 parts must decode"}))


SCHEMA_FIELDS = {
    "page_view": (SNOWPLOW_VENDOR, "page_view"),
    "page_ping": (SNOWPLOW_VENDOR, "page_ping"),
    "transaction": (SNOWPLOW_VENDOR, "transaction"),
    "transaction_item": (SNOWPLOW_VENDOR, "transaction_item"),
    "struct": ("com.google.analytics", "event"),
}


def schema_fields(ctx: EnrichmentContext) -> None:
    """event_vendor, event_name, event_format and event_version from the event type or unstruct schema."""
    event_type = ctx.event.get("event")
    if event_type == "unstruct":
        unstruct = ctx.event.get("unstruct_event")
        if unstruct:
            vendor_name, version = unstruct["data"]["schema"].removeprefix("iglu:").rsplit("/", 1)
            vendor, name, fmt = vendor_name.split("/")
            ctx.event.update(event_vendor=vendor, event_name=name, event_format=fmt, event_version=version)
        return
    if event_type in SCHEMA_FIELDS:
        vendor, name = SCHEMA_FIELDS[event_type]
        ctx.event.update(event_vendor=vendor, event_name=name, event_format="jsonschema", event_version="1-0-0")
        return
    ctx.enrichment_messages.append(_enrichment_message(None, {
        "field": "event", "value": event_type,
        "expectation": "event type must be one of page_view, page_ping, struct, transaction, "
                       "transaction_item, unstruct",
    }))


# --- phase 3 -------------------------------------------------------------------------------------
_STRING_LIMITS = {f.name: f.max_length for f in FIELDS if f.kind == STRING and f.max_length is not None}


def atomic_lengths(ctx: EnrichmentContext) -> None:
    event = ctx.event
    limits = _STRING_LIMITS
    for name in limits.keys() & event.keys():  # a quick pass; the reports below keep the event's field order
        value = event[name]
        if value is not None and len(value) > limits[name]:
            break
    else:
        return
    reports = []
    for name, value in event.items():
        limit = _STRING_LIMITS.get(name)
        if limit is not None and value is not None and len(value) > limit:
            reports.append({"message": f"Field is longer than maximum allowed size {limit}",
                            "path": name, "keyword": "atomic_field_length_exceeded", "targets": [name]})
    if reports:
        ctx.output_messages.append({"schemaKey": ATOMIC_SCHEMA,
                                    "error": {"error": "ValidationError", "dataReports": reports}})


def attach_derived_contexts(ctx: EnrichmentContext) -> None:
    """Validate what enrichments added, as enrich does: invalid derived contexts are dropped and reported."""
    valid = []
    for context in ctx.derived_contexts:
        messages = selfdescribing.validation_messages(context)
        ctx.output_messages.extend(messages)
        if not messages:
            valid.append(context)
    if valid:
        ctx.event["derived_contexts"] = selfdescribing.contexts_envelope(valid)


PHASE_1: list[tuple[str, Step]] = [
    ("initialise", initialise),
    ("transform", transform_parameters),
    ("self_describing", validate_self_describing),
]
BUILTIN_PHASE_2: list[tuple[str, Step]] = [
    ("collector_version", require_collector_version),
    ("page_uri", page_uri),
    ("derived_tstamp", derived_timestamp),
    ("referer_uri", referer_uri),
    ("cross_domain", cross_domain),
    ("schema_fields", schema_fields),
]
PHASE_3: list[tuple[str, Step]] = [
    ("attach_derived_contexts", attach_derived_contexts),
    ("atomic_lengths", atomic_lengths),
]


def enrich_event(raw: RawEvent, phase_2: list[tuple[str, Step]] | None = None) -> EnrichedEvent | BadRowData | None:
    """Run every step; return the good event, its bad row, or None when an enrichment dropped it."""
    ctx = EnrichmentContext(raw)
    for _, step in PHASE_1:
        step(ctx)
    if not ctx.input_messages:
        for _, step in phase_2 if phase_2 is not None else BUILTIN_PHASE_2:
            step(ctx)
            if ctx.dropped:
                return None
        if not ctx.enrichment_messages:
            for _, step in PHASE_3:
                step(ctx)
    if ctx.input_messages:
        return _bad_row(ctx, "schema_violations", ctx.input_messages)
    if ctx.enrichment_messages:
        return _bad_row(ctx, "enrichment_failures", ctx.enrichment_messages)
    if ctx.output_messages:
        return _bad_row(ctx, "schema_violations", ctx.output_messages)
    return EnrichedEvent(ctx.event, ctx.dedupe_fingerprint or event_fingerprint(raw.parameters), raw)


def _bad_row(ctx: EnrichmentContext, badrow_type: str, messages: list[dict[str, Any]]) -> BadRowData:
    return BadRowData(
        type=badrow_type,
        failure={"timestamp": iso_timestamp(), "messages": messages},
        payload={"enriched": partially_enriched(ctx.event), "raw": ctx.raw.as_badrow_raw()},
        original=ctx.raw.original(),
        app_id=ctx.raw.parameters.get("aid", "") or "",
    )


def _enrichment_message(enrichment: dict[str, str] | None, message: dict[str, Any]) -> dict[str, Any]:
    return {"enrichment": enrichment, "message": message}


def client_ip(headers: list[str], fallback: str | None) -> str | None:
    """First X-Forwarded-For address, else a Forwarded `for=`, else the collector's IP (spec 2.1 step 4)."""
    forwarded = None
    for header in headers:
        initial = header[:1]
        if initial.isalpha() and initial not in "xXfF":  # Host, User-Agent, Cookie...: not worth splitting
            continue
        name, _, value = header.partition(":")
        lowered = name.strip().lower()
        if lowered == "x-forwarded-for" and value.strip():
            return _first_ip(value)
        if lowered == "forwarded" and forwarded is None:
            match = _FORWARDED_FOR.search(value)
            forwarded = match.group(1) if match else None
    if forwarded:
        return forwarded
    return _first_ip(fallback) if fallback else None


@functools.lru_cache(maxsize=4096)
def _first_ip(value: str) -> str | None:
    token = _IP_SPLIT.split(value.strip())[0].strip().strip("[]")
    return token or None


def _clean_useragent(useragent: str | None) -> str | None:
    if not useragent:
        return None
    return useragent.replace("\t", "    ").replace("\n", "").replace("\r", "")


_PROCESSOR: list[str] = []  # the v_etl value, built from the settings once


def _v_etl() -> str:
    if not _PROCESSOR:
        _PROCESSOR.append(f"{settings.ENRICH_PROCESSOR_ARTIFACT}-{settings.ENRICH_PROCESSOR_VERSION}")
    return _PROCESSOR[0]


@receiver(setting_changed)
def _processor_setting_changed(setting: str, **kwargs: Any) -> None:
    if setting in {"ENRICH_PROCESSOR_ARTIFACT", "ENRICH_PROCESSOR_VERSION"}:
        _PROCESSOR.clear()


def _now_millis() -> int:
    return int(time.time() * 1000)
