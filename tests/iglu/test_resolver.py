"""Resolver ordering, caching of hits and misses, backoff and HTTP repositories (spec 4.3)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from iglu.errors import RegistryUnavailable, SchemaNotFound
from iglu.keys import parse_schema_key
from iglu.repositories import (
    CLASS_PRIORITY_EMBEDDED,
    CLASS_PRIORITY_HTTP,
    HttpRepository,
    LookupFailure,
    Repository,
)
from iglu.resolver import Resolver, retry_backoff_seconds
from iglu.resolver_config import ResolverConfigError, parse_resolver_config

KEY = parse_schema_key("iglu:com.acme/event/jsonschema/1-0-0")
SCHEMA = {"self": {"vendor": "com.acme", "name": "event", "format": "jsonschema", "version": "1-0-0"}, "type": "object"}


class FakeRepository(Repository):
    """Answers from a dict, or fails with a given kind; counts lookups."""

    def __init__(self, name, schemas=None, fail=None, priority=0, prefixes=(), class_priority=CLASS_PRIORITY_HTTP):
        super().__init__(name=name, priority=priority, vendor_prefixes=tuple(prefixes))
        self.class_priority = class_priority
        self.schemas = schemas or {}
        self.fail = fail
        self.calls = 0

    def lookup(self, key):
        self.calls += 1
        if self.fail:
            raise LookupFailure(self.fail, f"{self.name} is down" if self.fail != "NotFound" else None)
        if key.uri not in self.schemas:
            raise LookupFailure("NotFound")
        return self.schemas[key.uri]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def resolver(*repos, ttl=60, clock=None):
    return Resolver(repos, cache_size=10, cache_ttl=ttl, clock=clock or Clock(), sleep=lambda s: None)


def test_repositories_whose_vendor_prefix_matches_are_asked_first():
    central = FakeRepository("central", priority=0)
    acme = FakeRepository("acme", priority=5, prefixes=["com.acme"])
    assert [r.name for r in resolver(central, acme).ordered_repositories("com.acme")] == ["acme", "central"]


def test_local_repositories_come_before_http_then_lower_priority_first():
    http0 = FakeRepository("http0", priority=0)
    http1 = FakeRepository("http1", priority=1)
    embedded = FakeRepository("embedded", priority=9, class_priority=CLASS_PRIORITY_EMBEDDED)
    assert [r.name for r in resolver(http1, http0, embedded).ordered_repositories("com.x")] == [
        "embedded",
        "http0",
        "http1",
    ]


def test_the_first_repository_that_has_the_schema_wins_and_later_ones_are_not_asked():
    first = FakeRepository("first", {KEY.uri: SCHEMA}, priority=0)
    second = FakeRepository("second", {KEY.uri: {"other": True}}, priority=1)
    assert resolver(first, second).resolve(KEY).schema == SCHEMA
    assert second.calls == 0


def test_a_hit_is_cached_until_the_ttl_expires():
    clock = Clock()
    repo = FakeRepository("repo", {KEY.uri: SCHEMA})
    r = resolver(repo, ttl=60, clock=clock)
    r.resolve(KEY)
    clock.now += 59
    r.resolve(KEY)
    assert repo.calls == 1
    clock.now += 2
    r.resolve(KEY)
    assert repo.calls == 2


def test_a_miss_is_cached_so_not_found_repositories_are_not_asked_again_within_the_ttl():
    clock = Clock()
    repo = FakeRepository("repo")
    r = resolver(repo, ttl=60, clock=clock)
    for _ in range(3):
        with pytest.raises(SchemaNotFound):
            r.resolve(KEY)
    assert repo.calls == 1
    clock.now += 61
    repo.schemas[KEY.uri] = SCHEMA
    assert r.resolve(KEY).schema == SCHEMA


def test_a_failing_repository_makes_registry_unavailable_not_schema_not_found():
    down = FakeRepository("down", fail="RepoFailure")
    empty = FakeRepository("empty", priority=1)
    with pytest.raises(RegistryUnavailable) as caught:
        resolver(down, empty).resolve(KEY)
    history = {h.repository: h for h in caught.value.lookup_history}
    assert history["down"].errors[-1].kind == "RepoFailure"
    assert history["down"].attempts == 3  # one try and two retries (enrich's maxRetry 2)
    assert history["empty"].not_found


def test_a_failing_repository_is_asked_again_only_after_its_backoff():
    clock = Clock()
    down = FakeRepository("down", fail="RepoFailure")
    r = Resolver([down], cache_size=10, cache_ttl=600, max_retries=0, clock=clock, sleep=lambda s: None)
    with pytest.raises(RegistryUnavailable):
        r.resolve(KEY)
    with pytest.raises(RegistryUnavailable):
        r.resolve(KEY)
    assert down.calls == 1
    clock.now += retry_backoff_seconds(1)
    down.fail, down.schemas = None, {KEY.uri: SCHEMA}
    assert r.resolve(KEY).repository == "down"


def test_backoff_grows_as_500_ms_plus_4_to_the_attempts_ms_capped_at_60_s():
    assert retry_backoff_seconds(1) == pytest.approx(0.504)
    assert retry_backoff_seconds(3) == pytest.approx(0.564)
    assert retry_backoff_seconds(30) == 60.0


# The example of Snowplow's enrich (`config/iglu_resolver.json`, spec 4.3), as a user already has it.
SNOWPLOW_RESOLVER_FILE = {
    "schema": "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1",
    "data": {
        "cacheSize": 500,
        "repositories": [
            {
                "name": "Iglu Central",
                "priority": 0,
                "vendorPrefixes": ["com.snowplowanalytics"],
                "connection": {"http": {"uri": "http://iglucentral.com"}},
            },
            {
                "name": "Iglu Central - GCP Mirror",
                "priority": 1,
                "vendorPrefixes": ["com.snowplowanalytics"],
                "connection": {"http": {"uri": "http://mirror01.iglucentral.com"}},
            },
        ],
    },
}


def test_a_resolver_config_file_from_snowplow_is_accepted():
    config = SNOWPLOW_RESOLVER_FILE
    r = parse_resolver_config(json.dumps(config))
    assert [repo.name for repo in r.repositories] == [
        "Built-in schemas",
        "Database registry",
        "Iglu Central",
        "Iglu Central - GCP Mirror",
    ]
    assert r.cache_size == 500


def test_duplicate_repository_names_are_rejected():
    repo = {"name": "a", "priority": 0, "vendorPrefixes": [], "connection": {"embedded": {"path": "/x"}}}
    config = {"cacheSize": 5, "repositories": [repo, repo]}
    with pytest.raises(ResolverConfigError, match="twice"):
        parse_resolver_config(config)


def test_a_config_missing_cache_size_is_rejected_with_the_reason():
    with pytest.raises(ResolverConfigError, match="cacheSize"):
        parse_resolver_config({"repositories": []})


class _Registry(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("apikey")))
        if self.path == f"/schemas/{KEY.path}" and type(self).status == 200:
            body = json.dumps(SCHEMA).encode()
            self.send_response(200)
        else:
            body = b"{}"
            self.send_response(404 if type(self).status == 200 else type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def registry():
    handler = type("Handler", (_Registry,), {"seen": [], "status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_http_repository_fetches_the_static_registry_layout_with_the_apikey(registry):
    handler, uri = registry
    repo = HttpRepository(name="local", uri=uri, apikey="secret")
    assert repo.lookup(KEY) == SCHEMA
    assert handler.seen == [("/schemas/com.acme/event/jsonschema/1-0-0", "secret")]


def test_http_404_is_not_found_and_5xx_is_a_repository_failure(registry):
    handler, uri = registry
    repo = HttpRepository(name="local", uri=uri)
    with pytest.raises(LookupFailure) as caught:
        repo.lookup(parse_schema_key("iglu:com.acme/missing/jsonschema/1-0-0"))
    assert caught.value.kind == "NotFound"
    handler.status = 503
    with pytest.raises(LookupFailure) as caught:
        repo.lookup(KEY)
    assert caught.value.kind == "RepoFailure"
    handler.status = 403
    with pytest.raises(LookupFailure) as caught:
        repo.lookup(KEY)
    assert caught.value.kind == "ClientFailure"


def test_an_unreachable_http_registry_is_a_repository_failure():
    repo = HttpRepository(name="nowhere", uri="http://127.0.0.1:9")
    with pytest.raises(LookupFailure) as caught:
        repo.lookup(KEY)
    assert caught.value.kind == "RepoFailure"
