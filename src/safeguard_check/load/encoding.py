"""Turn the bytes of a declaration file into text.

Municipal offices send files written in whatever their editor saves by default: UTF-8 (with or
without a BOM), UTF-16 from Windows Notepad "Unicode", or Shift_JIS — in practice Microsoft's CP932,
which adds NEC special characters (①, ㈱, №) and IBM extended kanji (髙, 﨑) that plain Shift_JIS
lacks. Only those encodings are supported, and the choice between them is made by strict decoding
alone, so the same bytes always give the same answer.

Order of decision:

1. A UTF-16 byte order mark decides: LE/BE BOM → ``utf-16-le``/``utf-16-be``.
2. A NUL byte otherwise means a binary file (a spreadsheet, a PDF, BOM-less UTF-16).
3. A UTF-8 BOM → strict UTF-8 as ``utf-8-sig``, with no CP932 fallback: the BOM is an explicit claim.
4. Strict UTF-8. Strict UTF-8 is preferred whenever it succeeds: Japanese Shift_JIS text is almost
   never valid UTF-8 (its kana and most kanji start with bytes UTF-8 reserves for continuations), but a
   very short CP932 byte string can be — ``"ﾃｩ"`` in CP932 is ``C3 A9``, which is UTF-8 ``"é"``. Such
   inputs are read as UTF-8; for real declarations the ambiguity does not arise.
5. Strict CP932.
6. Neither: ``decode.mixed`` when the file is clearly UTF-8 up to the failure (a BOM, or at least two
   non-ASCII characters decoded as UTF-8) and the failing part reads as CP932 — someone pasted
   Shift_JIS text into a UTF-8 file — else ``decode.undecodable``. Either way the position of the first
   byte that is not UTF-8 is reported.

Known limit: a mixed file whose UTF-8 part happens to be valid CP932 as well is read as CP932 (step 5)
and shows mojibake in that part. About four in five lines of Japanese UTF-8 are not valid CP932, and
every UTF-8 line must be, so a file with a few such lines practically never gets through; a one-line
file can. Treating a strong UTF-8 prefix as proof of mixing would catch that, but would also reject
genuine CP932 files whose first characters happen to be valid UTF-8.

Text is returned with the BOM removed and every line break (``\\r\\n``, ``\\r``) turned into ``\\n``, so
line numbers reported later agree with what editors show.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# charset-normalizer is deliberately not consulted. Its answer is a statistical guess over dozens of
# encodings that can change between releases, so the same file could pass on one machine and fail on
# another. With only UTF-8 and CP932 in play, strict decoding already separates them for any realistic
# Japanese text, and the only ambiguous inputs (a few bytes long) are settled by a fixed rule.

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_TEXT_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# How many non-ASCII characters must decode as UTF-8 before the failure for the file to count as
# "UTF-8 with pasted Shift_JIS". The decision is only reached when CP932 failed on the whole file too,
# so it chooses between two messages, never between accepting and rejecting. One character is weak
# evidence: a lone CP932 character can happen to form a valid UTF-8 sequence (see step 4 above).
_MIXED_MIN_UTF8_CHARS = 2


class DecodeError(Exception):
    """Raised when bytes cannot be decoded as any supported encoding.

    ``key`` is a message key (``decode.binary``, ``decode.undecodable``, ``decode.mixed``); ``line`` and
    ``column`` are the 1-based position of the first offending byte when known (the column counts
    characters, not bytes); ``detail`` is a short English fragment such as ``byte 0x82 at offset 120``.
    """

    def __init__(self, key: str, line: int | None, column: int | None, detail: str) -> None:
        # All four go to Exception.args so that the error survives pickling (multiprocessing workers).
        super().__init__(key, line, column, detail)
        self.key = key
        self.line = line
        self.column = column
        self.detail = detail

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where = f" (line {self.line}" + (f", column {self.column})" if self.column is not None else ")")
        return f"{self.key}: {self.detail}{where}"


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding it was read as."""

    text: str
    """BOM removed, line breaks normalised to ``\\n``."""
    encoding: str
    """One of ``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-16-be``, ``cp932``."""


