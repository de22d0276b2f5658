"""A small DEMO GeoIP2-City database covering exactly the demo's addresses, so geography shows on a fresh machine.

Records are laid out like MaxMind's GeoIP2-City (country, subdivisions, city, location, postal, continent), one per
demo /24 network, so any GeoIP2 City reader (`geoip2.database.Reader(path).city(ip)`) and the IP lookups
enrichment read it like the real thing. It is demo data: the cities are what the demo says, not what a real
database says about those networks. The database type and description say so, and so does the file name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from mmdb_writer import MMDBWriter
from netaddr import IPSet

from snowplow_site.demo.catalogue import LOCATIONS, Location

DEMO_GEOIP_FILENAME = "demo-geoip2-city.mmdb"
# Contains "City", which is what geoip2's Reader.city() checks; "Demo-" says this is not a MaxMind database.
DATABASE_TYPE = "Demo-GeoIP2-City"
DESCRIPTION = "DEMO data written by manage.py demo_traffic for its own synthetic visitors; not real geolocation."
ACCURACY_RADIUS_KM = 20


def demo_geoip_write(path: str | Path) -> Path:
    """Write the demo database to `path` (a directory gets DEMO_GEOIP_FILENAME inside) and return the file's path.

    The file is replaced atomically, so an enrichment reading the old one never sees half a database.
    """
    target = Path(path)
    if target.is_dir() or str(path).endswith(os.sep):
        target = target / DEMO_GEOIP_FILENAME
    target.parent.mkdir(parents=True, exist_ok=True)
    # An IPv6 tree with IPv4 mapped at ::/96, like MaxMind's City databases: IPv6 lookups then find nothing
    # instead of raising on an IPv4-only database.
    writer = MMDBWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type=DATABASE_TYPE,
        languages=["en"],
        description={"en": DESCRIPTION},
    )
    for location in LOCATIONS:
        writer.insert_network(IPSet([location.network]), geoip_record(location))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".demo-geoip-", suffix=".tmp")
    os.close(handle)
    try:
        writer.to_db_file(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def geoip_record(location: Location) -> dict[str, Any]:
    """Return the GeoIP2-City record for a demo location (English names only)."""
    country = {"iso_code": location.country_code, "names": {"en": location.country_name}}
    return {
        "city": {"names": {"en": location.city}},
        "continent": {"code": location.continent_code, "names": {"en": location.continent_name}},
        "country": country,
        "registered_country": country,
        "location": {
            "latitude": location.latitude,
            "longitude": location.longitude,
            "time_zone": location.time_zone,
            "accuracy_radius": ACCURACY_RADIUS_KM,
        },
        "postal": {"code": location.postal_code},
        "subdivisions": [{"iso_code": location.subdivision_code, "names": {"en": location.subdivision_name}}],
    }
