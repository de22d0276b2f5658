"""Webhooks: vendor adapters for `/{vendor}/{version}` calls, their schemas, admin configuration and signatures."""
