"""The My Number leak guard: find real-looking individual numbers in a plan and mask them everywhere.

Plans are typed and pasted by many hands; now and then one carries a resident's 個人番号. The tool
must report that (a critical finding, rule ``SGC-LEAK-MYNUMBER`` in ``rules/leak.yaml``) and must
never print the number itself — not in a report, not in an error message that echoes a line.

What counts as an individual number: twelve decimal digits whose last digit is the check digit of
平成26年総務省令第85号第5条 (:func:`check_digit`), written

- contiguously (``123456789018``, ``１２３４５６７８９０１８``, any Unicode decimal digits), where the
  run of digits is exactly twelve long (a 13-digit 法人番号 or a longer run is left alone), or
- as digit groups joined by single separators (space, ideographic space, the hyphens and dashes of
  :data:`SEPARATORS`) whose groups hold twelve digits in all (``1234 5678 9018``,
  ``１２３４－５６７８－９０１８``, ``1234-56789018``), or — inside a longer such run — three 4-digit groups
  not flanked by another 4-digit group (``2020-05-25 1234 5678 9018``; a 16-digit card number
  ``4111 1111 1111 1111`` is not split into My Numbers).

Numbers whose first eleven digits are all the same (``000000000000``) are treated as placeholders
and left alone. Numbers with a wrong check digit are left alone.

How the guard works (see docs/architecture.md, "Decisions"):

1. :func:`guard_text` scans the decoded text *before* it is parsed and replaces the first eight digits
   of every hit by ``＊`` (U+FF0A), keeping the last four and every separator, so lines and columns do
   not move and the YAML/JSON stays parseable (``＊`` is an ordinary character in every YAML context;
   in JSON a bare number token is replaced by a quoted string of the same length). Nothing downstream
   — the parser, its error messages, the model, the reports — ever sees the real digits.
2. :func:`guard_tree` scans the parsed values for what the text scan cannot see: escapes
   (``"\\u0031…"``), folded YAML scalars, NFKC-only digits (``①``), integers written in hex or with
   ``_``. Those values are replaced by their masked form.
3. Each hit becomes a :class:`LeakHit` carried by the ``LoadedPlan``; ``facts/build.py`` turns each into a
   fact of subject kind ``document`` that the ordinary rule evaluates (both engines).
4. :func:`redact_issue` masks any remaining number in an error's parameters (belt and braces).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from safeguard_check.errors import InputIssue
from safeguard_check.load.normalize import nfkc
from safeguard_check.load.tree import Path, Position, SourceMap
from safeguard_check.messages import Msg

NUMBER_LENGTH = 12
KEEP = 4
"""How many trailing digits a redaction keeps."""
MASK_TEXT = "＊"
"""Replaces a digit in the file's text: valid in every YAML and JSON-string context, NFKC → ``*``."""
MASK = "*"
"""Replaces a digit in values and messages."""
MAX_HITS = 100
"""Hits listed per file; the rest are masked all the same and counted on the last hit (``more``)."""

SEPARATORS = (
    " \u3000"  # space, ideographic space
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphen-minus, hyphens, dashes, minus
    "\uff0d\ufe58\ufe63\u30fc\uff70"  # full-width hyphen-minus, small hyphens, ー and ｰ typed for a dash
)
"""Characters that may stand (singly) between two digit groups of one number."""

_RUN = re.compile(r"\d+(?:[" + re.escape(SEPARATORS) + r"]\d+)*")
_GROUP = re.compile(r"\d+")
HIT_SHAPE = re.compile(rf"\d(?:[{re.escape(SEPARATORS)}]?\d){{{NUMBER_LENGTH - 1}}}")
"""Twelve decimal digits in a row, single separators allowed between them: every hit has this shape
(its digits come from consecutive groups of one run), so a text without it holds no hit."""
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_JSON_NUMBER_CHARS = frozenset("0123456789+-.eE")


@dataclass(frozen=True)
class LeakHit:
    """One individual number found in a plan: where it stands and its masked form."""

    line: int | None
    column: int | None
    redacted: str
    """Always ``********`` and the last four digits (ASCII), e.g. ``********9018``."""
    origin: Literal["text", "value"] = "text"
    """``text``: found in the file's text; ``value``: only visible once parsed (escapes, folding, NFKC)."""
    more: int = 0
    """On the last hit listed: how many more were found (and masked) but not listed (:data:`MAX_HITS`)."""

    @property
    def label(self) -> str:
        """The masked form, with the count of unlisted numbers when there are any."""
        return f"{self.redacted} (+{self.more})" if self.more else self.redacted


