"""Synthetic demo traffic, sent through the running collector with the official Snowplow Python tracker.

The demo never writes to the database: every event travels the same road as a real tracker's (HTTP POST to
tp2, raw sink, enrichment, warehouse), so a demo run exercises and shows the whole product.
"""
