"""The parts of a recorded webhook request that adapters read: query, body, content type and headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from enrichment.raw import LoadedPayload

Pairs = list[tuple[str, str | None]]


def parse_pairs(text: str | None) -> Pairs:
    """Split `a=1&b&c=` into pairs in order: `+` is a space, `%XX` UTF-8, a key without `=` has value None.

    Unlike Apache's URLEncodedUtils (enrich), `;` is not a separator and a malformed escape or a raw space is
    kept as it is rather than failing the whole request: a value with a raw `;` (an SMTP diagnostic, say)
    keeps its data.
    """
    pairs: Pairs = []
    for part in (text or "").split("&"):
        name, equals, value = part.partition("=")
        if not name:
            continue
        decoded = unquote_plus(value, errors="replace") if equals else None
        pairs.append((unquote_plus(name, errors="replace"), decoded))
    return pairs


def last_values(pairs: Pairs) -> dict[str, str | None]:
    """A repeated key keeps its last value, as enrich's parameter maps do."""
    return dict(pairs)


def media_type(content_type: str | None) -> str | None:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    if content_type is None:
        return None
    return content_type.partition(";")[0].strip().lower()


@dataclass
class WebhookRequest:
    """One webhook call as the collector recorded it. An empty POST body counts as no body (spec 1.7)."""

    payload: LoadedPayload
    query_pairs: Pairs = field(init=False)
    query: dict[str, str | None] = field(init=False)
    body: str | None = field(init=False)
    content_type: str | None = field(init=False)
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        thrift = self.payload.thrift
        raw_query = thrift.querystring
        if isinstance(raw_query, bytes):
            raw_query = raw_query.decode("utf-8", "replace")
        self.query_pairs = parse_pairs(raw_query)
        self.query = last_values(self.query_pairs)
        self.body = self.payload.body or None
        self.content_type = thrift.contentType
        self.headers = header_map(self.payload.headers)

    @property
    def media_type(self) -> str | None:
        return media_type(self.content_type)

    @property
    def method(self) -> str:
        """POST when a body was recorded; the CollectorPayload does not keep the method itself."""
        return "POST" if self.payload.thrift.body is not None else "GET"


def header_map(lines: list[str]) -> dict[str, str]:
    """`Name: value` lines as a dict with lower-cased names; the first occurrence wins."""
    found: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() not in found:
            found[name.strip().lower()] = value.strip()
    return found
