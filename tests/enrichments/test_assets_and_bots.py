"""Asset downloads and GeoIP updates from a loopback server; IAB and bot detection with open data."""

from __future__ import annotations

import gzip
import io
import tarfile

import pytest

from enrichment.asset_updates import enrichment_assets_update, geoip_databases_update
from enrichment.configuration import enrichment_config_save
from enrichment.enrichments.assets import local_path
from enrichment.enrichments.base import Asset
from tests.enrichments.support import LONDON, configuration, contexts, enrich, good, mmdb_write

pytestmark = pytest.mark.django_db
SPE = "com.snowplowanalytics.snowplow.enrichments"
OPEN = "builtin://open-bot-data"


def test_remote_assets_download_when_missing_and_are_left_alone_while_fresh(loopback, settings, tmp_path):
    settings.ENRICHMENT_ASSETS_DIR = str(tmp_path / "assets")
    server = loopback(lambda method, path, body: (200, b'{"search": {"Acme": {"domains": ["acme.example"]}}}'))
    enrichment_config_save("referer_parser", configuration("referer_parser", "2-0-1", {
        "internalDomains": [], "database": "referers-latest.json", "uri": server.url + "/referer-parser/"}))
    report = enrichment_assets_update()
    assert server.requests[0][1] == "/referer-parser/referers-latest.json"
    path = local_path(Asset(server.url + "/referer-parser/", "referers-latest.json"))
    assert report.updated == [str(path)] and b"acme.example" in path.read_bytes()
    assert enrichment_assets_update().updated == []
    assert len(server.requests) == 1
    assert enrichment_assets_update(force=True).updated == [str(path)]


def test_geolite2_downloads_unpack_the_city_database_from_maxminds_tar_gz(loopback, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    city = mmdb_write(tmp_path / "source.mmdb", {"81.2.69.0/24": LONDON}).read_bytes()
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        info = tarfile.TarInfo("GeoLite2-City_20261201/GeoLite2-City.mmdb")
        info.size = len(city)
        tar.addfile(info, io.BytesIO(city))
    server = loopback(lambda method, path, body: (200, archive.getvalue()))
    (written,) = geoip_databases_update("maxmind", "KEY", base_url=server.url)
    assert written == tmp_path / "geoip" / "GeoLite2-City.mmdb" and written.read_bytes() == city
    assert "edition_id=GeoLite2-City&license_key=KEY&suffix=tar.gz" in server.requests[0][1]
    event = good(enrich([configuration("ip_lookups", "2-0-1", {"geo": {"database": "GeoLite2-City.mmdb",
                                                                       "uri": "var://geoip"}})],
                        {"ip": "81.2.69.1"}))
    assert event["geo_city"] == "London"


def test_dbip_lite_downloads_need_no_key_and_are_gunzipped(loopback, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    city = mmdb_write(tmp_path / "source.mmdb", {"81.2.69.0/24": LONDON}).read_bytes()
    server = loopback(lambda method, path, body: (200, gzip.compress(city)))
    (written,) = geoip_databases_update("dbip", base_url=server.url)
    assert written.read_bytes() == city
    assert server.requests[0][1].startswith("/free/dbip-city-lite-")


def test_maxmind_without_a_licence_key_is_refused():
    with pytest.raises(ValueError, match="licence key"):
        geoip_databases_update("maxmind", None, targets=[Asset("var://geoip", "GeoLite2-City.mmdb")])


IAB = configuration("iab_spiders_and_robots_enrichment", "1-0-1", {
    "ipFile": {"database": "ip_exclude_current_cidr.txt", "uri": OPEN},
    "excludeUseragentFile": {"database": "exclude_current.txt", "uri": OPEN},
    "includeUseragentFile": {"database": "include_current.txt", "uri": OPEN},
    "excludeUseragents": ["examplebot"]}, SPE)
BOTS = configuration("bot_detection_enrichment_config", "1-0-1", {
    "useYauaa": True, "useIab": True, "useAsnLookups": True, "useClientSideDetection": True}, SPE)


@pytest.mark.parametrize(("useragent", "expected"), [
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     {"spiderOrRobot": True, "category": "ACTIVE_SPIDER_OR_ROBOT", "reason": "FAILED_UA_EXCLUDE",
      "primaryImpact": "UNKNOWN"}),
    ("Mozilla/5.0 ExampleBot/1.0", {"spiderOrRobot": True, "category": "ACTIVE_SPIDER_OR_ROBOT",
                                    "reason": "FAILED_UA_EXCLUDE", "primaryImpact": "UNKNOWN"}),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0",
     {"spiderOrRobot": False, "category": "BROWSER", "reason": "PASSED_ALL", "primaryImpact": "NONE"}),
])
def test_iab_with_open_data_flags_crawler_user_agents(useragent, expected):
    event = good(enrich([IAB], userAgent=useragent))
    assert contexts(event, "iglu:com.iab.snowplow/spiders_and_robots/") == [expected]