def cap_hits(hits: Iterable[LeakHit], limit: int = MAX_HITS) -> tuple[LeakHit, ...]:
    """At most ``limit`` hits in file order; the last one counts the others in ``more``."""
    ordered = sorted(hits, key=lambda h: (h.line or 0, h.column or 0))
    total = len(ordered) + sum(h.more for h in ordered)
    kept = [dataclasses.replace(h, more=0) if h.more else h for h in ordered[:limit]]
    if kept and total > len(kept):
        kept[-1] = dataclasses.replace(kept[-1], more=total - len(kept))
    return tuple(kept)


@dataclass(frozen=True)
class _Candidate:
    digit_positions: tuple[int, ...]
    digits: str  # ASCII


_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
"""Qn for the eleven digits read left to right (n = 11 … 1)."""


def check_digit(first11: str) -> int:
    """The check digit for eleven ASCII digits (平成26年総務省令第85号第5条).

    Pn is the n-th digit counted from the right of the eleven, Qn = n + 1 for n ≤ 6 and n − 5 for
    7 ≤ n ≤ 11; with r = Σ Pn × Qn mod 11, the check digit is 0 when r ≤ 1, else 11 − r.
    """
    if len(first11) != NUMBER_LENGTH - 1 or not first11.isascii() or not first11.isdigit():
        raise ValueError(f"need 11 ASCII digits, got {len(first11)} characters")
    r = sum(int(p) * q for p, q in zip(first11, _WEIGHTS, strict=True)) % 11
    return 0 if r <= 1 else 11 - r


def is_individual_number(digits: str) -> bool:
    """Whether twelve ASCII digits carry a valid check digit (placeholders excluded, see module doc)."""
    if len(digits) != NUMBER_LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    if len(set(digits[:-1])) == 1:
        return False
    return check_digit(digits[:-1]) == int(digits[-1])


def redacted_form(digits: str) -> str:
    """``123456789018`` → ``********9018``: the form every output shows."""
    return MASK * (NUMBER_LENGTH - KEEP) + digits[-KEEP:]


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _ascii(chars: str) -> str:
    chars = chars.translate(_FULL_WIDTH)
    if chars.isascii():
        return chars
    return "".join(str(unicodedata.decimal(c)) for c in chars)


def _candidates(text: str) -> Iterator[_Candidate]:
    """Every valid individual number in ``text``, with the positions of its twelve digits."""
    for run in _RUN.finditer(text):
        written = run.group()
        if len(written) < NUMBER_LENGTH:
            continue
        base = run.start()
        if written.isdigit():  # no separator: only a run of exactly twelve digits
            if len(written) == NUMBER_LENGTH:
                digits = _ascii(written)
                if is_individual_number(digits):
                    yield _Candidate(tuple(range(base, base + NUMBER_LENGTH)), digits)
            continue
        groups = [(base + g.start(), base + g.end()) for g in _GROUP.finditer(written)]
        lengths = [end - start for start, end in groups]
        windows: list[tuple[int, int]] = []  # [first group, last group]
        if sum(lengths) == NUMBER_LENGTH:
            windows.append((0, len(groups) - 1))
        else:
            windows.extend((i, i) for i, n in enumerate(lengths) if n == NUMBER_LENGTH)
            for i in range(len(groups) - 2):
                if lengths[i] != 4 or lengths[i + 1] != 4 or lengths[i + 2] != 4:
                    continue
                if (i > 0 and lengths[i - 1] == 4) or (i + 3 < len(groups) and lengths[i + 3] == 4):
                    continue
                windows.append((i, i + 2))
        for first, last in windows:
            positions = tuple(p for start, end in groups[first : last + 1] for p in range(start, end))
            digits = _ascii("".join(text[p] for p in positions))
            if is_individual_number(digits):
                yield _Candidate(positions, digits)


