"""Event fingerprints: Snowplow's algorithm, used by the fingerprint enrichment and always for de-duplication."""

from __future__ import annotations

import hashlib
from itertools import chain

# Parameters that legitimately differ between two deliveries of the same event (retries, re-sends).
DEDUPE_EXCLUDED = frozenset({"eid", "nuid", "stm", "cv"})
ALGORITHMS = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"}
_STRING_ONLY = frozenset({str})
_HASHES = {name: getattr(hashlib, function) for name, function in ALGORITHMS.items()}


_KEY_ORDERS: dict[tuple[tuple[str, ...], frozenset[str]], list[str]] = {}


def _hashed_keys(names: tuple[str, ...], excluded: frozenset[str]) -> list[str]:
    """The sorted names that are hashed. Events of one tracker repeat one parameter list: sorted once."""
    try:
        return _KEY_ORDERS[names, excluded]
    except KeyError:
        pass
    except TypeError:  # an unhashable `excluded`
        return sorted(set(names).difference(excluded))
    keys = sorted(set(names).difference(excluded))
    if len(_KEY_ORDERS) >= 2048:
        _KEY_ORDERS.clear()
    _KEY_ORDERS[names, excluded] = keys
    return keys


def event_fingerprint(parameters: dict[str, str], excluded: frozenset[str] = DEDUPE_EXCLUDED,
                      algorithm: str = "MD5") -> str:
    """Hash `key\\x1fvalue\\x1f` over the sorted non-null parameters that are not excluded."""
    if _STRING_ONLY.issuperset(map(type, parameters.values())):  # the usual case: no None, nothing to format
        keys = _hashed_keys(tuple(parameters), excluded)
        pairs = chain.from_iterable(zip(keys, map(parameters.__getitem__, keys), strict=True))
        text = "\x1f".join(pairs) + "\x1f" if keys else ""
        return _HASHES[algorithm](text.encode("utf-8", "surrogatepass")).hexdigest()
    parts = []
    for key, value in sorted(parameters.items()):
        if value is not None and key not in excluded:
            parts.append(key)
            parts.append(value if type(value) is str else format(value))
    text = "\x1f".join(parts) + "\x1f" if parts else ""
    return _HASHES[algorithm](text.encode("utf-8", "surrogatepass")).hexdigest()
