"""Text transformations that must not change what ingest reads (or must change only one thing).

They work on the raw document text (as extracted from the PDF), the way a different PDF layout, a
different extraction tool or a person editing the text would change it.
"""

from __future__ import annotations

import re

_FULL = "０１２３４５６７８９"
_HALF = "0123456789"
# A measure item as printed: a digit (either width) and a space (either width) at the start of a line.
_ITEM = re.compile(r"^\s*([０-９0-9]+)[ \u3000]")
# Where a measure list ends: the next 【…】 category or the label of the next section or sheet.
_BLOCK_END = re.compile(r"【|行わせる情|区が行う情|別紙")


def rewrap(text: str, width: int, blank: bool = True) -> str:
    """Break every line into pieces of ``width`` characters (with blank lines between, as PDF
    extraction leaves them). Words and numbers are split wherever the width falls."""
    out: list[str] = []
    for line in text.split("\n"):
        body = line.strip()
        if len(body) <= width:
            out.append(line)
            continue
        pieces = [body[i : i + width] for i in range(0, len(body), width)]
        out.append(("\n\n" if blank else "\n").join(pieces))
    return "\n".join(out)


def to_half_width_digits(text: str) -> str:
    """Full-width digits → ASCII digits."""
    return text.translate(str.maketrans(_FULL, _HALF))


def to_full_width_digits(text: str) -> str:
    """ASCII digits → full-width digits."""
    return text.translate(str.maketrans(_HALF, _FULL))


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of every measure list: after a 【…の対策】 line up to its end."""
    out = []
    i = 0
    while i < len(lines):
        if "の対策】" in lines[i]:
            j = i + 1
            while j < len(lines) and not _BLOCK_END.search(lines[j]):
                j += 1
            out.append((i + 1, j))
            i = j
        else:
            i += 1
    return out


def _items(lines: list[str], first: int, end: int) -> tuple[list[str], list[list[str]], list[str]]:
    """Split a block into (lines before item 1, items as line lists, trailing blank lines)."""
    head: list[str] = []
    items: list[list[str]] = []
    for line in lines[first:end]:
        if _ITEM.match(line):
            items.append([line])
        elif items:
            items[-1].append(line)
        else:
            head.append(line)
    tail: list[str] = []
    while items and items[-1] and not items[-1][-1].strip():
        tail.insert(0, items[-1].pop())
    return head, items, tail


def reorder_measures(text: str, renumber: bool = True) -> str:
    """Reverse the order of the items of every measure list; renumber them 1.. (full width) or keep
    the printed numbers."""
    lines = text.split("\n")
    for first, end in reversed(_blocks(lines)):
        head, items, tail = _items(lines, first, end)
        items.reverse()
        if renumber:
            for n, item in enumerate(items, start=1):
                item[0] = _ITEM.sub(
                    lambda m, n=n: str(n).translate(str.maketrans(_HALF, _FULL)) + " ", item[0], count=1
                )
        lines[first:end] = head + [ln for item in items for ln in item] + tail
    return "\n".join(lines)


def delete_item(text: str, needle: str, occurrence: int = 1) -> str:
    """Delete the measure item whose first line contains ``needle`` (its ``occurrence``-th match)."""
    lines = text.split("\n")
    seen = 0
    for first, end in _blocks(lines):
        for index in range(first, end):
            if _ITEM.match(lines[index]) and needle in lines[index]:
                seen += 1
                if seen == occurrence:
                    stop = index + 1
                    while stop < end and not _ITEM.match(lines[stop]):
                        stop += 1
                    return "\n".join(lines[:index] + lines[stop:])
    raise ValueError(f"no item starting with {needle!r} (occurrence {occurrence})")
