"""user_agent_utils_config: Snowplow's deprecated br_*/os_*/dvce_* producer, served by ua-parser here.

Existing Snowplow configurations that enable it keep their atomic fields; the values follow the mapping in
`ua_parser.py` (user-agent-utils itself is unmaintained and not available for Python). No context is added.
"""

from __future__ import annotations

from typing import Any

from enrichment.enrichments.ua_parser import UaParserConfig, UaParserEnrichment


class UserAgentUtilsEnrichment(UaParserEnrichment):
    name = "user_agent_utils_config"
    identifier = "user-agent-utils"
    criterion = "iglu:com.snowplowanalytics.snowplow/user_agent_utils_config/jsonschema/1-*-*"
    output_schemas = ()
    adds_context = False

    @classmethod
    def parse_config(cls, data: dict[str, Any]) -> UaParserConfig:
        return UaParserConfig(None)
