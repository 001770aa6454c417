"""JSON text for reports: exactly ``json.dumps(data, ensure_ascii=False, indent=2)``, written fast.

The standard library writes indented JSON with its pure-Python encoder (its C encoder only does
compact output); a batch report of thousands of plans spent seconds there. orjson writes the same
bytes for the data reports hold (strings, integers, booleans, null, lists, string-keyed objects) —
tests/report/test_json_text.py checks that equality on generated data. Anything orjson refuses
(an integer beyond 64 bits, a non-string key) falls back to the standard library, so the text never
depends on which path wrote it.
"""

from __future__ import annotations

import json

import orjson


def dumps_indented(data: object, *, sort_keys: bool = False) -> str:
    """``data`` as 2-space-indented JSON text with UTF-8 characters as is and a trailing newline."""
    option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        if not _has_float(data):
            return orjson.dumps(data, option=option).decode("utf-8")
    except TypeError:
        pass
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def _has_float(data: object) -> bool:
    # Floats are where the two writers can differ (1e+16 vs 1e16, NaN); reports carry none, but a
    # float must never change the text, so such data takes the standard library's path.
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False
