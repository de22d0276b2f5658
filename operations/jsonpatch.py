"""JSON Patch (RFC 6902) with JSON Pointers (RFC 6901): the language of recovery rules."""

from __future__ import annotations

import copy
from typing import Any

OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")


class PatchError(ValueError):
    """The patch is malformed, or cannot apply to this document (a missing path, a failed test)."""


def check_patch(patch: Any) -> list[dict[str, Any]]:
    """Raise PatchError unless `patch` is a list of well-formed operations; return it."""
    if not isinstance(patch, list):
        raise PatchError("A recovery rule is a JSON array of patch operations.")
    for position, operation in enumerate(patch):
        if not isinstance(operation, dict) or operation.get("op") not in OPERATIONS:
            raise PatchError(f"Operation {position}: needs an op, one of {', '.join(OPERATIONS)}.")
        if not isinstance(operation.get("path"), str):
            raise PatchError(f"Operation {position}: needs a path (a JSON Pointer such as /body/data/0/aid).")
        if operation["op"] in {"add", "replace", "test"} and "value" not in operation:
            raise PatchError(f"Operation {position}: {operation['op']} needs a value.")
        if operation["op"] in {"move", "copy"} and not isinstance(operation.get("from"), str):
            raise PatchError(f"Operation {position}: {operation['op']} needs a from pointer.")
        _tokens(operation["path"])
    return patch


def patch_apply(document: Any, patch: list[dict[str, Any]]) -> Any:
    """Return a patched copy of `document`; the original is untouched. Raises PatchError."""
    result = copy.deepcopy(document)
    for position, operation in enumerate(check_patch(patch)):
        try:
            result = _apply_one(result, operation)
        except PatchError as error:
            raise PatchError(f"Operation {position} ({operation['op']} {operation['path']}): {error}") from None
    return result


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"{pointer!r} is not a JSON Pointer (it must start with /).")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def _apply_one(document: Any, operation: dict[str, Any]) -> Any:
    op, path = operation["op"], operation["path"]
    if op == "test":
        if _get(document, path) != operation["value"]:
            raise PatchError("the value differs from the tested one")
        return document
    if op == "remove":
        return _remove(document, path)
    if op == "replace":
        _get(document, path)
        value = copy.deepcopy(operation["value"])
        return value if path == "" else _add(_remove(document, path), path, value)
    if op == "add":
        return _add(document, path, copy.deepcopy(operation["value"]))
    value = copy.deepcopy(_get(document, operation["from"]))
    if op == "move":
        document = _remove(document, operation["from"])
    return _add(document, path, value)


def _parent(document: Any, path: str) -> tuple[Any, str]:
    tokens = _tokens(path)
    if not tokens:
        raise PatchError("the whole document cannot be the target here")
    target = document
    for token in tokens[:-1]:
        target = _child(target, token)
    return target, tokens[-1]


def _child(container: Any, token: str) -> Any:
    if isinstance(container, dict):
        if token not in container:
            raise PatchError(f"no member {token!r}")
        return container[token]
    if isinstance(container, list):
        return container[_index(container, token)]
    raise PatchError(f"{token!r} leads into a {type(container).__name__}, not an object or array")


def _index(container: list, token: str, allow_end: bool = False) -> int:
    if token == "-" and allow_end:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PatchError(f"{token!r} is not an array index")
    index = int(token)
    if index > len(container) or (index == len(container) and not allow_end):
        raise PatchError(f"index {index} is out of range")
    return index


def _get(document: Any, path: str) -> Any:
    target = document
    for token in _tokens(path):
        target = _child(target, token)
    return target


def _remove(document: Any, path: str) -> Any:
    parent, token = _parent(document, path)
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchError(f"no member {token!r}")
        del parent[token]
    elif isinstance(parent, list):
        del parent[_index(parent, token)]
    else:
        raise PatchError("the parent is not an object or array")
    return document


def _add(document: Any, path: str, value: Any) -> Any:
    if path == "":
        return value
    parent, token = _parent(document, path)
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, token, allow_end=True), value)
    else:
        raise PatchError("the parent is not an object or array")
    return document
