"""The warehouse's public interface: other apps call only these (STYLE 5).

The enrichment drain opens a transaction, skips payloads `loaded_payload_ids` reports, calls `batch_load` with
the events of the rest and all their payload ids, acknowledges the payloads, and commits.
"""

from warehouse.loading import LoadableEvent, LoadResult, batch_load
from warehouse.manifest import loaded_payload_ids

__all__ = ["LoadResult", "LoadableEvent", "batch_load", "loaded_payload_ids"]
