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

import string
import unicodedata


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


def normalize_text(s: str) -> str:
    """NFKC-normalise ``s`` and strip leading and trailing ASCII whitespace.

    ``ＩＤ`` → ``ID``, ``０１２３`` → ``0123``, ``ｶﾀｶﾅ`` → ``カタカナ``. An ideographic space at either
    end is removed too, because NFKC turns it into an ASCII space first.
    """
    return unicodedata.normalize("NFKC", s).strip(string.whitespace)


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
        return unicodedata.normalize("NFKC", value)
    if isinstance(value, dict):
        done = memo.get(id(value))
        if done is not None:
            return done
        out_dict: dict[object, object] = {}
        # Registered before recursing, so a mapping that contains itself refers to the copy.
        memo[id(value)] = out_dict
        originals: dict[object, object] = {}
        for key, item in value.items():
            new_key = unicodedata.normalize("NFKC", key) if isinstance(key, str) else key
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