def _cannot_hold_a_number(text: str) -> bool:
    """True when neither ``text`` nor its NFKC form has the shape of a hit (:data:`HIT_SHAPE`).

    Most values of a plan have no long digit runs; this skips the candidate search for them. It is
    exact, not a heuristic: NFKC can turn one character into digits (⑫ → 12), so the normalised form
    is searched too.
    """
    if HIT_SHAPE.search(text) is not None:
        return False
    normal = nfkc(text)
    return normal is text or HIT_SHAPE.search(normal) is None


def contains_individual_number(text: str) -> bool:
    """Whether ``text`` (as written, or after NFKC) holds an individual number."""
    if _cannot_hold_a_number(text):
        return False
    return any(True for _ in _candidates(text)) or any(True for _ in _candidates(unicodedata.normalize("NFKC", text)))


def redact_string(text: str) -> tuple[str, list[str]]:
    """``text`` with every individual number masked (first eight digits → ``*``), and their masked forms.

    Numbers only visible after NFKC (``①…``) make the whole string come back NFKC-normalised.
    """
    if _cannot_hold_a_number(text):
        return text, []
    masked, forms = _mask(text, list(_candidates(text)))
    normal = unicodedata.normalize("NFKC", masked)
    if normal != masked:
        late = list(_candidates(normal))
        if late:
            normal, late_forms = _mask(normal, late)
            return normal, forms + late_forms
    return masked, forms


def _mask(text: str, found: list[_Candidate]) -> tuple[str, list[str]]:
    if not found:
        return text, []
    chars = list(text)
    for cand in found:
        for p in cand.digit_positions[: NUMBER_LENGTH - KEEP]:
            chars[p] = MASK
    return "".join(chars), [redacted_form(c.digits) for c in found]


def redact(text: str) -> str:
    """``text`` with every individual number masked."""
    return redact_string(text)[0]


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def guard_text(text: str, fmt: Literal["yaml", "json"] = "yaml") -> tuple[str, tuple[LeakHit, ...]]:
    """Mask every individual number in a file's text before it is parsed; same length, same lines.

    The first eight digits of a hit become ``＊``; in JSON, a hit that is a bare number token (outside
    any string) is replaced with a quoted string of the token's length (``"＊＊＊＊＊＊9018"``) so the
    document stays valid JSON.
    """
    if HIT_SHAPE.search(text) is None:  # the usual plan: one C-level scan instead of a walk over digit runs
        return text, ()
    lines: _Lines | None = None
    strings: list[tuple[int, int]] = []
    string_starts: list[int] = []
    chars: list[str] = []
    hits: list[LeakHit] = []
    count = 0
    for cand in _candidates(text):  # streamed: a pasted resident list may hold 300 000 numbers
        if lines is None:
            lines = _Lines(text)
            chars = list(text)
            if fmt == "json":
                strings = [(m.start(), m.end()) for m in _JSON_STRING.finditer(text)]
                string_starts = [start for start, _ in strings]
        count += 1
        first = cand.digit_positions[0]
        if len(hits) < MAX_HITS:
            line, column = lines.position(first)
            hits.append(LeakHit(line, column, redacted_form(cand.digits)))
        if fmt == "json" and not _inside(strings, string_starts, first) and _contiguous(cand):
            start, end = _number_token(text, first, cand.digit_positions[-1] + 1)
            width = end - start
            replacement = '"' + MASK_TEXT * (width - KEEP - 2) + text[end - KEEP : end] + '"'
            if not text[end - KEEP : end].isdigit():  # an exponent or fraction at the end
                replacement = '"' + MASK_TEXT * (width - 2) + '"'
            chars[start:end] = list(replacement)
            continue
        for p in cand.digit_positions[: NUMBER_LENGTH - KEEP]:
            chars[p] = MASK_TEXT
    if not count:
        return text, ()
    if count > len(hits):
        hits[-1] = dataclasses.replace(hits[-1], more=count - len(hits))
    return "".join(chars), tuple(hits)


