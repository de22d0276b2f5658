"""The phase-2 pipeline a worker runs: built-in steps and enabled enrichments in Snowplow's order (spec 2.4).

Workers call `get_pipeline(version)` once per batch with the configuration version the drain read for it (one
query per batch, shared with the Iglu cache watcher; called without one it reads it itself), rebuilds the
enrichments when it moved, and otherwise lets them re-open files that were replaced on disk. The order is
enrich 6.10.0's, except that IP lookups (and ASN lookups, which mark their context) run before weather, which
needs the coordinates they set.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from enrichment.enrichments.base import Enrichment
from enrichment.pipeline import BUILTIN_PHASE_2, Step

logger = logging.getLogger(__name__)

BUILTIN = "builtin:"
ORDER: tuple[str, ...] = (
    "builtin:collector_version",
    "builtin:page_uri",
    "builtin:derived_tstamp",
    "iab_spiders_and_robots_enrichment",
    "user_agent_utils_config",
    "ua_parser_config",
    "currency_conversion_config",
    "builtin:referer_uri",
    "referer_parser",
    "campaign_attribution",
    "builtin:cross_domain",
    "cross_navigation_config",
    "event_fingerprint_config",
    "cookie_extractor_config",
    "http_header_extractor_config",
    "ip_lookups",  # enrich runs these after schema_fields; here before weather (spec 2.4)
    "asn_lookups",
    "weather_enrichment_config",
    "builtin:schema_fields",
    "bot_detection_enrichment_config",
    "javascript_script_config",
    "sql_query_enrichment_config",
    "api_request_enrichment_config",
    "builtin:site_privacy",  # privacy app: per-site settings, with the whole address, before anon_ip masks it
    "anon_ip",
    "pii_enrichment_config",
)
REFRESH_INTERVAL_SECONDS = 5.0


@dataclass
class Pipeline:
    """Built enrichments and the ordered phase-2 steps that run them."""

    version: int | None = None
    enrichments: list[tuple[str, Enrichment]] = field(default_factory=list)
    steps: list[tuple[str, Step]] = field(default_factory=list)
    refreshed_at: float = 0.0

    def refresh(self) -> None:
        """Let enrichments re-open replaced files, at most every REFRESH_INTERVAL_SECONDS."""
        now = time.monotonic()
        if now - self.refreshed_at < REFRESH_INTERVAL_SECONDS:
            return
        self.refreshed_at = now
        for name, enrichment in self.enrichments:
            try:
                enrichment.refresh()
            except Exception:  # a bad new file must not stop the batch: keep the old data, say why
                logger.exception("Refreshing enrichment %s failed", name)

    def close(self) -> None:
        for name, enrichment in self.enrichments:
            try:
                enrichment.close()
            except Exception:
                logger.exception("Closing enrichment %s failed", name)


def build_steps(enrichments: list[tuple[str, Enrichment]]) -> list[tuple[str, Step]]:
    """Interleave enrichments with the built-in steps in ORDER; repeatable ones keep their given order."""
    from privacy.api import site_privacy_step

    builtin = {**dict(BUILTIN_PHASE_2), "site_privacy": site_privacy_step}
    by_name: dict[str, list[Enrichment]] = {}
    for name, enrichment in enrichments:
        by_name.setdefault(name, []).append(enrichment)
    steps: list[tuple[str, Step]] = []
    for entry in ORDER:
        if entry.startswith(BUILTIN):
            step_name = entry.removeprefix(BUILTIN)
            steps.append((step_name, builtin[step_name]))
        else:
            steps.extend((entry, enrichment.as_step()) for enrichment in by_name.get(entry, []))
    return steps


def build_enrichments() -> list[tuple[str, Enrichment]]:
    """Instantiate the enabled configurations; the first of a non-repeatable kind wins (others are logged)."""
    from enrichment.configuration import enrichment_defaults_ensure, is_repeatable, list_enabled_configurations
    from enrichment.enrichments.registry import get_enrichment_class

    enrichment_defaults_ensure()
    built: list[tuple[str, Enrichment]] = []
    for row, parsed in list_enabled_configurations():
        name = parsed.enrichment_name
        if not is_repeatable(name) and any(existing == name for existing, _ in built):
            logger.warning("Enrichment %s is configured more than once; %s is ignored", name, row.name)
            continue
        cls = get_enrichment_class(name)
        assert cls is not None  # check_configuration guarantees it
        try:
            built.append((name, cls(parsed.config, parsed.schema_key)))
        except Exception:  # e.g. a database file that cannot be read: run without it rather than stop
            logger.exception("Enrichment %s (%s) could not start and is skipped", name, row.name)
    return built


_current = Pipeline()


def get_pipeline(version: int | None = None) -> list[tuple[str, Step]]:
    """Phase-2 steps in order for this batch, rebuilt when the configuration version moved.

    `version` is the configuration version the caller already read for this batch (read here when not given).
    """
    global _current
    from enrichment.versioning import config_version_get

    if version is None:
        version = config_version_get()
    if version != _current.version:
        old = _current
        enrichments = build_enrichments()
        _current = Pipeline(version, enrichments, build_steps(enrichments), time.monotonic())
        old.close()
        logger.info("Enrichment pipeline built for configuration version %s: %s", version,
                    ", ".join(name for name, _ in enrichments) or "built-in steps only")
    else:
        _current.refresh()
    return _current.steps


def reset_pipeline() -> None:
    """Forget the built pipeline (tests, and processes that fork after building one)."""
    global _current
    _current.close()
    _current = Pipeline()
