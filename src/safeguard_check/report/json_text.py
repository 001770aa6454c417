"""JSON text for reports: exactly ``json.dumps(data, ensure_ascii=False, indent=2)``, written fast.

The standard library writes indented JSON with its pure-Python encoder (its C encoder only does
compact output); a batch report of thousands of plans spent seconds there. orjson writes the same
bytes for the data reports hold (strings, integers, booleans, null, lists, string-keyed objects) —
tests/report/test_json_text.py checks that equality on generated data. Anything orjson refuses
(an integer beyond 64 bits, a non-string key) falls back to the standard library.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator

import orjson


def dumps_indented(data: object, *, sort_keys: bool = False) -> str:
    """``data`` as 2-space-indented JSON text with UTF-8 characters as is and a trailing newline.

    ``data`` holds no floats: report models have none (their JSON Schema has no ``number`` type,
    which tests/report/test_json_text.py checks), and orjson writes some floats differently from the
    standard library (``1e16`` vs ``1e+16``). Scanning every document for floats cost more than
    writing it.
    """
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(data, option=option).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def dumps_streamed(
    data: dict[str, object], key: str, items: Iterable[object], *, sort_keys: bool = False
) -> Iterator[str]:
    """The text of :func:`dumps_indented` for ``data`` with ``items`` as the list under ``key``, in pieces.

    ``key`` is a key of ``data`` or of one nested object of it (its value there is replaced). Only
    one item is held as text at a time, so a report of tens of thousands of plans is written without
    building the whole document first (with thousands of plans that document took gigabytes). The
    pieces joined are exactly the text :func:`dumps_indented` gives for the whole document;
    tests/report/test_json_text.py checks that.
    """
    marker = f"@@safeguard-check-stream-{os.urandom(8).hex()}@@"
    if not _replace_key(data, key, marker):
        raise KeyError(key)
    head, tail = dumps_indented(data, sort_keys=sort_keys).split(f'"{marker}"', 1)
    # The key's own indentation gives the depth of the list's items (one level deeper).
    last_line = head[head.rfind("\n") + 1 :]
    outer = last_line[: len(last_line) - len(last_line.lstrip(" "))]
    inner = outer + "  "
    yield head
    separator = "[\n" + inner
    wrote = False
    for item in items:
        text = dumps_indented(item, sort_keys=sort_keys)[:-1]  # without its trailing newline
        yield separator + text.replace("\n", "\n" + inner)
        separator = ",\n" + inner
        wrote = True
    yield ("\n" + outer + "]") if wrote else "[]"
    yield tail


def _replace_key(data: object, key: str, value: str) -> bool:
    # Depth-first, first match: the documents hold the streamed list's key exactly once.
    if isinstance(data, dict):
        if key in data:
            data[key] = value
            return True
        return any(_replace_key(v, key, value) for v in data.values())
    if isinstance(data, list):
        return any(_replace_key(v, key, value) for v in data)
    return False
