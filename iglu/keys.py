"""Schema keys, SchemaVer and schema criteria: the names by which Iglu addresses a schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from iglu.errors import InvalidSchemaKey

# The Snowplow SDK regex (spec 4.1): model starts at 1, no leading zeros in revision or addition.
_VERSION = r"[1-9][0-9]*(?:-(?:0|[1-9][0-9]*)){2}"
_URI = re.compile(r"^iglu:([a-zA-Z0-9\-_.]+)/([a-zA-Z0-9\-_]+)/([a-zA-Z0-9\-_]+)/(" + _VERSION + r")$")
_PATH = re.compile(r"^([a-zA-Z0-9\-_.]+)/([a-zA-Z0-9\-_]+)/([a-zA-Z0-9\-_]+)/(" + _VERSION + r")$")
_SCHEMAVER = re.compile(r"^" + _VERSION + r"$")
_CRITERION = re.compile(
    r"^iglu:([a-zA-Z0-9\-_.]+)/([a-zA-Z0-9\-_]+)/([a-zA-Z0-9\-_]+)/([1-9][0-9]*)-(\*|0|[1-9][0-9]*)-(\*|0|[1-9][0-9]*)$"
)


@total_ordering
@dataclass(frozen=True, slots=True)
class SchemaVer:
    """MODEL-REVISION-ADDITION, ordered numerically (1-0-10 comes after 1-0-9)."""

    model: int
    revision: int
    addition: int

    @classmethod
    def parse(cls, text: str) -> SchemaVer:
        """Parse `M-R-A`; raise InvalidSchemaKey for anything else (0-x-x, leading zeros, stars)."""
        if not isinstance(text, str) or not _SCHEMAVER.match(text):
            raise InvalidSchemaKey(f"{text!r} is not a SchemaVer: expected MODEL-REVISION-ADDITION like 1-0-0")
        model, revision, addition = (int(part) for part in text.split("-"))
        return cls(model, revision, addition)

    def __str__(self) -> str:
        return f"{self.model}-{self.revision}-{self.addition}"

    def __lt__(self, other: SchemaVer) -> bool:
        return (self.model, self.revision, self.addition) < (other.model, other.revision, other.addition)


@dataclass(frozen=True, slots=True)
class SchemaKey:
    """The address of one schema: `iglu:vendor/name/format/M-R-A`."""

    vendor: str
    name: str
    format: str
    version: str

    @property
    def uri(self) -> str:
        return f"iglu:{self.vendor}/{self.name}/{self.format}/{self.version}"

    @property
    def path(self) -> str:
        """The registry path `vendor/name/format/version` (static registries and the Iglu Server use it)."""
        return f"{self.vendor}/{self.name}/{self.format}/{self.version}"

    @property
    def schemaver(self) -> SchemaVer:
        return SchemaVer.parse(self.version)

    def with_version(self, version: str) -> SchemaKey:
        return SchemaKey(self.vendor, self.name, self.format, str(SchemaVer.parse(version)))

    def __str__(self) -> str:
        return self.uri


def parse_schema_key(uri: str) -> SchemaKey:
    """Parse an `iglu:` URI with the Snowplow SDK regex; raise InvalidSchemaKey naming what is wrong."""
    if isinstance(uri, SchemaKey):
        return uri
    if not isinstance(uri, str):
        raise InvalidSchemaKey(f"Schema key must be a string, got {type(uri).__name__}")
    match = _URI.match(uri)
    if match is None:
        raise InvalidSchemaKey(_explain_bad_uri(uri))
    return SchemaKey(*match.groups())


def parse_schema_path(path: str) -> SchemaKey:
    """Parse `vendor/name/format/M-R-A` (a registry path without the `iglu:` prefix)."""
    match = _PATH.match(path.strip("/"))
    if match is None:
        raise InvalidSchemaKey(f"{path!r} is not a schema path: expected vendor/name/format/M-R-A")
    return SchemaKey(*match.groups())


def _explain_bad_uri(uri: str) -> str:
    if not uri.startswith("iglu:"):
        return f"Schema key {uri!r} must start with 'iglu:' (iglu:vendor/name/format/M-R-A)"
    parts = uri[len("iglu:") :].split("/")
    if len(parts) != 4:
        return f"Schema key {uri!r} must have four parts: iglu:vendor/name/format/M-R-A"
    if not _SCHEMAVER.match(parts[3]):
        return f"Schema key {uri!r} has an invalid SchemaVer {parts[3]!r} (M-R-A, model from 1, no leading zeros)"
    return f"Schema key {uri!r} has invalid characters (vendor [a-zA-Z0-9-_.], name and format [a-zA-Z0-9-_])"


@dataclass(frozen=True, slots=True)
class SchemaCriterion:
    """A version pattern like `iglu:vendor/name/jsonschema/1-*-*` used in configurations."""

    vendor: str
    name: str
    format: str
    model: int
    revision: int | None
    addition: int | None

    @classmethod
    def parse(cls, text: str) -> SchemaCriterion:
        """Parse a criterion; `*` may stand for the revision and addition, never for the model."""
        match = _CRITERION.match(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidSchemaKey(
                f"{text!r} is not a schema criterion: expected iglu:vendor/name/format/M-R-A (R, A may be *)"
            )
        vendor, name, fmt, model, revision, addition = match.groups()
        if revision == "*" and addition != "*":
            raise InvalidSchemaKey(f"{text!r}: when the revision is * the addition must be * too")
        return cls(vendor, name, fmt, int(model), _star(revision), _star(addition))

    def matches(self, key: SchemaKey | str) -> bool:
        """True when the key names the same schema family and its version fits the pattern."""
        key = parse_schema_key(key) if isinstance(key, str) else key
        if (key.vendor, key.name, key.format) != (self.vendor, self.name, self.format):
            return False
        ver = key.schemaver
        return (
            ver.model == self.model
            and (self.revision is None or ver.revision == self.revision)
            and (self.addition is None or ver.addition == self.addition)
        )

    @property
    def uri(self) -> str:
        revision = "*" if self.revision is None else self.revision
        addition = "*" if self.addition is None else self.addition
        return f"iglu:{self.vendor}/{self.name}/{self.format}/{self.model}-{revision}-{addition}"

    def __str__(self) -> str:
        return self.uri


def _star(part: str) -> int | None:
    return None if part == "*" else int(part)