def test_iab_lists_in_iabs_format_exclude_ips_and_user_agents(tmp_path):
    (tmp_path / "ip_exclude_current_cidr.txt").write_text("198.51.100.0/24\n")
    (tmp_path / "exclude_current.txt").write_text("spider|0|friendly spider|1\n")
    (tmp_path / "include_current.txt").write_text("mozilla|1\n")
    uri = f"file://{tmp_path}"
    config = configuration("iab_spiders_and_robots_enrichment", "1-0-1", {
        "ipFile": {"database": "ip_exclude_current_cidr.txt", "uri": uri},
        "excludeUseragentFile": {"database": "exclude_current.txt", "uri": uri},
        "includeUseragentFile": {"database": "include_current.txt", "uri": uri}}, SPE)

    def verdict(ua: str, ip: str) -> dict:
        return contexts(good(enrich([config], {"ip": ip}, userAgent=ua)), "iglu:com.iab.snowplow/")[0]

    assert verdict("Mozilla/5.0", "198.51.100.7")["reason"] == "FAILED_IP_EXCLUDE"
    assert verdict("curl/8.0", "203.0.113.1")["reason"] == "FAILED_UA_INCLUDE"
    assert verdict("Mozilla/5.0 spider", "203.0.113.1") == {
        "spiderOrRobot": True, "category": "INACTIVE_SPIDER_OR_ROBOT", "reason": "FAILED_UA_EXCLUDE",
        "primaryImpact": "AD_IMPRESSIONS"}
    assert verdict("Mozilla/5.0 friendly spider", "203.0.113.1")["reason"] == "PASSED_ALL"


def test_bot_detection_combines_iab_asn_and_client_side_indicators(tmp_path):
    mmdb_write(tmp_path / "GeoLite2-ASN.mmdb", {"3.0.0.0/15": {"autonomous_system_number": 16509,
                                                               "autonomous_system_organization": "AMAZON-02"}},
               "GeoLite2-ASN")
    ip = configuration("ip_lookups", "2-0-1", {"asn": {"database": "GeoLite2-ASN.mmdb", "uri": f"file://{tmp_path}"}})
    asn = configuration("asn_lookups", "1-0-0", {"botAsnsFile": {"database": "bot-asns.csv", "uri": OPEN}}, SPE)
    event = good(enrich([IAB, ip, asn, BOTS], {"ip": "3.0.0.1"},
                        userAgent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/asn/") == [
        {"number": 16509, "organization": "AMAZON-02", "likelyBot": True}]
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/bot_detection/") == [
        {"bot": True, "indicators": ["iab", "asnLookups"]}]
    human = good(enrich([IAB, ip, asn, BOTS], {"ip": "81.2.69.1"}))
    assert contexts(human, "iglu:com.snowplowanalytics.snowplow/bot_detection/") == [{"bot": False,
                                                                                      "indicators": []}]
