"""Validations per second per core: our cached Iglu validators against a reused jsonschema Draft-4 validator.

Same schemas, same instances, same process. Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/snowplow python bench/bench_iglu.py [seconds-per-case]

The built-in schemas resolve without touching the database; DATABASE_URL only keeps settings from starting
the embedded PostgreSQL.

"ours" is iglu.api.validate_instance on the self-describing JSON (URI lookup included): a valid instance is
accepted by the predicate iglu.fastpath generated for the schema; an invalid one then goes through jsonschema for
the full list of data reports (path, keyword, message), which is why invalid instances are not faster.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")

import django

django.setup()

import jsonschema  # noqa: E402
from jsonschema import Draft4Validator, FormatChecker  # noqa: E402

from iglu.api import resolve_schema, validate_instance  # noqa: E402

WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"
CASES = [
    ("web_page valid", WEB_PAGE, {"id": "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1"}),
    ("web_page invalid", WEB_PAGE, {"id": "not-a-uuid", "extra": 1}),
    (
        "link_click valid",
        LINK_CLICK,
        {
            "targetUrl": "https://example.com/pricing?plan=pro",
            "elementId": "cta",
            "elementClasses": ["btn", "btn-primary"],
            "elementTarget": "_blank",
            "elementContent": "See pricing",
        },
    ),
    ("link_click invalid", LINK_CLICK, {"elementId": 5, "elementClasses": ["btn", 3], "targetUrl": ""}),
]


def rate(call: Callable[[], object], seconds: float) -> float:
    """Calls per second over roughly `seconds` of wall time (single thread, so per core)."""
    count, batch, start = 0, 200, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(batch):
            call()
        count += batch
    return count / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    print(f"{'case':<20}{'ours/s':>12}{'reused Draft4/s':>17}{'validate()/s':>14}{'ours/reused':>13}")
    for label, uri, data in CASES:
        sdj = {"schema": uri, "data": data}
        schema = resolve_schema(uri)
        reused = Draft4Validator(schema, format_checker=FormatChecker())
        ours_errors = len(validate_instance(sdj))
        theirs_errors = len(list(reused.iter_errors(data)))
        assert (ours_errors == 0) == (theirs_errors == 0), label
        ours = rate(lambda sdj=sdj: validate_instance(sdj), seconds)
        baseline = rate(lambda data=data, v=reused: list(v.iter_errors(data)), seconds)
        per_call = rate(lambda data=data, s=schema: _validate_per_call(s, data), seconds / 4)
        print(f"{label:<20}{ours:>12,.0f}{baseline:>17,.0f}{per_call:>14,.0f}{ours / baseline:>12.1f}x")
        print(f"{'':<20}errors reported: ours {ours_errors}, jsonschema {theirs_errors}")


def _validate_per_call(schema: dict, data: object) -> None:
    """jsonschema.validate() as typically called: a new validator per call; invalid data is expected here."""
    with contextlib.suppress(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=Draft4Validator, format_checker=FormatChecker())


if __name__ == "__main__":
    main()
