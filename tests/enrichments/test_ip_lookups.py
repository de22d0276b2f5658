"""IP lookups against MaxMind-format databases these tests write with mmdb-writer."""

from __future__ import annotations

import os
import time

import pytest

from enrichment.config import Pipeline
from enrichment.enrichments.ip_lookups import normalise_ip
from tests.enrichments.support import LONDON, build, configuration, contexts, enrich, good, mmdb_write

pytestmark = pytest.mark.django_db
PARIS = {"city": {"names": {"en": "Paris"}}, "country": {"iso_code": "FR"},
         "location": {"latitude": 48.8566, "longitude": 2.3522, "time_zone": "Europe/Paris"},
         "subdivisions": [{"iso_code": "IDF", "names": {"en": "Ile-de-France"}},
                          {"iso_code": "75", "names": {"en": "Paris"}}]}


def ip_lookups(directory, **databases) -> dict:
    return configuration("ip_lookups", "2-0-1", {
        kind: {"database": name, "uri": f"file://{directory}"} for kind, name in databases.items()})


def test_the_city_database_fills_the_geo_fields(tmp_path):
    mmdb_write(tmp_path / "GeoIP2-City.mmdb", {"81.2.69.0/24": LONDON})
    event = good(enrich([ip_lookups(tmp_path, geo="GeoIP2-City.mmdb")], {"ip": "81.2.69.142"}))
    assert {key: event.get(key) for key in ("geo_country", "geo_region", "geo_region_name", "geo_city",
                                            "geo_zipcode", "geo_latitude", "geo_longitude", "geo_timezone")} == {
        "geo_country": "GB", "geo_region": "ENG", "geo_region_name": "England", "geo_city": "London",
        "geo_zipcode": "EC2V", "geo_latitude": 51.5142, "geo_longitude": -0.0931, "geo_timezone": "Europe/London"}


def test_the_region_is_the_most_specific_subdivision(tmp_path):
    mmdb_write(tmp_path / "GeoIP2-City.mmdb", {"2.2.2.0/24": PARIS})
    event = good(enrich([ip_lookups(tmp_path, geo="GeoIP2-City.mmdb")], {"ip": "2.2.2.2"}))
    assert (event["geo_region"], event["geo_region_name"]) == ("75", "Paris")


def test_isp_domain_connection_type_and_asn_databases_fill_their_fields_and_the_asn_context(tmp_path):
    mmdb_write(tmp_path / "GeoIP2-ISP.mmdb", {"81.2.69.0/24": {"isp": "Andrews & Arnold", "organization": "AAISP"}},
               "GeoIP2-ISP")
    mmdb_write(tmp_path / "GeoIP2-Domain.mmdb", {"81.2.69.0/24": {"domain": "aa.net.uk"}}, "GeoIP2-Domain")
    mmdb_write(tmp_path / "GeoIP2-Connection-Type.mmdb", {"81.2.69.0/24": {"connection_type": "Cable/DSL"}},
               "GeoIP2-Connection-Type")
    mmdb_write(tmp_path / "GeoLite2-ASN.mmdb", {"81.2.69.0/24": {
        "autonomous_system_number": 20712, "autonomous_system_organization": "Andrews & Arnold Ltd"}}, "GeoLite2-ASN")
    event = good(enrich([ip_lookups(tmp_path, isp="GeoIP2-ISP.mmdb", domain="GeoIP2-Domain.mmdb",
                                    connectionType="GeoIP2-Connection-Type.mmdb", asn="GeoLite2-ASN.mmdb")],
                        {"ip": "81.2.69.160"}))
    assert (event["ip_isp"], event["ip_organization"], event["ip_domain"], event["ip_netspeed"]) == (
        "Andrews & Arnold", "AAISP", "aa.net.uk", "Cable/DSL")
    assert contexts(event, "iglu:com.snowplowanalytics.snowplow/asn/") == [
        {"number": 20712, "organization": "Andrews & Arnold Ltd"}]


@pytest.mark.parametrize(("raw", "address"), [
    ("81.2.69.142:8080", "81.2.69.142"), ("[2001:db8::1]:443", "2001:db8::1"), ("2001:db8::1", "2001:db8::1"),
    (" 81.2.69.142 ", "81.2.69.142"), ("not an ip", None), ("", None),
])
def test_ports_and_brackets_are_stripped_before_the_lookup(raw, address):
    assert normalise_ip(raw) == address


def test_an_address_outside_every_network_or_unparsable_leaves_the_fields_empty_and_never_fails(tmp_path):
    mmdb_write(tmp_path / "GeoIP2-City.mmdb", {"81.2.69.0/24": LONDON})
    for ip in ("10.0.0.1", "2001:db8::1", "garbage"):
        event = good(enrich([ip_lookups(tmp_path, geo="GeoIP2-City.mmdb")], {"ip": ip}))
        assert event.get("geo_country") is None


def test_a_replaced_database_file_is_reopened_without_a_restart(tmp_path, monkeypatch):
    path = mmdb_write(tmp_path / "GeoIP2-City.mmdb", {"81.2.69.0/24": LONDON})
    built = build(ip_lookups(tmp_path, geo="GeoIP2-City.mmdb"))
    assert good(enrich(built, {"ip": "81.2.69.1"}))["geo_city"] == "London"
    replacement = mmdb_write(tmp_path / "new.mmdb", {"81.2.69.0/24": PARIS})
    os.replace(replacement, path)
    pipeline = Pipeline(1, built, [])
    monkeypatch.setattr(time, "monotonic", lambda: 10_000.0)
    pipeline.refresh()
    assert good(enrich(built, {"ip": "81.2.69.1"}))["geo_city"] == "Paris"


def test_a_missing_city_database_falls_back_to_the_geoip_setting_then_the_demo_database(tmp_path, settings):
    demo_dir = tmp_path / "var"
    demo_dir.mkdir()
    settings.VAR_DIR = demo_dir
    settings.GEOIP_CITY_DATABASE = ""
    mmdb_write(demo_dir / "demo-geoip2-city.mmdb", {"81.2.69.0/24": PARIS})
    config = configuration("ip_lookups", "2-0-1", {"geo": {"database": "GeoLite2-City.mmdb", "uri": "var://geoip"}})
    assert good(enrich([config], {"ip": "81.2.69.1"}))["geo_city"] == "Paris"
    settings.GEOIP_CITY_DATABASE = str(mmdb_write(tmp_path / "setting.mmdb", {"81.2.69.0/24": LONDON}))
    assert good(enrich([config], {"ip": "81.2.69.1"}))["geo_city"] == "London"
    (demo_dir / "geoip").mkdir()
    mmdb_write(demo_dir / "geoip" / "GeoLite2-City.mmdb", {"81.2.69.0/24": {"city": {"names": {"en": "Leeds"}}}})
    assert good(enrich([config], {"ip": "81.2.69.1"}))["geo_city"] == "Leeds"


def test_maxminds_own_test_database_gives_its_documented_values(settings):
    path = "/work/shared/data/maxmind/GeoIP2-City-Test.mmdb"
    if not os.path.exists(path):
        pytest.skip("MaxMind's test databases are not on this machine")
    config = configuration("ip_lookups", "2-0-1", {"geo": {"database": "GeoIP2-City.mmdb",
                                                           "uri": "file:///work/shared/data/maxmind"}})
    settings.GEOIP_CITY_DATABASE = path
    event = good(enrich([config], {"ip": "81.2.69.142"}))
    assert (event["geo_country"], event["geo_city"], event["geo_region"]) == ("GB", "London", "ENG")
