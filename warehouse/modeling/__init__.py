"""Derived data models (page views, sessions, users, goals), rollups and realtime, built from atomic.events.

Other apps use `warehouse.modeling.api` only (STYLE 5)."""
