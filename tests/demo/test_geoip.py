"""The demo GeoIP database reads back, with a GeoIP2 reader, the city the demo gives each of its addresses."""

from __future__ import annotations

import geoip2.database
import geoip2.errors
import pytest

from snowplow_site.demo.catalogue import LOCATIONS
from snowplow_site.demo.geoip import DEMO_GEOIP_FILENAME, demo_geoip_write
from snowplow_site.demo.visitors import traffic_plan


@pytest.fixture
def reader(tmp_path):
    path = demo_geoip_write(tmp_path)
    with geoip2.database.Reader(str(path)) as reader:
        yield reader


def test_a_directory_gets_the_demo_file_name(tmp_path):
    assert demo_geoip_write(tmp_path) == tmp_path / DEMO_GEOIP_FILENAME
    assert demo_geoip_write(tmp_path / "sub" / "geo.mmdb") == tmp_path / "sub" / "geo.mmdb"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_database_says_it_is_demo_data(reader):
    metadata = reader.metadata()
    assert "Demo" in metadata.database_type and "City" in metadata.database_type
    assert "DEMO" in metadata.description["en"]


def test_a_demo_address_reads_back_its_city(reader):
    city = reader.city("24.193.40.77")
    assert city.city.name == "New York"
    assert (city.country.iso_code, city.country.name) == ("US", "United States")
    assert (city.subdivisions.most_specific.iso_code, city.subdivisions.most_specific.name) == ("NY", "New York")
    assert (city.location.latitude, city.location.longitude) == (40.7128, -74.006)
    assert city.location.time_zone == "America/New_York"
    assert city.postal.code == "10001"
    assert str(city.traits.network) == "24.193.40.0/24"


def test_every_demo_location_reads_back(reader):
    for location in LOCATIONS:
        city = reader.city(location.address(200))
        assert (city.city.name, city.country.iso_code) == (location.city, location.country_code)
        assert city.location.time_zone == location.time_zone


def test_every_address_a_demo_run_uses_is_in_the_database(reader):
    plan = traffic_plan(days=7, visitors=300, seed=3)
    for ip in {visit.ip for visit in plan.visits}:
        assert reader.city(ip).country.iso_code


def test_addresses_outside_the_demo_are_not_found(reader):
    for ip in ("8.8.8.8", "24.193.41.1", "2001:4860:4860::8888"):
        with pytest.raises(geoip2.errors.AddressNotFoundError):
            reader.city(ip)
