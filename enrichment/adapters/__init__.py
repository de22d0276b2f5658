"""Adapters turn a loaded CollectorPayload into raw events (tracker protocol here, vendors in webhooks/)."""
