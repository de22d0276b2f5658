"""One module per webhook vendor; each defines one `<Vendor>Adapter` registered in `webhooks.registry`."""
