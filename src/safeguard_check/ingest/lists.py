"""Split the lines of one field into numbered items, sub-items, bullets and ※ notes.

Council forms number their measures 「１ …」, nest 「⑴ …」 (NFKC: ``(1)``) under them, and list contract
clauses as 「・…」 bullets. Because a line may break anywhere, a line that merely *starts* with a digit
(「706 号）」…」 after a break inside 「第 706 号」) must not open an item. A line opens item N when

* N is the next number of the list (1 for the first), or
* the text before it ended a sentence (「。」) and N has not been used in this list — so a list whose
  items were reordered, or with one item deleted, is still read item by item.

Sub-items follow the same rule within their item. A bullet opens at the start of a line after a
finished sentence (a bullet counts as one) or at the start of the field; elsewhere 「・」 is the
middle dot of 「閲覧者・更新者」 continuing the line before. A ※ at the start of a line opens a note. An item that
starts in the middle of a line after 「。」 (text re-flowed into paragraphs) is split off when its number
is the next one expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from safeguard_check.ingest.text import join_lines, line_number, numbered

_TOP = re.compile(r"(\d{1,2})(?:\s+|\.\s*)(?=\S)")
_SUB = re.compile(r"\((\d{1,2})\)\s*(?=\S)")
# A third level: 「①」 and 「ア」, which ingest/text.py writes as 「〔1〕」 (NFKC would make ① a bare 1).
_CIRC = re.compile(r"〔(\d{1,2})〕\s*(?=\S)")
_BULLET = re.compile(r"[・•●]\s*(?=\S)")
_NOTE = re.compile(r"※(?![)）])")
_MID_TOP = re.compile(r"。\s*(\d{1,2})(?:\.\s*|\s+)(?=\S)")
_MID_SUB = re.compile(r"。\s*\((\d{1,2})\)\s*(?=\S)")
_NESTED = re.compile(r"《\d{1,2}》")
"""A fourth level (ingest/text.py writes 「(ｱ)」, and ア under ①, as 《n》): sentences of the item's text."""
_MAX_ITEM = 99

Kind = Literal["intro", "item", "sub", "circ", "bullet", "note"]


@dataclass
class Unit:
    """One item, sub-item, bullet, note or the intro before the first item, with its own lines."""

    kind: Kind
    number: int | None
    lines: list[str] = field(default_factory=list)
    subs: list[Unit] = field(default_factory=list)
    bullets: list[Unit] = field(default_factory=list)
    circs: list[Unit] = field(default_factory=list)
    """Third-level items (①, ア) under this unit."""

    @property
    def text(self) -> str:
        """The unit's own text (without sub-items and bullets), lines rejoined."""
        return join_lines(self.lines)

    @property
    def first_line(self) -> int | None:
        """The document line the unit starts on (its own text, else its first bullet or sub-item)."""
        for line in self.lines:
            if (number := line_number(line)) is not None:
                return number
        return min(
            (n for unit in (*self.bullets, *self.subs, *self.circs) if (n := unit.first_line) is not None),
            default=None,
        )


@dataclass
class Block:
    """A parsed field: the intro text, the numbered items and the ※ notes."""

    intro: Unit
    items: list[Unit]
    notes: list[Unit]


class _Parser:
    def __init__(self) -> None:
        self.intro = Unit("intro", None)
        self.items: list[Unit] = []
        self.notes: list[Unit] = []
        self.current: Unit = self.intro  # where continuation lines go
        self.item: Unit | None = None  # the open top-level item
        self.sub: Unit | None = None  # the open sub-item
        self.circ: Unit | None = None  # the open third-level item (①, ア)
        self.used_top: set[int] = set()
        self.used_sub: set[int] = set()
        self.fed: str = ""

    def _sentence_done(self) -> bool:
        # True at the start of the field too: the first line may open an item.
        if self.current.kind == "bullet":
            return True  # a list of bullets ends its sentence even without 「。」
        last = self.current.lines[-1] if self.current.lines else ""
        if not last:
            return self.current is self.intro and not self.intro.lines
        return last.endswith("。")

    def _next_top(self) -> int:
        return (self.item.number or 0) + 1 if self.item is not None else 1

    def _next_sub(self) -> int:
        return (self.sub.number or 0) + 1 if self.sub is not None else 1

    def _accept(self, n: int, expected: int, used: set[int]) -> bool:
        if n == expected and n not in used:
            return True
        return self._sentence_done() and n not in used and 0 < n <= _MAX_ITEM

    def feed(self, line: str) -> None:
        self.fed = line  # every piece placed below is cut from this line and keeps its number
        pending = [line]
        while pending:
            rest = self._place(pending.pop(0))
            if rest:
                pending.insert(0, rest)

    def _place(self, line: str) -> str | None:
        m = _TOP.match(line)
        if m and self._accept(int(m.group(1)), self._next_top(), self.used_top):
            n = int(m.group(1))
            self.item = Unit("item", n)
            self.items.append(self.item)
            self.used_top.add(n)
            self.sub = None
            self.circ = None
            self.used_sub = set()
            self.current = self.item
            return self._add(line[m.end() :])
        m = _SUB.match(line)
        if m and self._accept(int(m.group(1)), self._next_sub(), self.used_sub):
            n = int(m.group(1))
            self.sub = Unit("sub", n)
            (self.item.subs if self.item is not None else self.intro.subs).append(self.sub)
            self.used_sub.add(n)
            self.circ = None
            self.current = self.sub
            return self._add(line[m.end() :])
        m = _CIRC.match(line)
        if m:
            # Circled numbers and katakana only ever mark items: no sentence check is needed.
            self.circ = Unit("circ", int(m.group(1)))
            (self.sub or self.item or self.intro).circs.append(self.circ)
            self.current = self.circ
            return self._add(line[m.end() :])
        m = _BULLET.match(line)
        if m and (self.current.kind == "bullet" or self._sentence_done()):
            bullet = Unit("bullet", None)
            owner = self.circ or self.sub or self.item or self.intro
            owner.bullets.append(bullet)
            self.current = bullet
            return self._add(line[m.end() :])
        m = _NOTE.match(line)
        if m:
            note = Unit("note", None)
            self.notes.append(note)
            self.current = note
            return self._add(line)
        if self.current.kind == "bullet" and _NESTED.match(line):
            # 「《3》 従事者には…」 after the bullets of 「《2》 …次の事項を遵守させる。」: the next sentence of the
            # item the bullets hang from, not a continuation of the last bullet.
            self.current = self.circ or self.sub or self.item or self.intro
        return self._add(line)

    def _add(self, text: str) -> str | None:
        # Split off an item that starts mid-line after 「。」 (only the next number is trusted there).
        for pattern, expected in ((_MID_TOP, self._next_top()), (_MID_SUB, self._next_sub())):
            for m in pattern.finditer(text):
                if int(m.group(1)) == expected:
                    head, rest = text[: m.start() + 1], text[m.start() + 1 :].lstrip()
                    if head:
                        self.current.lines.append(numbered(head, self.fed))
                    return rest
        if text:
            self.current.lines.append(numbered(text, self.fed))
        return None


def parse_list(lines: list[str] | tuple[str, ...]) -> Block:
    """Parse the lines of one field (see the module docstring for the rules)."""
    parser = _Parser()
    for line in lines:
        parser.feed(line)
    return Block(parser.intro, parser.items, parser.notes)
