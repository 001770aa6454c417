"""JSON text for reports: exactly ``json.dumps(data, ensure_ascii=False, indent=2)``, written fast.

The standard library writes indented JSON with its pure-Python encoder (its C encoder only does
compact output); a batch report of thousands of plans spent seconds there. orjson writes the same
bytes for the data reports hold (strings, integers, booleans, null, lists, string-keyed objects) —
tests/report/test_json_text.py checks that equality on generated data. Anything orjson refuses
(an integer beyond 64 bits, a non-string key) falls back to the standard library.
"""

from __future__ import annotations

import json

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