def decode_bytes(data: bytes) -> Decoded:
    """Decode a declaration file's bytes; see the module docstring for the rules.

    Raises :class:`DecodeError` when the bytes are binary, in no supported encoding, or a mixture.
    """
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            return _decode_utf16(data[len(bom) :], encoding, len(bom))

    has_bom = data.startswith(_UTF8_BOM)
    base = len(_UTF8_BOM) if has_bom else 0
    body = data[base:]
    nul = body.find(b"\x00")
    if nul >= 0:
        line, column = _locate_bytes(body, nul)
        raise DecodeError("decode.binary", line, column, f"NUL byte at offset {base + nul}")

    if has_bom:
        try:
            return Decoded(_normalise_newlines(body.decode("utf-8")), "utf-8-sig")
        except UnicodeDecodeError as exc:
            # The BOM is an explicit claim of UTF-8, so there is no CP932 fallback; it also counts as
            # evidence of UTF-8 intent when deciding whether the failing part is pasted Shift_JIS.
            raise _utf8_failure(body, exc.start, base, bom=True) from None

    try:
        return Decoded(_normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_failure = exc.start
    try:
        return Decoded(_normalise_newlines(data.decode("cp932")), "cp932")
    except UnicodeDecodeError:
        raise _utf8_failure(data, utf8_failure, 0, bom=False) from None


def _decode_utf16(body: bytes, encoding: str, base: int) -> Decoded:
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        # Odd length or an unpaired surrogate; everything before exc.start is well formed.
        line, column = _locate_text(body[: exc.start].decode(encoding))
        raise DecodeError(
            "decode.undecodable",
            line,
            column,
            f"invalid {encoding.upper()} at offset {base + exc.start}",
        ) from None
    _reject_nul_text(text, encoding, base)
    return Decoded(_normalise_newlines(text), encoding)


def _reject_nul_text(text: str, encoding: str, base: int) -> None:
    # A NUL character is as much a sign of binary content after decoding as before; accepting it from
    # UTF-16 (or UTF-32, whose LE BOM starts like UTF-16's) but not from UTF-8 would be inconsistent.
    index = text.find("\x00")
    if index >= 0:
        line, column = _locate_text(text[:index])
        offset = base + len(text[:index].encode(encoding))
        raise DecodeError("decode.binary", line, column, f"NUL character at offset {offset}")


def _utf8_failure(body: bytes, start: int, base: int, *, bom: bool) -> DecodeError:
    """The error for ``body`` whose UTF-8 decoding fails at byte ``start`` (``base`` = BOM length)."""
    line, column = _locate_bytes(body, start)
    offset = base + start
    detail = f"byte 0x{body[start]:02X} at offset {offset}"
    prefix = body[:start].decode("utf-8")  # valid by construction: the decoder failed only at start
    utf8_chars = sum(1 for ch in prefix if ord(ch) > 0x7F)
    evidence = bom or utf8_chars >= _MIXED_MIN_UTF8_CHARS
    if evidence and _tail_is_cp932(body, start):
        return DecodeError(
            "decode.mixed", line, column, f"UTF-8 up to offset {offset}, then Shift_JIS/CP932 ({detail})"
        )
    return DecodeError("decode.undecodable", line, column, detail)


def _tail_is_cp932(body: bytes, start: int) -> bool:
    # Pasted text is usually whole lines, so try from the start of the failing line; if UTF-8 and
    # Shift_JIS share that line, the UTF-8 part makes that fail, so also try from the failing byte.
    line_start = max(body.rfind(b"\n", 0, start), body.rfind(b"\r", 0, start)) + 1
    for begin in (line_start, start):
        try:
            body[begin:].decode("cp932")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _locate_bytes(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of byte ``offset``.

    Line breaks are counted on bytes, which is safe for both UTF-8 and CP932: neither uses 0x0A or 0x0D
    inside a multibyte character. The column counts characters of the line's prefix read as UTF-8,
    else CP932, else (unreadable prefix) bytes.
    """
    before = data[:offset]
    line = 1 + len(_BYTE_LINE_BREAK.findall(before))
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    head = before[line_start:]
    for encoding in ("utf-8", "cp932"):
        try:
            return line, len(head.decode(encoding)) + 1
        except UnicodeDecodeError:
            continue
    return line, len(head) + 1


def _locate_text(before: str) -> tuple[int, int]:
    """1-based line and column of the character just after ``before``."""
    line = 1 + len(_TEXT_LINE_BREAK.findall(before))
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, len(before) - line_start + 1


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
