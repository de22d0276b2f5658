"""Developer check: do our built-in schemas accept and reject the same instances as Iglu Central's?

Not part of the test suite (the public registry is not shipped with the project). For every built-in schema
whose URI exists under ../shared/data/iglu-central/schemas (or the folder given as argument), build a set of
instances from both schemas (an example, then each value replaced by every JSON type, strings at the length
limits, keys removed, an unknown key added) and report every instance on which the two verdicts differ.

    python scripts/compare_iglu_central.py [path/to/iglu-central/schemas]
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iglu.repositories import BUILTIN_SCHEMAS_DIR, EmbeddedRepository  # noqa: E402
from iglu.validation import SchemaValidator  # noqa: E402

DEFAULT_CENTRAL = ROOT.parent / "shared" / "data" / "iglu-central" / "schemas"
PROBES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    "",
    "x",
    "2024-01-31T12:00:00Z",
    "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1",
    "https://example.com/",
    "iglu:com.acme/a/jsonschema/1-0-0",
    [],
    ["x"],
    {},
]


def example(schema: Any, depth: int = 0) -> Any:
    """A plausible instance: every declared property filled, the first enum value, a string of fitting length."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            merged = {k: v for k, v in schema.items() if k != key}
            merged.update(schema[key][0])
            return example(merged, depth + 1)
    types = schema.get("type", "object" if "properties" in schema else "string")
    kind = next((t for t in types if t != "null"), "null") if isinstance(types, list) else types
    if kind == "object":
        return {name: example(sub, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {}), depth + 1)] * max(1, schema.get("minItems", 1))
    if kind in {"integer", "number"}:
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def _string(schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    if fmt == "uuid":
        return "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1"
    if fmt == "date-time":
        return "2024-01-31T12:00:00.000Z"
    if fmt == "uri":
        return "https://example.com/"
    if "pattern" in schema and "iglu" in schema["pattern"]:
        return "iglu:com.acme/a/jsonschema/1-0-0"
    if "pattern" in schema and "a-fA-F0-9" in schema["pattern"]:
        return "0f8a6f12-9ca9-4f2b-a6a7-ec9a41e3c4f1"
    return "x" * max(1, schema.get("minLength", 1))


def variants(instance: Any, schema: dict[str, Any]) -> list[Any]:
    """The example and its one-step mutations."""
    out = [instance]
    for path, value in _paths(instance):
        for probe in [*PROBES, _long_string(value)]:
            out.append(_replace(instance, path, probe))
        if path:
            out.append(_remove(instance, path))
    if isinstance(instance, dict):
        out.append({**instance, "unknownProperty": "x"})
    return out


def _long_string(value: Any) -> Any:
    return "y" * (len(value) + 300) if isinstance(value, str) else "z" * 9000


def _paths(value: Any, prefix: tuple = ()) -> list[tuple[tuple, Any]]:
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, (*prefix, key))
    elif isinstance(value, list) and value:
        found += _paths(value[0], (*prefix, 0))
    return found


def _replace(instance: Any, path: tuple, probe: Any) -> Any:
    if not path:
        return probe
    clone = copy.deepcopy(instance)
    target = clone
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = probe
    return clone


def _remove(instance: Any, path: tuple) -> Any:
    clone = copy.deepcopy(instance)
    target = clone
    for part in path[:-1]:
        target = target[part]
    if isinstance(target, dict):
        del target[path[-1]]
    else:
        target.pop(path[-1])
    return clone


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> list[tuple[Any, bool, bool]]:
    """Instances on which the two schemas disagree: (instance, ours accepts, theirs accepts)."""
    mine, central = SchemaValidator(ours), SchemaValidator(theirs)
    instances = variants(example(ours), ours) + variants(example(theirs), theirs)
    seen, differences = set(), []
    for instance in instances:
        marker = json.dumps(instance, sort_keys=True)
        if marker in seen:
            continue
        seen.add(marker)
        a, b = not mine.errors(instance), not central.errors(instance)
        if a != b:
            differences.append((instance, a, b))
    return differences


def _verdict(accepts: bool) -> str:
    return "accepts" if accepts else "rejects"


def main(argv: list[str]) -> int:
    central_root = Path(argv[1]) if len(argv) > 1 else DEFAULT_CENTRAL
    if not central_root.is_dir():
        print(f"No Iglu Central copy at {central_root}; nothing to compare.")
        return 0
    ours_repo = EmbeddedRepository(name="built-in", root=BUILTIN_SCHEMAS_DIR)
    compared = missing = differing = 0
    for key in ours_repo.all_keys():
        theirs_path = central_root / key.vendor / key.name / key.format / key.version
        if not theirs_path.is_file():
            missing += 1
            continue
        compared += 1
        differences = compare(ours_repo.lookup(key), json.loads(theirs_path.read_text()))
        if differences:
            differing += 1
            print(f"DIFFERS {key.uri}: {len(differences)} instance(s)")
            for instance, ours_ok, theirs_ok in differences[:5]:
                text = json.dumps(instance)[:200]
                verdicts = f"ours {_verdict(ours_ok)}, Iglu Central {_verdict(theirs_ok)}"
                print(f"    {verdicts}: {text}")
    print(f"compared {compared}, differing {differing}, not in Iglu Central {missing}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
