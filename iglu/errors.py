"""Iglu failures, typed so that callers can tell "not found" (a bad row) from "unavailable" (retry later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class IgluError(Exception):
    """Base class of every error the Iglu app raises on purpose."""


class InvalidSchemaKey(IgluError, ValueError):
    """A string that should be an `iglu:` URI, SchemaVer or criterion is not one."""


class NotSelfDescribing(IgluError, ValueError):
    """A value that should be a self-describing JSON is not an object with exactly `schema` and `data`."""


class InvalidSchema(IgluError, ValueError):
    """A schema that is not valid JSON Schema, or whose `self` block is wrong; `issues` lists each problem."""

    def __init__(self, message: str, issues: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or [{"path": "$", "message": message}]


class PublicationRefused(IgluError, ValueError):
    """A schema version that breaks the SchemaVer publication rules (spec 4.2)."""


@dataclass
class RepoError:
    """One failed lookup in one repository, encoded like iglu-scala-client's RegistryError."""

    kind: str  # "NotFound" | "RepoFailure" | "ClientFailure"
    message: str | None = None

    def as_json(self) -> dict[str, Any]:
        if self.kind == "NotFound" or self.message is None:
            return {"error": self.kind}
        return {"error": self.kind, "message": self.message}


@dataclass
class LookupHistory:
    """What one repository answered to lookups of one schema (appears in ResolutionError bad rows)."""

    repository: str
    errors: list[RepoError] = field(default_factory=list)
    attempts: int = 0
    last_attempt: datetime | None = None
    last_attempt_clock: float | None = field(default=None, compare=False)  # monotonic, for the backoff

    @property
    def not_found(self) -> bool:
        """True when the last answer was a definite "not found" (nothing worth retrying)."""
        return bool(self.errors) and self.errors[-1].kind == "NotFound"

    def as_json(self) -> dict[str, Any]:
        last = None
        if self.last_attempt is not None:
            last = self.last_attempt.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        unique = []
        for error in self.errors:
            if error.as_json() not in unique:
                unique.append(error.as_json())
        return {"repository": self.repository, "errors": unique, "attempts": self.attempts, "lastAttempt": last}


class ResolutionFailed(IgluError):
    """No repository returned the schema; carries the lookup history of every repository tried."""

    def __init__(self, key: Any, lookup_history: list[LookupHistory]) -> None:
        self.key = key
        self.lookup_history = lookup_history
        super().__init__(self._describe())

    def _describe(self) -> str:
        tried = ", ".join(
            f"{h.repository}: {'/'.join(e.kind for e in h.errors) or 'skipped'}" for h in self.lookup_history
        )
        return f"{self.verb} {getattr(self.key, 'uri', self.key)} ({tried or 'no repository configured'})"

    verb = "Could not resolve"

    def lookup_history_json(self) -> list[dict[str, Any]]:
        return [history.as_json() for history in self.lookup_history]


class SchemaNotFound(ResolutionFailed):
    """Every repository answered "not found": the event becomes a schema_violations bad row."""

    verb = "Schema not found:"


class RegistryUnavailable(ResolutionFailed):
    """A repository failed in a way that is not "not found": leave the payload unacknowledged (DESIGN 9)."""

    verb = "Registry unavailable for"
