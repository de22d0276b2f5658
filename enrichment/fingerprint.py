"""Event fingerprints: Snowplow's algorithm, used by the fingerprint enrichment and always for de-duplication."""

from __future__ import annotations

import hashlib

# Parameters that legitimately differ between two deliveries of the same event (retries, re-sends).
DEDUPE_EXCLUDED = frozenset({"eid", "nuid", "stm", "cv"})
ALGORITHMS = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"}


def event_fingerprint(parameters: dict[str, str], excluded: frozenset[str] = DEDUPE_EXCLUDED,
                      algorithm: str = "MD5") -> str:
    """Hash `key\\x1fvalue\\x1f` over the sorted non-null parameters that are not excluded."""
    text = "".join(
        f"{key}\x1f{parameters[key]}\x1f" for key in sorted(parameters)
        if key not in excluded and parameters[key] is not None
    )
    return hashlib.new(ALGORITHMS[algorithm], text.encode("utf-8", "surrogatepass")).hexdigest()
