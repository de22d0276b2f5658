"""The bad-row browser's admin pages: parse the request, call one selector or service, render."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware
from django.views.decorators.http import require_POST

from enrichment.models import BadRow
from operations.badrow_selectors import (
    BadRowFilters,
    failure_messages,
    list_badrow_groups,
    list_badrow_types,
    list_badrows,
)
from operations.jsonpatch import PatchError
from operations.models import RecoveryRule
from operations.payload_documents import PayloadDocumentError, payload_document
from operations.recovery import badrows_replay, badrows_status_set, recovery_preview

FILTER_NAMES = ("type", "site", "since", "until", "schema", "text", "status")
ROWS_PAGE = 100


def filters_from_query(query: QueryDict) -> BadRowFilters:
    return BadRowFilters(
        type=query.get("type", "").strip(), site=query.get("site", "").strip(),
        since=_moment(query.get("since", "")), until=_moment(query.get("until", "")),
        schema=query.get("schema", "").strip(), text=query.get("text", "").strip(),
        status=query.get("status", "").strip(), signature=query.get("signature", "").strip(),
    )


def _moment(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    value = parse_datetime(text)
    if value is None and parse_date(text):
        value = datetime.combine(parse_date(text), datetime.min.time())
    if value is not None and value.tzinfo is None:
        value = make_aware(value)
    return value


def _filter_query(query: QueryDict) -> str:
    return urlencode({name: query[name] for name in (*FILTER_NAMES, "signature") if query.get(name)})


def selection(query: QueryDict) -> Any:
    """The rows an action applies to: the filters, narrowed to the ticked signatures when there are any."""
    rows = list_badrows(filters_from_query(query))
    signatures = [s for s in query.getlist("signatures") if s]
    return rows.filter(failure_signature__in=signatures) if signatures else rows


def groups(request: HttpRequest, context: dict) -> HttpResponse:
    from dashboards.models import Site

    filters = filters_from_query(request.GET)
    context.update({
        "groups": list_badrow_groups(filters), "filters": filters, "types": list_badrow_types(),
        "sites": Site.objects.order_by("name").values_list("slug", "name"), "statuses": BadRow.Status.values,
        "filter_query": _filter_query(request.GET),
    })
    return TemplateResponse(request, "operations/badrow_groups.html", context)


def rows(request: HttpRequest, context: dict) -> HttpResponse:
    filters = filters_from_query(request.GET)
    page = list(list_badrows(filters).order_by("-first_seen", "-id")
                .only("id", "type", "app_id", "first_seen", "status", "data")[:ROWS_PAGE])
    context.update({
        "rows": [(row, (failure_messages(row.data) or [""])[0][:200]) for row in page], "filters": filters,
        "filter_query": _filter_query(request.GET),
    })
    return TemplateResponse(request, "operations/badrow_rows.html", context)


def inspect(request: HttpRequest, row_id: int, context: dict) -> HttpResponse:
    row = BadRow.objects.filter(pk=row_id).first()
    if row is None:
        raise Http404("No such bad row.")
    document, error = None, ""
    if row.payload is not None:
        try:
            document = payload_document(bytes(row.payload))
        except PayloadDocumentError as problem:
            error = str(problem)
    context.update({
        "row": row, "messages_list": failure_messages(row.data), "badrow_json": _pretty(row.data),
        "payload_json": _pretty(document) if document is not None else "", "payload_error": error,
        "payload_size": len(bytes(row.payload)) if row.payload is not None else 0,
    })
    return TemplateResponse(request, "operations/badrow_inspect.html", context)


@require_POST
def act(request: HttpRequest) -> HttpResponse:
    """Replay as-is, or set a status, on the selection."""
    action, rows = request.POST.get("action", ""), selection(request.POST)
    if action == "replay":
        result = badrows_replay(rows)
        messages.success(request, f"Replayed {result.replayed} bad rows: {result.recovered} recovered, "
                         f"{result.events_loaded} events loaded."
                         + (f" {result.unreplayable} have no original payload." if result.unreplayable else ""))
    elif action in {"ignored", "new"}:
        messages.success(request, f"Marked {badrows_status_set(rows, action)} bad rows {action}.")
    else:
        messages.error(request, "Choose an action.")
    return HttpResponseRedirect(reverse("admin:operations_badrowgroup_changelist") + "?" + _filter_query(request.POST))


def recover(request: HttpRequest, context: dict) -> HttpResponse:
    """GET: choose a rule and preview it on a sample; POST with run=1: apply it to the whole selection."""
    query = request.POST if request.method == "POST" else request.GET
    rows = selection(query)
    patch, patch_text, error = _patch_from(query)
    preview = []
    if patch is not None and not error:
        try:
            if request.method == "POST" and query.get("run"):
                result = badrows_replay(rows, patch)
                messages.success(request, f"Replayed {result.replayed} bad rows with the rule: {result.recovered} "
                                 f"recovered, {result.events_loaded} events loaded; {len(result.errors)} could not "
                                 "be patched.")
                return HttpResponseRedirect(reverse("admin:operations_badrowgroup_changelist") + "?"
                                            + _filter_query(query))
            preview = recovery_preview(rows, patch)
        except PatchError as problem:
            error = str(problem)
    context.update({
        "rules": RecoveryRule.objects.all(), "patch_text": patch_text, "error": error, "preview": [
            (item, _pretty(item.before), _pretty(item.after)) for item in preview],
        "count": rows.filter(status=BadRow.Status.NEW).count(), "hidden": _hidden_fields(query),
        "rule_id": query.get("rule", ""),
    })
    return TemplateResponse(request, "operations/badrow_recover.html", context)


def _patch_from(query: QueryDict) -> tuple[list | None, str, str]:
    """The patch from a chosen rule or from the pasted JSON; (None, text, '') when there is neither."""
    text = query.get("patch", "").strip()
    if query.get("rule") and not text:
        rule = RecoveryRule.objects.filter(pk=query["rule"]).first()
        if rule is None:
            return None, "", "No such recovery rule."
        return rule.patch, json.dumps(rule.patch, indent=2), ""
    if not text:
        return None, "", ""
    try:
        return json.loads(text), text, ""
    except ValueError as problem:
        return None, text, f"The rule is not valid JSON: {problem}"


def _hidden_fields(query: QueryDict) -> list[tuple[str, str]]:
    fields = [(name, query[name]) for name in (*FILTER_NAMES, "signature") if query.get(name)]
    return fields + [("signatures", s) for s in query.getlist("signatures") if s]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) if value is not None else ""
