"""A plan read from standard input (``safeguard-check check -``), as from a file, named ``<stdin>``."""

from __future__ import annotations

import sys
from typing import BinaryIO, Literal

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.declaration import LoadedPlan, max_bytes_limit, parse_declaration
from safeguard_check.load.encoding import DecodeError, decode_bytes

STDIN_NAME = "<stdin>"
"""The file name findings and errors give a plan read from standard input."""


def load_stdin(stream: BinaryIO | None = None) -> LoadedPlan:
    """Read one declaration (YAML, or JSON when it starts with ``{``) from ``stream`` (default: the
    process's standard input), under the same size limit, decoding and checks as a file."""
    global _READ
    if stream is None and _READ is not None:
        return _READ  # standard input can be read once; the summary reloads the plan
    source = stream if stream is not None else sys.stdin.buffer
    limit = max_bytes_limit(STDIN_NAME)
    # One byte more than the limit tells "too large" from "exactly at the limit" without reading all.
    data = source.read(limit + 1)
    if len(data) > limit:
        raise InputError([InputIssue(STDIN_NAME, None, None, "io.too_large", {"size": f">{limit}", "limit": limit})])
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise InputError([InputIssue(STDIN_NAME, exc.line, exc.column, exc.key, {"detail": exc.detail})]) from None
    fmt: Literal["yaml", "json"] = "json" if decoded.text.lstrip().startswith("{") else "yaml"
    plan = parse_declaration(decoded.text, STDIN_NAME, fmt, encoding=decoded.encoding)
    if stream is None:
        _READ = plan
    return plan


_READ: LoadedPlan | None = None
