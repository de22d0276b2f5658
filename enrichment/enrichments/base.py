"""The contract every configurable enrichment follows: parse its configuration once, then enrich events.

An enrichment is one module with one `<Name>Enrichment` class registered in `registry.py` under its Snowplow
configuration schema name. The class parses the `data` of Snowplow's self-describing configuration JSON into a
frozen config (at admin save and at worker start, never per event), opens what it needs once per worker, and
enriches the `EnrichmentContext` of one event at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from enrichment.pipeline import EnrichmentContext, Step

logger = logging.getLogger(__name__)

# Limits of the enrichment_failures bad-row schema (2-0-1) on message strings.
MAX_ERROR_LENGTH = 512
MAX_EXPECTATION_LENGTH = 256
MAX_FIELD_LENGTH = 64


class ConfigInvalid(ValueError):
    """A configuration that cannot be used; `errors` holds one message per problem, each naming its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class EnrichmentFailure(Exception):
    """Raised by `enrich` when this event cannot be enriched; it becomes one enrichment_failures message."""

    def __init__(self, message: dict[str, Any]) -> None:
        super().__init__(message.get("error") or message.get("expectation"))
        self.message = message

    @classmethod
    def simple(cls, error: str) -> EnrichmentFailure:
        """Snowplow's `EnrichmentFailureMessage.Simple`."""
        return cls({"error": error[:MAX_ERROR_LENGTH]})

    @classmethod
    def input_data(cls, field: str, value: Any, expectation: str) -> EnrichmentFailure:
        """Snowplow's `EnrichmentFailureMessage.InputData`: which input was wrong and what was expected."""
        text = None if value is None else str(value)
        return cls({"field": field[:MAX_FIELD_LENGTH], "value": text,
                    "expectation": expectation[:MAX_EXPECTATION_LENGTH]})


@dataclass(frozen=True)
class Asset:
    """A file an enrichment reads, named like Snowplow's `{database, uri}` pairs (fetched from uri/database)."""

    uri: str
    database: str

    @classmethod
    def from_parameter(cls, value: dict[str, Any]) -> Asset:
        return cls(uri=value["uri"], database=value["database"])


class Enrichment:
    """Base class: subclasses set the class attributes and implement `parse_config` and `enrich`."""

    name: ClassVar[str]  # the configuration schema's name, the registry key
    identifier: ClassVar[str]  # Snowplow's identifier in failure messages (e.g. "ip-lookups")
    criterion: ClassVar[str]  # configuration schemas accepted, as an Iglu SchemaCriterion
    can_fail: ClassVar[bool] = False  # False: `enrich` never raises EnrichmentFailure (errors are logged)
    # Schemas of the derived contexts this enrichment may add (checked by the contract tests).
    output_schemas: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Any, schema_key: str) -> None:
        self.config = config
        self.schema_key = schema_key

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> Any:
        """Return the frozen config for the configuration JSON's `data`; raise ConfigInvalid naming each problem.

        The data has already been validated against its Iglu schema; this checks what a schema cannot
        (regexes compile, base64 decodes, scripts compile) and normalises defaults.
        """
        raise NotImplementedError

    @classmethod
    def assets_of(cls, config: Any) -> list[Asset]:
        """Return the files this configuration reads (refreshed by the asset-update task)."""
        return []

    def enrich(self, ctx: EnrichmentContext) -> None:
        """Enrich one event in place; raise EnrichmentFailure when it cannot (only if `can_fail`)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Re-open files that changed on disk since they were opened (called once per batch)."""

    def close(self) -> None:
        """Release processes, connections and files (the pipeline was rebuilt)."""

    def failure_source(self) -> dict[str, str]:
        return {"schemaKey": self.schema_key, "identifier": self.identifier}

    def as_step(self) -> Step:
        """Wrap `enrich` as a pipeline step: failures become messages, other errors are logged or recorded."""
        enrich, source, can_fail, name = self.enrich, self.failure_source(), self.can_fail, self.name

        def step(ctx: EnrichmentContext) -> None:
            try:
                enrich(ctx)
            except EnrichmentFailure as failure:
                ctx.enrichment_messages.append({"enrichment": source, "message": failure.message})
            except Exception as error:
                if can_fail:
                    logger.warning("Enrichment %s failed on event %s: %r", name, ctx.event.get("event_id"), error)
                    message = EnrichmentFailure.simple(f"Unexpected error in {name}: {error!r}").message
                    ctx.enrichment_messages.append({"enrichment": source, "message": message})
                else:
                    # Snowplow suppresses errors of the enrichments that cannot fail (snowplow#351): keep the event.
                    logger.exception("Enrichment %s raised on event %s; event kept unenriched",
                                     name, ctx.event.get("event_id"))

        step.__name__ = f"enrichment_{name}"
        return step


def sdj(schema: str, data: dict[str, Any]) -> dict[str, Any]:
    """A self-describing JSON, the shape of every derived context."""
    return {"schema": schema, "data": data}


def check(condition: bool, errors: list[str], message: str) -> None:
    """Collect `message` when `condition` does not hold (configuration parsing collects every error)."""
    if not condition:
        errors.append(message)
