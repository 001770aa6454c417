"""Load a declaration file: bytes → text → tree with positions → validated :class:`Declaration`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Literal

from pydantic import ValidationError

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.leakguard import (
    HIT_SHAPE,
    LeakHit,
    cap_hits,
    guard_text,
    guard_tree,
    leak_issue,
    redact_issue,
)
from safeguard_check.load.encoding import DecodeError, decode_bytes
from safeguard_check.load.files import read_input_bytes
from safeguard_check.load.normalize import nfkc
from safeguard_check.load.tree import Limits, Path, SourceMap, read_tree
from safeguard_check.model.declaration import JA_KEY_ALIASES, Declaration
from safeguard_check.model.reading import ReadingNotes
from safeguard_check.validate.references import check_references
from safeguard_check.validate.schema_errors import validation_issues

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Real plans are a few hundred lines; anything this large is a mistake or an attack."""
MAX_BYTES_ENV = "SAFEGUARD_CHECK_MAX_BYTES"
"""Environment variable that overrides the size limit of every user file (a positive integer; ``--max-bytes``)."""

EXTENSIONS: dict[str, Literal["yaml", "json"]] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


@dataclass(frozen=True)
class LoadedPlan:
    """A validated declaration with the map back to its file."""

    declaration: Declaration
    source: SourceMap
    path: str
    encoding: str
    leaks: tuple[LeakHit, ...] = ()
    """Individual numbers found (and masked) in the file, in file order (see :mod:`safeguard_check.leakguard`)."""
    reading: ReadingNotes | None = None
    """For a plan read from a council document: what was not understood (see :mod:`safeguard_check.model.reading`)."""

    def line_of(self, path: Path) -> int | None:
        """Line of ``path`` in the declaration file (or of its nearest located ancestor)."""
        pos = self.source.locate(path)
        return pos.line if pos else None


def read_text(path: FsPath, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read and decode a file, returning (text, encoding); located errors for every failure.

    Only a regular file is read (a device or FIFO is refused, also behind a symlink), and never more
    than ``max_bytes`` bytes of it (see :func:`~safeguard_check.load.files.read_input_bytes`).
    """
    name = str(path)
    data = read_input_bytes(path, max_bytes, name=name)
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise InputError([InputIssue(name, exc.line, exc.column, exc.key, {"detail": exc.detail})]) from None
    return decoded.text, decoded.encoding


def max_bytes_limit(name: str = "-", default: int = DEFAULT_MAX_BYTES) -> int:
    """The size limit for a user's file: ``$SAFEGUARD_CHECK_MAX_BYTES`` when set, else ``default``.

    ``--max-bytes`` sets that variable (``cli.py``), so one setting covers every file a user gives:
    declarations, documents, waivers, baseline files, custom rules, baselines and profiles. Files
    shipped with the tool are not the user's and keep their own limit.
    """
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError([InputIssue(name, None, None, "hostile.bad_max_bytes", {"env": MAX_BYTES_ENV, "value": raw})])
    return value


def load_declaration(path: str | FsPath, *, max_bytes: int | None = None, limits: Limits | None = None) -> LoadedPlan:
    """Load and validate one declaration file. Never modifies the file.

    ``max_bytes`` defaults to :func:`max_bytes_limit` (``$SAFEGUARD_CHECK_MAX_BYTES`` or 5 MiB).
    Raises :class:`InputError` listing every problem found, each with file, line and column.
    """
    fs_path = FsPath(path)
    name = str(path)
    fmt = EXTENSIONS.get(fs_path.suffix.lower())
    if fmt is None:
        raise InputError([InputIssue(name, None, None, "io.unsupported_extension", {"ext": fs_path.suffix or "-"})])
    text, encoding = read_text(fs_path, max_bytes if max_bytes is not None else max_bytes_limit(name))
    return parse_declaration(text, name, fmt, encoding=encoding, limits=limits)


def parse_declaration(
    text: str,
    name: str,
    fmt: Literal["yaml", "json"] = "yaml",
    *,
    encoding: str = "utf-8",
    limits: Limits | None = None,
) -> LoadedPlan:
    """Validate declaration ``text`` (already decoded) that came from ``name``.

    Individual numbers are masked before anything else reads the text (the leak guard); they come
    back as ``leaks`` and, when the plan cannot be loaded, as extra ``leak.individual_number`` issues
    beside the errors (which are masked too).
    """
    text, leaks = guard_text(text, fmt)
    try:
        tree, smap = read_tree(text, name, fmt, limits=limits, key_map=lambda k: JA_KEY_ALIASES.get(k, k))
        late: tuple[LeakHit, ...] = ()
        if _may_hold_number(tree):
            tree, late = guard_tree(tree, smap)
        leaks = cap_hits((*leaks, *late))
        if not isinstance(tree, dict):
            raise InputError([InputIssue(name, 1, 1, "syntax.root_not_mapping")])
        try:
            declaration = Declaration.model_validate(tree)
        except ValidationError as exc:
            raise InputError(validation_issues(exc, tree, smap, Declaration, JA_KEY_ALIASES)) from None
        issues = [_locate(smap, i) for i in check_references(declaration, name)]
        if issues:
            raise InputError(issues)
    except InputError as exc:
        raise InputError([*(redact_issue(i) for i in exc.issues), *(leak_issue(name, h) for h in leaks)]) from None
    return LoadedPlan(declaration, smap, name, encoding, leaks)


_JOINT = "\n"


def _may_hold_number(tree: Any) -> bool:
    """False only when :func:`guard_tree` certainly finds nothing in ``tree`` (so it need not run).

    The guard looks at each key and value as written and after NFKC, and at numbers by their decimal
    digits. Whatever it reports has the leak guard's ``HIT_SHAPE`` (twelve decimal digits, single
    separators between groups) in one of those texts; a text without such a run cannot hold one,
    and neither can an integer below 10¹¹ written without one. That is what a plan usually holds,
    and this check costs a fraction of running the guard over every value (which also normalises
    each string). Anything else (floats, unknown types) answers True. It
    follows the leak guard's definition of a hit; ``tests/load/test_leak_prefilter.py`` holds the two
    together.
    """
    strings: list[str] = []
    keys: set[Any] = set()
    stack = [tree]
    while stack:
        value = stack.pop()
        cls = value.__class__
        if cls is str:
            strings.append(value)
        elif cls is dict:
            keys.update(value)
            stack.extend(value.values())
        elif cls is list:
            stack.extend(value)
        elif value is None or cls is bool:
            continue
        elif isinstance(value, int):
            raw = getattr(value, "raw", "")
            if not -(10**11) < value < 10**11 or not isinstance(raw, str) or HIT_SHAPE.search(raw):
                return True
        else:
            return True
    if any(key.__class__ is not str for key in keys):
        return True
    strings.extend(keys)
    # One search over all texts instead of one per text: the joint is neither a digit nor a separator,
    # so no run can span two texts.
    if HIT_SHAPE.search(_JOINT.join(strings)):
        return True
    changed = [normal for text in strings if (normal := nfkc(text)) is not text]
    return bool(changed) and HIT_SHAPE.search(_JOINT.join(changed)) is not None


def _locate(smap: SourceMap, issue: InputIssue) -> InputIssue:
    pos = smap.locate(issue.path)
    if pos is None:
        return issue
    return InputIssue(
        issue.file,
        pos.line,
        pos.column,
        issue.key,
        issue.params,
        issue.path,
        issue.expected,
        issue.found,
        issue.suggestions,
    )
