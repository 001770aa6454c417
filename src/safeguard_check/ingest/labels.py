"""Find the field labels of a council form in text whose lines may break anywhere.

A label such as 「委任にあたり区が行う情報保護対策」 is often split over lines by the table cell it sits in
(「…区が行う情\\n\\n報保護対策」). Labels are therefore matched on the *compact* text (whitespace removed)
and the match is mapped back to the original, so that the value between two labels keeps its lines
(which the list parser needs: items and bullets start lines).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from safeguard_check.ingest.text import Line, line_number


@dataclass(frozen=True)
class Found:
    """A label found in a region: its name, the matched text and where the value after it starts."""

    name: str
    matched: str
    start: int
    """Offset of the label's first character in the region text."""
    end: int
    """Offset just after the label's last character: the value starts here."""


class Region:
    """A piece of the document (lines joined with newlines) searchable by compact regexes."""

    def __init__(self, lines: list[str] | tuple[str, ...]) -> None:
        self.text = "\n".join(lines)
        # Where each line starts in ``text`` and its number in the document (see ``text.Line``).
        self._line_starts = [0]
        for line in lines[:-1]:
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self._numbers = [line_number(line) for line in lines]
        # Original offset of every non-whitespace character, in order: compact index → text offset.
        self._offsets = [i for i, ch in enumerate(self.text) if not ch.isspace()]
        self.compact = "".join(self.text[i] for i in self._offsets)

    def _compact_index(self, offset: int) -> int:
        # The first compact character at or after ``offset``.
        return bisect.bisect_left(self._offsets, offset)

    def search(self, name: str, pattern: str, start: int = 0) -> Found | None:
        """First match of ``pattern`` (on the compact text) at or after text offset ``start``."""
        m = re.compile(pattern).search(self.compact, self._compact_index(start))
        if m is None or m.end() == m.start():
            return None
        return Found(name, m.group(0), self._offsets[m.start()], self._offsets[m.end() - 1] + 1)

    def find_all(self, name: str, pattern: str) -> list[Found]:
        """Every non-overlapping match of ``pattern`` on the compact text, in order."""
        return [
            Found(name, m.group(0), self._offsets[m.start()], self._offsets[m.end() - 1] + 1)
            for m in re.finditer(pattern, self.compact)
            if m.end() > m.start()
        ]

    def starts_line(self, offset: int) -> bool:
        """True when only whitespace, or an item number (「3 」「(2)」「3.」), stands between the
        start of its line and ``offset``: the label is a heading."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return _HEADING_PREFIX.fullmatch(self.text[line_start:offset]) is not None

    def inside_word(self, offset: int) -> bool:
        """True when the character just before ``offset`` (same line) is a letter, kana or kanji: a
        label's words found there are the tail of a longer word (「再委託する…」), not a label."""
        if offset == 0 or self.starts_line(offset):
            return False
        before = self.text[offset - 1]
        return before.isalnum() and not before.isdigit()

    def line_number_at(self, offset: int) -> int | None:
        """The document line number of the line holding ``offset``."""
        if not self._numbers:
            return None
        return self._numbers[bisect.bisect_right(self._line_starts, offset) - 1]

    def lines_between(self, start: int, end: int | None = None) -> list[str]:
        """The non-empty stripped lines of the text between two offsets, keeping their line numbers."""
        chunk = self.text[start:end]
        first = bisect.bisect_right(self._line_starts, start) - 1
        out: list[str] = []
        for k, piece in enumerate(chunk.split("\n")):
            text = piece.strip()
            if text:
                number = self._numbers[first + k] if self._numbers else None
                out.append(Line(text, number) if number is not None else text)
        return out


def find_in_order(region: Region, labels: list[tuple[str, str]], start: int = 0) -> list[Found]:
    """Find ``labels`` (name, compact regex) in the order given, each after the previous one found.

    A label that is not found is skipped (the caller warns), and the search for the next one continues
    from the last label found, so one missing field does not lose the rest of the form. A hit inside a
    line is refused when a later label stands as a heading (at the start of a line) before it: the
    words of a label (「記録媒体」) then occur in some value (「外部記録媒体を接続できない」), not as a field.
    """
    found: list[Found] = []
    cursor = start
    for index, (name, pattern) in enumerate(labels):
        hit = region.search(name, pattern, cursor)
        while hit is not None and region.inside_word(hit.start) and not region.text[hit.end : hit.end + 1].isspace():
            # 「再委託する業務の内容及び…」 holds no label; a cell run into the one before it
            # (「…住民課登録業務の名称 ・個人番号…」) is still followed by a space.
            hit = region.search(name, pattern, hit.end)
        if hit is not None and not region.starts_line(hit.start):
            later = (region.search(n, p, cursor) for n, p in labels[index + 1 :])
            if any(h is not None and h.start < hit.start and region.starts_line(h.start) for h in later):
                hit = None
        if hit is not None:
            found.append(hit)
            cursor = hit.end
    return found


def find_any_order(region: Region, labels: list[tuple[str, str]], start: int = 0) -> list[Found]:
    """:func:`find_in_order`, then each label it missed looked for as a heading (at the start of a line)
    anywhere after ``start`` — a form that prints its fields in another order — kept when it overlaps
    no label found; sorted by place."""
    found = find_in_order(region, labels, start)
    names = {h.name for h in found}
    for name, pattern in labels:
        if name in names:
            continue
        hit = region.search(name, pattern, start)
        while hit is not None and not region.starts_line(hit.start):
            # Out of order, only a heading counts: 「記録媒体」 inside 「外部記録媒体を接続できない…」 is not one.
            hit = region.search(name, pattern, hit.end)
        if hit is not None and not any(hit.start < h.end and h.start < hit.end for h in found):
            found.append(hit)
    return sorted(found, key=lambda h: h.start)


def values(region: Region, found: list[Found], end: int | None = None) -> dict[str, list[str]]:
    """The lines of each label's value: from the label's end to the next label's start."""
    out: dict[str, list[str]] = {}
    for index, hit in enumerate(found):
        stop = found[index + 1].start if index + 1 < len(found) else end
        lines = region.lines_between(hit.end, stop)
        while lines and _NUMBER_ONLY.fullmatch(lines[-1]):
            lines.pop()  # the number of the next field's heading (「3.委託の内容」), not this value
        out[hit.name] = lines
    return out


_HEADING_PREFIX = re.compile(r"\s*(?:\(?\d{1,2}[.)]?|\(\d{1,2}\)|〔\d{1,2}〕|[IVX]{1,4}|【)?\s*")
_NUMBER_ONLY = re.compile(r"\(?\d{1,2}[.)]?|[(（]\d{1,2}[)）]")
