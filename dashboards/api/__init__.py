"""The REST API: the pages' numbers over HTTP, with the same query layer, filters and date ranges."""
