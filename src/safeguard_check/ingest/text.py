"""Repair text extracted from a council PDF: normalise it, drop page furniture, join broken lines.

PDF extraction (and the text files offices make from PDFs) breaks Japanese text in ways that carry no
meaning: a word split over two lines (「ウ\\nイルス」, 「ユ\\n\\nーザＩＤ」), blank lines inside a sentence,
spaces at both ends of every line, spaces between digits and kanji (「第 706 号」), full-width digits
and letters, and page furniture (the 資料番号 「資料３０」 and page numbers at the top or bottom of
pages). Japanese has no spaces between words, so joining the pieces of a broken line with nothing in
between restores the text; only a space between two kana/kanji words (「エヌ・ティ・ティ マーケティング」)
is kept, because there it was written on purpose.

The structure (labels, numbered items) is recognised later on the repaired *lines*; this module only
makes the lines trustworthy and provides the joining and compacting used everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# 資料番号 as page furniture: a line that is only 「資料30」 or 「資料30-1」.
_DOC_NUMBER = re.compile(r"資料\s*(\d+(?:\s*[-‐－―]\s*\d+)?)")
# Page numbers: 「1」, 「- 1 -」, 「1/5」, 「1 / 5」, 「P.1」.
_PAGE_NUMBER = re.compile(r"(?:[-‐－―—–]\s*)?(?:P\.?\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-‐－―—–])?")
# A dashed page number (「- 3 -」, 「3/12」) cannot be content even in the middle of a page.
_DASHED_PAGE_NUMBER = re.compile(r"[-‐－―—–]\s*\d{1,3}\s*[-‐－―—–]|\d{1,3}\s*/\s*\d{1,3}")
_WS = re.compile(r"\s+")
# Hyphen-like characters that NFKC leaves alone. A CID font maps the full-width hyphen-minus 「－」 and
# the minus sign 「−」 to one glyph, so extraction may give either for 「資料30－2」; both become "-".
_DASHES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\uff0d": "-"})
# Characters after which (or before which) a space is never meaningful in Japanese text.
_CJK_PUNCT = "、。，．・：；？！「」『』（）［］【】〔〕｛｝〈〉《》()[]{}:;,.!?…‥〜～ー―"


class Line(str):
    """A repaired line that remembers where it stands in the text as given: its 1-based line number.

    The structure is read from these lines and the draft's parts are traced back through them, so a
    finding about a measure of a text document points at the line its sentence starts on. Slices
    and other string operations give plain ``str``; code that keeps a piece of a line wraps it again
    with :func:`numbered`.
    """

    number: int | None

    def __new__(cls, text: str, number: int | None) -> Line:
        line = super().__new__(cls, text)
        line.number = number
        return line


def line_number(line: str) -> int | None:
    """The line number a (possibly plain) line carries, if any."""
    return getattr(line, "number", None)


def numbered(text: str, like: str) -> str:
    """``text`` carrying the line number of ``like`` (a piece cut from it)."""
    number = line_number(like)
    return Line(text, number) if number is not None else text


@dataclass(frozen=True)
class Repaired:
    """Repaired lines (NFKC, stripped, non-empty) and what was removed as page furniture."""

    lines: tuple[str, ...]
    """:class:`Line` objects: each knows its line number in the text given to :func:`repair`."""
    document_number: str | None
    """The 資料番号 (e.g. ``資料30``) found as page furniture, if any."""
    furniture: tuple[str, ...]
    """Lines removed as page furniture, for the review warnings."""


def compact(s: str) -> str:
    """NFKC with every whitespace character removed: the form used for matching phrases and labels."""
    return _WS.sub("", unicodedata.normalize("NFKC", s))


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # kanji
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms left after NFKC (e.g. ｰ is gone, （ is not)
        or ch in _CJK_PUNCT
    )


def clean_spaces(s: str) -> str:
    """Collapse runs of spaces; drop those next to punctuation or between a kanji/kana and an ASCII word.

    「第 706 号」→「第706号」, 「株式会社 DNP データテクノ」→「株式会社DNPデータテクノ」; a space between
    two kana/kanji words and one between two ASCII words is kept as one space.
    """
    s = _WS.sub(" ", s).strip()
    out: list[str] = []
    for i, ch in enumerate(s):
        if ch == " ":
            prev, nxt = s[i - 1], s[i + 1]
            if prev in _CJK_PUNCT or nxt in _CJK_PUNCT:
                continue
            if _is_cjk(prev) != _is_cjk(nxt):
                continue
        out.append(ch)
    return "".join(out)


def join_lines(lines: list[str] | tuple[str, ...]) -> str:
    """The lines of one sentence or paragraph as one string (broken words rejoined, spaces cleaned)."""
    return clean_spaces("".join(line.strip() for line in lines))


def _page_furniture(line: str, multi_page: bool) -> bool:
    if _DOC_NUMBER.fullmatch(line):
        return True
    # A lone number is only a page number where there are pages: in a single text a line can be the
    # tail of a broken sentence (「平成15」), which must not be lost.
    return multi_page and _PAGE_NUMBER.fullmatch(line) is not None


_CIRCLED = {chr(0x2460 + k): k + 1 for k in range(20)}  # ①..⑳
_KANJI_NUMBERS = {ch: k + 1 for k, ch in enumerate("一二三四五六七八九十")}
_KATAKANA_NUMBERS = {
    ch: k + 1
    for letters in (
        "アイウエオカキクケコサシスセソ",
        "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿ",
        "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯ",
        "ABCDEFGHIJKLMNO",
    )
    for k, ch in enumerate(letters)
}
"""Third-level markers: katakana (full or half width: 「ｱ」 is what many word processors print) and
capital letters (「Ａ　…」), all written 〔n〕 for the list parser."""
_MARKER = re.compile(
    r"^(?P<pad>[\s\u3000]*)(?P<mark>[①-⑳])\s*"
    r"|^(?P<pad2>[\s\u3000]*)(?P<word>[一二三四五六七八九十アイウエオカキクケコサシスセソｱ-ｿＡ-ＯA-O])[\s\u3000]+"
    r"|^(?P<pad3>[\s\u3000]*)(?P<letter>[a-zａ-ｚ])[)）][\s\u3000]*"
    r"|^(?P<pad4>[\s\u3000]*)[(（](?P<kana>[アイウエオカキクケコサシスセソｱ-ｿ])[)）][\s\u3000]*"
)


def _numbering(line: str, nested: bool = False) -> str:
    # Item markers NFKC would lose or that the list parser does not know, at the start of a line:
    # 「①」 (NFKC: a bare 「1」), 「ア　」「ｱ 」「Ａ　」 → 「〔1〕 」, the parser's third level; 「一　」 → 「1 」;
    # 「a)」 → a 「・」 bullet.
    # Only before a space for kanji and katakana: a sentence may start with 「一部」 or 「アクセス」.
    m = _MARKER.match(line)
    if m is None:
        return line
    rest = line[m.end() :]
    if m.group("mark"):
        return f"{m.group('pad')}〔{_CIRCLED[m.group('mark')]}〕 {rest}"
    if m.group("kana"):
        # 「(ｱ)」「（イ）」 under 「ア 本市が講ずる措置」: one level below the bare katakana, kept as the
        # sentences of that item's text (《n》), as nested items are.
        return f"{m.group('pad4')}《{_KATAKANA_NUMBERS[m.group('kana')]}》 {rest}"
    if m.group("letter"):
        # 「a) 秘密の保持」: a lettered list is the lowest level, read as bullets (contract clauses).
        return f"{m.group('pad3')}・{rest}"
    word = m.group("word")
    if word in _KANJI_NUMBERS:
        return f"{m.group('pad2')}{_KANJI_NUMBERS[word]} {rest}"
    if nested:
        # The document numbers with ① as well: its ア / ｱ / Ａ items sit one level below ①, a level
        # the list parser does not number; 《n》 keeps them as sentences of the ① item's text.
        return f"{m.group('pad2')}《{_KATAKANA_NUMBERS[word]}》 {rest}"
    return f"{m.group('pad2')}〔{_KATAKANA_NUMBERS[word]}〕 {rest}"


def repair(raw: str) -> Repaired:
    """NFKC, strip every line, drop blank lines and page furniture at the edges of pages.

    Pages are separated by form feeds (``\\f``, as pdfminer writes them); text without any is one page.
    Furniture is looked for among the first and last two lines of a page, where headers and footers
    are printed, so content that happens to look like a page number is kept. In a multi-page text, a
    資料番号 seen at a page edge and dashed page numbers (「- 3 -」) are removed wherever they occur.
    """
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nested = any((m := _MARKER.match(line)) is not None and m.group("mark") for line in raw_lines)
    raw = "\n".join(_numbering(line, nested) for line in raw_lines)
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    pages = text.split("\f")
    multi_page = sum(1 for p in pages if p.strip()) > 1
    out: list[str] = []
    removed: list[str] = []
    document: str | None = None
    split = [_tables(lines) for lines in _numbered_pages(pages)]
    # Headers found at the edge of a page are removed wherever else they turn up: layout analysis
    # can place a right-aligned header after the first lines of the body.
    headers = {
        line for lines in split for line in (lines[:2] + lines[-2:]) if multi_page and _DOC_NUMBER.fullmatch(line)
    }
    for lines in split:
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        for index, line in enumerate(lines):
            anywhere = line in headers or (multi_page and _DASHED_PAGE_NUMBER.fullmatch(line) is not None)
            if anywhere or (index in edge and _page_furniture(line, multi_page)):
                m = _DOC_NUMBER.fullmatch(line)
                if m and document is None:
                    document = "資料" + _WS.sub("", m.group(1))
                removed.append(line)
                continue
            out.append(line)
    return Repaired(tuple(out), document, tuple(removed))


_CELL_MAX = 30
"""A header cell is a short label: longer, or with 「。」, it is text, and the line is not a header."""


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _tables(lines: list[Line]) -> list[Line]:
    # A table kept as tab-separated cells (a word processor's or spreadsheet's copy): a header row of
    # short labels (「委託先 委託内容 再委託の有無 再委託先」) over rows of as many cells. Each row becomes
    # one line per cell, 「label value」, numbered as the row: read as the form's labelled fields, so the
    # header's words are never taken for the values (parties, measures) of a row.
    out: list[Line] = []
    header: list[str] | None = None
    for line in lines:
        cells = _cells(line) if "\t" in line else []
        if header is not None and len(cells) == len(header) and sum(1 for c in cells if c) >= len(header) - 1:
            out.extend(Line(f"{label} {cell}", line.number) for label, cell in zip(header, cells, strict=True) if cell)
            continue
        if len(cells) >= 2 and all(c and len(c) <= _CELL_MAX and "。" not in c for c in cells):
            # 「再委託先及び再委託の内容」: the cell holds the first (the name), the rest in brackets.
            header = [c.split("及び")[0] if "及び" in c else c for c in cells]
            continue  # the header's labels are repeated on each row's lines
        header = None if not cells else header
        out.append(line)
    return out


def _numbered_pages(pages: list[str]) -> list[list[Line]]:
    # Each page's stripped, non-empty lines with their numbers in the whole text. A form feed ends a
    # page without ending the line (pdfminer writes it after the page's last newline), so the line
    # count runs on across pages: a line's number is one more than the newlines before it.
    out: list[list[Line]] = []
    first = 1
    for page in pages:
        pieces = page.split("\n")
        out.append([Line(text, first + k) for k, raw_line in enumerate(pieces) if (text := raw_line.strip())])
        first += len(pieces) - 1
    return out


_OPEN = "(「『[【"
_CLOSE = ")」』]】"
_MAX_BRACKET = 150
_HEADING_MAX = 30
_STANDALONE_HEADING = 12
_LINE_MARKER = re.compile(r"\s*(?:\(\d{1,2}\)|〔\d{1,2}〕|《\d{1,2}》|\d{1,2}(?:\.|\s)|[・•])\s*")
"""A bracket left open longer than this (a truncated copy) no longer holds a sentence together."""


def sentences(lines: list[str] | tuple[str, ...]) -> list[tuple[str, int | None]]:
    """The sentences of ``lines`` (joined as Japanese text is), each with the line it starts on.

    A sentence ends at 「。」 outside brackets (「(以下「機構」という。)」 ends none) and before a 「・」
    bullet that opens a line or follows a space.
    """
    out: list[tuple[str, int | None]] = []
    current: list[str] = []
    start: int | None = None
    opened: list[int] = []  # positions (in the sentence) of brackets still open
    for line in lines:
        number = line_number(line)
        text = str(line)
        marker = _LINE_MARKER.match(text)
        if marker is not None:
            # A numbered or bulleted line opens a new sentence; the marker is not part of it.
            if current:
                out.append((clean_spaces("".join(current)), start))
                current = []
            opened.clear()
            text = text[marker.end() :]
            if len(text) <= _HEADING_MAX and "。" not in text and "、" not in text:
                out.append((clean_spaces(text), number))  # a numbered heading is a sentence of its own
                continue
        if (
            not current
            and len(text) <= _STANDALONE_HEADING
            and not any(ch in text for ch in "。、")
            and not ("\u3041" <= text[-1:] <= "\u309f")  # 「委託先は」 opens a sentence; a heading ends in a noun
        ):
            out.append((clean_spaces(text), number))  # 「特記事項」 alone on its line after a sentence
            continue
        for index, ch in enumerate(text):
            bullet = ch == "・" and (index == 0 or text[index - 1].isspace())
            if bullet and not opened and current:
                out.append((clean_spaces("".join(current)), start))
                current = []
            if not current:
                if ch.isspace() or bullet:
                    continue
                start = number
            current.append(ch)
            if ch in _OPEN:
                opened.append(len(current))
            elif ch in _CLOSE and opened:
                opened.pop()
            if opened and len(current) - opened[0] > _MAX_BRACKET:
                opened.clear()
            if (ch == "。" and not opened) or (ch == "]" and index == len(text) - 1):
                # A sentence ends at 「。」, and a PIA row at its checkbox answer (「… [ 制限している ]」).
                out.append((clean_spaces("".join(current)), start))
                current = []
    if current:
        out.append((clean_spaces("".join(current)), start))
    return [(text, line) for text, line in out if compact(text)]
