"""A loader process for the concurrency and crash tests: `python -m tests.warehouse.worker MODE EVENTS_JSON`.

It does what the enrichment drain does: in one transaction, skip payloads already loaded, load the rest,
commit. MODE `load` commits; `hang` prints LOADED once the batch is written, then waits inside the open
transaction to be killed. With WAREHOUSE_TEST_BARRIER set, it waits for that file before loading.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(mode: str, events_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")
    import django

    django.setup()
    from django.db import transaction

    from warehouse.api import LoadableEvent, batch_load, loaded_payload_ids

    batch = json.loads(Path(events_path).read_text())
    barrier = os.environ.get("WAREHOUSE_TEST_BARRIER")
    while barrier and not Path(barrier).exists():
        time.sleep(0.005)
    with transaction.atomic():
        payload_ids = [pid for pid in batch["payload_ids"] if pid not in loaded_payload_ids(batch["payload_ids"])]
        events = [LoadableEvent(e, fp) for e, fp, pid in batch["events"] if pid in payload_ids]
        result = batch_load(events, payload_ids)
        print(json.dumps({"loaded": result.events_loaded, "skipped": result.duplicates_skipped}), flush=True)
        if mode == "hang":
            print("LOADED", flush=True)
            time.sleep(600)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