def _inside(strings: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and strings[index][0] < offset < strings[index][1]


def _contiguous(cand: _Candidate) -> bool:
    p = cand.digit_positions
    return p[-1] - p[0] == NUMBER_LENGTH - 1


def _number_token(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] in _JSON_NUMBER_CHARS:
        start -= 1
    while end < len(text) and text[end] in _JSON_NUMBER_CHARS:
        end += 1
    return start, end


def guard_tree(tree: Any, smap: SourceMap) -> tuple[Any, tuple[LeakHit, ...]]:
    """Mask individual numbers the text scan could not see, in parsed keys and values (in place).

    Strings are checked as written and after NFKC; numbers (``0x1CBE991A12``, ``123_456_789_018``) by
    their decimal digits. A masked number becomes a string, so a field that wanted a number reports
    a (masked) type error. Returns the tree and one hit per value, located at the value.
    """
    hits: list[LeakHit] = []

    def located(path: Path, forms: list[str]) -> None:
        pos: Position | None = smap.locate(path)
        for form in forms:
            hits.append(LeakHit(pos.line if pos else None, pos.column if pos else None, form, "value"))

    def scalar(value: Any, path: Path) -> Any:
        if isinstance(value, str):
            masked, forms = redact_string(value)
            if forms:
                located(path, forms)
                return masked
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            texts = [str(value), str(getattr(value, "raw", ""))]
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                texts.append(str(int(value)))
            for text in texts:
                masked, forms = redact_string(text)
                if forms:
                    located(path, forms[:1])
                    return masked
        return value

    root_holder = [tree]
    stack: list[tuple[Any, Path]] = [(root_holder, ())]
    while stack:
        container, path = stack.pop()
        if container is root_holder:
            value = container[0]
            if isinstance(value, (dict, list)):
                stack.append((value, path))
            else:
                container[0] = scalar(value, path)
            continue
        if isinstance(container, list):
            for index, item in enumerate(container):
                child = (*path, index)
                if isinstance(item, (dict, list)):
                    stack.append((item, child))
                else:
                    container[index] = scalar(item, child)
            continue
        renamed: dict[str, str] = {}
        for key in container:
            masked, forms = redact_string(key) if isinstance(key, str) else (key, [])
            if forms:
                located((*path, key), forms)
                renamed[key] = masked
        if renamed:
            items = [(renamed.get(k, k), v) for k, v in container.items()]
            container.clear()
            container.update(items)  # a masked key colliding with another keeps the later: both masked
            _move_positions(smap, path, renamed)
        for key, item in container.items():
            child = (*path, key)
            if isinstance(item, (dict, list)):
                stack.append((item, child))
            else:
                container[key] = scalar(item, child)
    return root_holder[0], cap_hits(hits)


def _move_positions(smap: SourceMap, parent: Path, renamed: dict[str, str]) -> None:
    depth = len(parent)
    moved = {}
    for path, pos in list(smap.positions.items()):
        if len(path) > depth and path[:depth] == parent and path[depth] in renamed:
            del smap.positions[path]
            key = path[depth]
            assert isinstance(key, str)
            moved[(*parent, renamed[key], *path[depth + 1 :])] = pos
    smap.positions.update(moved)


def _redact_param(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Msg):
        return Msg(value.key, {k: _redact_param(v) for k, v in value.params.items()})
    if isinstance(value, tuple):
        return tuple(_redact_param(v) for v in value)
    if isinstance(value, list):
        return [_redact_param(v) for v in value]
    return value


def redact_issue(issue: InputIssue) -> InputIssue:
    """``issue`` with every individual number in its texts masked (the issue itself if none)."""
    params = {k: _redact_param(v) for k, v in issue.params.items()}
    path = tuple(redact(p) if isinstance(p, str) else p for p in issue.path)
    expected = redact(issue.expected) if issue.expected is not None else None
    found = redact(issue.found) if issue.found is not None else None
    suggestions = tuple(redact(s) for s in issue.suggestions)
    if (params, path, expected, found, suggestions) == (
        issue.params,
        issue.path,
        issue.expected,
        issue.found,
        issue.suggestions,
    ):
        return issue
    return dataclasses.replace(issue, params=params, path=path, expected=expected, found=found, suggestions=suggestions)


def leak_issue(file: str, hit: LeakHit) -> InputIssue:
    """The error shown for ``hit`` when the plan cannot be checked (it then cannot become a finding)."""
    if hit.more:
        params = {"redacted": hit.redacted, "more": hit.more}
        return InputIssue(file, hit.line, hit.column, "leak.individual_number_more", params)
    return InputIssue(file, hit.line, hit.column, "leak.individual_number", {"redacted": hit.redacted})
