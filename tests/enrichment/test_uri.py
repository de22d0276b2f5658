"""URL splitting of page and referrer URLs, raw components and default ports (enrichment spec 2.4 step 2)."""

import pytest

from enrichment.uri import UriError, split_url


def test_components_are_raw_and_ports_default_by_scheme():
    parts = split_url("https://www.Example.com/a%20b/c?x=1&y=%C3%A9#top")
    assert (parts.scheme, parts.host, parts.port) == ("https", "www.example.com", 443)
    assert (parts.path, parts.query, parts.fragment) == ("/a%20b/c", "x=1&y=%C3%A9", "top")
    assert split_url("http://example.com").port == 80
    assert split_url("http://example.com:8080/").port == 8080


def test_spaces_are_encoded_before_parsing():
    assert split_url("https://example.com/a b?q=c d").path == "/a%20b"


def test_missing_parts_are_null():
    parts = split_url("https://example.com")
    assert (parts.path, parts.query, parts.fragment) == (None, None, None)


@pytest.mark.parametrize("bad", ["http://[::1", "https://example.com:port/", "http:///path-only"])
def test_unparsable_urls_raise(bad):
    with pytest.raises(UriError):
        split_url(bad)
