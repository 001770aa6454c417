"""Unicode normalisation of declaration text.

Council documents mix full-width and half-width forms freely — ``ＩＤ`` and ``ID``, ``２０２０`` and
``2020``, ``ｶﾞ`` and ``ガ``, an ideographic space and an ASCII one — often within one file, because
they are typed by different people or pasted from Word, Excel and PDFs. NFC only composes and orders
combining marks and leaves all of those distinct, so ``ＩＤ`` would not match the key ``ID`` and a
full-width role code would not be found in the vocabulary. NFKC also folds the compatibility forms:
full-width ASCII to ASCII, half-width katakana to full-width (joining ``ｶﾞ`` into one ``ガ``), the
ideographic space to a space, and the era squares ``㍻``/``㋿`` to ``平成``/``令和``.

The cost is that NFKC also rewrites a few characters that carry meaning elsewhere (``①`` → ``1``,
``㈱`` → ``(株)``); for matching names, codes and keys in a declaration that is the wanted behaviour.
"""

from __future__ import annotations

import re
import string
import unicodedata

# Compatibility characters common in Japanese documents, each replaced by its full compatibility
# decomposition before NFKC runs (see nfkc): full-width ASCII and the ideographic space, half-width
# katakana and punctuation, ‥ …, circled numbers ①–⑳, ㈱ ㈲ and the era squares ㍻ ㍼ ㍽ ㍾ ㋿.
_FOLDED = (
    *range(0xFF01, 0xFF5F),
    *range(0xFF61, 0xFFA0),
    0x3000,
    0x2025,
    0x2026,
    *range(0x2460, 0x2474),
    0x3231,
    0x3232,
    *range(0x337B, 0x337F),
    0x32FF,
)
_FOLD = re.compile("[" + "".join(map(chr, _FOLDED)) + "]+")
_DECOMPOSE = str.maketrans({code: unicodedata.normalize("NFKD", chr(code)) for code in _FOLDED})


class NormalizedKeyCollisionError(ValueError):
    """Two keys of one mapping become equal after NFKC (``ＩＤ`` and ``ID``).

    Raised instead of letting the later value silently replace the earlier one. ``message_key`` follows
    the message catalogue's naming; ``normalized`` is the shared key, ``first``/``second`` the originals.
    """

    message_key = "normalize.key_collision"

    def __init__(self, normalized: str, first: str, second: str) -> None:
        super().__init__(normalized, first, second)
        self.normalized = normalized
        self.first = first
        self.second = second

    def __str__(self) -> str:
        return f"keys {self.first!r} and {self.second!r} both normalise to {self.normalized!r}"


def nfkc(s: str) -> str:
    """``unicodedata.normalize("NFKC", s)``, faster for the text of Japanese documents.

    CPython's NFKC is slow once a string needs any change (about 0.3 µs a character on a
    60-character sentence), and Japanese sentences usually need it only for a few compatibility
    characters: full-width brackets, digits and letters, the ideographic space, ``…``. Replacing a
    character by its full compatibility decomposition does not change a string's NFKD, hence not its
    NFKC, so those are replaced first (quickly), and the result is returned when it is already
    normalised; otherwise (a voiced mark after half-width katakana, a rarer character) the full
    algorithm runs on it and gives what it gives on ``s``.
    """
    if s.isascii() or unicodedata.is_normalized("NFKC", s):
        return s
    folded = _FOLD.sub(_decompose, s)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", folded)


def _decompose(match: re.Match[str]) -> str:
    return match[0].translate(_DECOMPOSE)


def normalize_text(s: str) -> str:
    """NFKC-normalise ``s`` and strip leading and trailing ASCII whitespace.

    ``ＩＤ`` → ``ID``, ``０１２３`` → ``0123``, ``ｶﾀｶﾅ`` → ``カタカナ``. An ideographic space at either
    end is removed too, because NFKC turns it into an ASCII space first.
    """
    return nfkc(s).strip(string.whitespace)


def normalize_tree(value: object) -> object:
    """A copy of ``value`` with every string NFKC-normalised, in dict keys and values and in lists.

    Other types are returned unchanged; the input is never mutated. Strings are not stripped: in a
    literal block scalar the whitespace is content, and trimming belongs to the field that reads it.
    Shared and self-referencing containers (YAML anchors and aliases) stay shared in the copy, so an
    alias-heavy document is not expanded into many copies. Raises
    :class:`NormalizedKeyCollisionError` when two keys of one mapping normalise to the same key.
    """
    return _normalize(value, {})


def _normalize(value: object, memo: dict[int, object]) -> object:
    if isinstance(value, str):
        return nfkc(value)
    if isinstance(value, dict):
        done = memo.get(id(value))
        if done is not None:
            return done
        out_dict: dict[object, object] = {}
        # Registered before recursing, so a mapping that contains itself refers to the copy.
        memo[id(value)] = out_dict
        originals: dict[object, object] = {}
        for key, item in value.items():
            new_key = nfkc(key) if isinstance(key, str) else key
            if new_key in originals:
                raise NormalizedKeyCollisionError(str(new_key), str(originals[new_key]), str(key))
            originals[new_key] = key
            out_dict[new_key] = _normalize(item, memo)
        return out_dict
    if isinstance(value, list):
        done = memo.get(id(value))
        if done is not None:
            return done
        out_list: list[object] = []
        memo[id(value)] = out_list
        out_list.extend(_normalize(item, memo) for item in value)
        return out_list
    return value
