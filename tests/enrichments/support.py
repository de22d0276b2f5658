"""Helpers for enrichment tests: events through chosen enrichments, MaxMind-format files, a loopback HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from enrichment.adapters.registry import get_adapter
from enrichment.config import build_steps
from enrichment.configuration import check_configuration
from enrichment.enrichments.registry import REGISTRY
from enrichment.pipeline import EnrichedEvent, enrich_event
from enrichment.raw import RawEvent, load_payload
from tests.enrichment.payloads import collector_payload

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
LONDON = {
    "city": {"names": {"en": "London"}}, "country": {"iso_code": "GB", "names": {"en": "United Kingdom"}},
    "location": {"latitude": 51.5142, "longitude": -0.0931, "time_zone": "Europe/London"},
    "postal": {"code": "EC2V"}, "subdivisions": [{"iso_code": "ENG", "names": {"en": "England"}}],
}


def configuration(name: str, version: str, parameters: dict[str, Any] | None, vendor: str | None = None,
                  enabled: bool = True, **top: Any) -> dict[str, Any]:
    """A Snowplow enrichment configuration JSON."""
    vendor = vendor or "com.snowplowanalytics.snowplow"
    data = {"vendor": vendor, "name": name, "enabled": enabled, **top}
    if parameters is not None:
        data["parameters"] = parameters
    return {"schema": f"iglu:{vendor}/{name}/jsonschema/{version}", "data": data}


def build(*documents: dict[str, Any]) -> list[tuple[str, Any]]:
    """Enrichment instances for configuration JSONs (checked exactly as the admin and workers check them)."""
    built = []
    for document in documents:
        parsed = check_configuration(document)
        built.append((parsed.enrichment_name, REGISTRY[parsed.enrichment_name](parsed.config, parsed.schema_key)))
    return built


def raw_event(query: dict[str, str] | None = None, **payload: Any) -> RawEvent:
    params = {"e": "pv", "p": "web", "tv": "js-4", "aid": "shop", "eid": "11111111-1111-4111-8111-111111111111"}
    params.update(query or {})
    loaded = load_payload(collector_payload("/i", params, **payload))
    return get_adapter(loaded.vendor, loaded.version).to_raw_events(loaded).events[0]


def enrich(documents: list[dict[str, Any]] | list[tuple[str, Any]], query: dict[str, str] | None = None,
           **payload: Any) -> Any:
    """Run one event through the built-in steps plus the given enrichments; return the pipeline's result."""
    built = documents if documents and isinstance(documents[0], tuple) else build(*documents)
    return enrich_event(raw_event(query, **payload), build_steps(built))


def good(result: Any) -> dict[str, Any]:
    assert isinstance(result, EnrichedEvent), getattr(result, "as_json", lambda: result)()
    return result.event


def contexts(event: dict[str, Any], schema_prefix: str) -> list[dict[str, Any]]:
    derived = (event.get("derived_contexts") or {}).get("data") or []
    return [item["data"] for item in derived if item["schema"].startswith(schema_prefix)]


def failure_messages(result: Any) -> list[dict[str, Any]]:
    document = result.as_json()
    assert document["schema"].split("/")[1] == "enrichment_failures", document["schema"]
    return document["data"]["failure"]["messages"]


def mmdb_write(path: Path, networks: dict[str, dict[str, Any]], database_type: str = "GeoIP2-City") -> Path:
    """Write a MaxMind-format database mapping each CIDR to its record (IPv6 tree with IPv4 mapped)."""
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type=database_type, languages=["en"],
                        description={"en": "test database"})
    for cidr, record in networks.items():
        writer.insert_network(IPSet([cidr]), record)
    writer.to_db_file(str(path))
    return path


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 answering with `handler(method, path, body) -> (status, bytes)`."""

    def __init__(self, handler: Callable[[str, str, bytes], tuple[int, bytes]]) -> None:
        self.requests: list[tuple[str, str, bytes, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append((self.command, self.path, body, dict(self.headers)))
                status, content = handler(self.command, self.path, body)
                self.send_response(status)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def json_answer(value: Any, status: int = 200) -> tuple[int, bytes]:
    return status, json.dumps(value).encode()
