"""The warehouse's public interface: other apps call only these (STYLE 5).

The enrichment drain opens a transaction, skips payloads `loaded_payload_ids` reports, calls `batch_load` with
the events of the rest and all their payload ids, `raw_archive_record` with those payloads' bytes,
acknowledges the payloads, and commits. The operations screens replay with `replay_archive` and
`replay_bad_rows`, and carry out erasure requests with `person_delete`.
"""

from warehouse.archive import raw_archive_record
from warehouse.deletion import person_delete
from warehouse.loading import LoadableEvent, LoadResult, batch_load
from warehouse.manifest import loaded_payload_ids
from warehouse.replay import ReplayReport, replay_archive, replay_bad_rows

__all__ = [
    "LoadResult",
    "LoadableEvent",
    "ReplayReport",
    "batch_load",
    "loaded_payload_ids",
    "person_delete",
    "raw_archive_record",
    "replay_archive",
    "replay_bad_rows",
]
