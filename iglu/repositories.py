"""Where schemas come from: the built-in files, the database registry, and remote HTTP registries.

Each repository answers a lookup with the schema JSON or raises LookupFailure with the kind Snowplow's
client records: NotFound (a definite no), RepoFailure (the registry is down: retry later) or ClientFailure
(the request or the answer was unusable).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iglu.keys import SchemaKey, parse_schema_path

logger = logging.getLogger(__name__)

BUILTIN_SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
HTTP_TIMEOUT_SECONDS = 4.0  # iglu-scala-client's request timeout

# Class priorities of iglu-scala-client: local repositories are asked before remote ones.
CLASS_PRIORITY_EMBEDDED = 1
CLASS_PRIORITY_DATABASE = 2
CLASS_PRIORITY_HTTP = 100


class LookupFailure(Exception):
    """A repository could not return a schema; `kind` is NotFound, RepoFailure or ClientFailure."""

    def __init__(self, kind: str, message: str | None = None) -> None:
        super().__init__(message or kind)
        self.kind = kind
        self.message = message


@dataclass
class Repository:
    """Base contract: `lookup(key)` returns the schema dict or raises LookupFailure."""

    name: str
    priority: int = 0
    vendor_prefixes: tuple[str, ...] = ()
    class_priority: int = field(default=CLASS_PRIORITY_HTTP, init=False)

    def lookup(self, key: SchemaKey) -> dict[str, Any]:
        raise NotImplementedError

    def list_versions(self, vendor: str, name: str, model: int) -> list[SchemaKey]:
        """Return the keys of one schema family's model, oldest first (used for SchemaCriterion lookups)."""
        raise NotImplementedError

    def matches_vendor(self, vendor: str) -> bool:
        return any(vendor.startswith(prefix) for prefix in self.vendor_prefixes)

    def order_key(self, vendor: str) -> tuple[bool, int, float]:
        """Sort key of iglu-scala-client: prefix-matching first, then local before remote, then priority."""
        return (not self.matches_vendor(vendor), self.class_priority, self.priority)


@dataclass
class EmbeddedRepository(Repository):
    """Schemas stored as files `<root>/<vendor>/<name>/<format>/<M-R-A>` (Iglu Central's layout)."""

    root: Path = BUILTIN_SCHEMAS_DIR

    def __post_init__(self) -> None:
        self.class_priority = CLASS_PRIORITY_EMBEDDED
        if (self.root / "schemas").is_dir():
            self.root = self.root / "schemas"

    def lookup(self, key: SchemaKey) -> dict[str, Any]:
        path = self.root / key.vendor / key.name / key.format / key.version
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise LookupFailure("NotFound") from None
        except OSError as error:
            raise LookupFailure("RepoFailure", f"Cannot read {path}: {error}") from error
        try:
            return json.loads(text)
        except ValueError as error:
            raise LookupFailure("ClientFailure", f"{path} is not valid JSON: {error}") from error

    def list_versions(self, vendor: str, name: str, model: int) -> list[SchemaKey]:
        keys = []
        for path in sorted((self.root / vendor / name).glob("*/*")):
            try:
                key = parse_schema_path(f"{vendor}/{name}/{path.parent.name}/{path.name}")
            except ValueError:
                continue
            if key.schemaver.model == model:
                keys.append(key)
        return sorted(keys, key=lambda k: k.schemaver)

    def all_keys(self) -> list[SchemaKey]:
        """Every schema file under the root, in vendor/name/version order."""
        keys = []
        for path in self.root.glob("*/*/*/*"):
            try:
                keys.append(parse_schema_path(str(path.relative_to(self.root))))
            except ValueError:
                logger.warning("Ignoring %s: not named vendor/name/format/M-R-A", path)
        return sorted(keys, key=lambda k: (k.vendor, k.name, k.format, k.schemaver))


@dataclass
class DatabaseRepository(Repository):
    """The registry managed in the admin and through the Iglu Server API (the `iglu.Schema` table)."""

    def __post_init__(self) -> None:
        self.class_priority = CLASS_PRIORITY_DATABASE

    def lookup(self, key: SchemaKey) -> dict[str, Any]:
        from iglu.models import Schema

        try:
            row = Schema.objects.only("schema").get(
                vendor=key.vendor, name=key.name, format=key.format, version=key.version
            )
        except Schema.DoesNotExist:
            raise LookupFailure("NotFound") from None
        except Exception as error:  # a database outage must not look like "not found"
            logger.warning("Database registry failed looking up %s: %s", key.uri, error)
            raise LookupFailure("RepoFailure", f"Database registry error: {error}") from error
        return row.schema

    def list_versions(self, vendor: str, name: str, model: int) -> list[SchemaKey]:
        from iglu.models import Schema

        rows = Schema.objects.filter(vendor=vendor, name=name, model=model).order_by("revision", "addition")
        return [SchemaKey(r.vendor, r.name, r.format, r.version) for r in rows]


@dataclass
class HttpRepository(Repository):
    """A static registry (Iglu Central layout) or an Iglu Server (`uri` ending in `/api`), with optional apikey."""

    uri: str = ""
    apikey: str | None = None

    def __post_init__(self) -> None:
        self.class_priority = CLASS_PRIORITY_HTTP
        self.uri = self.uri.rstrip("/")

    def lookup(self, key: SchemaKey) -> dict[str, Any]:
        body = self._get(f"{self.uri}/schemas/{key.path}")
        if not isinstance(body, dict):
            raise LookupFailure("ClientFailure", f"{key.uri}: the registry answered JSON that is not an object")
        return body

    def list_versions(self, vendor: str, name: str, model: int) -> list[SchemaKey]:
        body = self._get(f"{self.uri}/schemas/{vendor}/{name}/jsonschema/{model}")
        if not isinstance(body, list):
            raise LookupFailure("ClientFailure", "the registry answered a schema list that is not a JSON array")
        keys = [parse_schema_path(uri.removeprefix("iglu:")) for uri in body if isinstance(uri, str)]
        return sorted(keys, key=lambda k: k.schemaver)

    def _get(self, url: str) -> Any:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        if self.apikey:
            request.add_header("apikey", self.apikey)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise _http_failure(error.code, url) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise LookupFailure("RepoFailure", f"{url}: {getattr(error, 'reason', error)}") from error
        try:
            return json.loads(payload)
        except ValueError as error:
            raise LookupFailure("ClientFailure", f"{url}: the answer is not JSON ({error})") from error


def _http_failure(status: int, url: str) -> LookupFailure:
    """Map an HTTP status as the http4s lookup does: 404 NotFound, 5xx RepoFailure, other 4xx ClientFailure."""
    if status == 404:
        return LookupFailure("NotFound")
    if status >= 500:
        return LookupFailure("RepoFailure", f"Unexpected server response: {status} from {url}")
    return LookupFailure("ClientFailure", f"Unexpected response: {status} from {url}")


@dataclass
class BuiltinRepository(EmbeddedRepository):
    """The schemas shipped in `iglu/schemas/`: the product's own contracts, always asked first."""

    name: str = "Built-in schemas"

    def order_key(self, vendor: str) -> tuple[bool, int, float]:
        return (False, 0, float("-inf"))
