"""Map a sentence to measure codes through the vocabulary's ``phrases`` (data, not code).

A code applies when one of its phrases occurs in the sentence; a sentence can carry several codes
(「ファイアウォール及びウイルス対策ソフトにより」 → ``network.firewall``, ``endpoint.antivirus``).
Matching is on compact text (NFKC, whitespace removed) so that line breaks, full-width letters and
stray spaces from PDF extraction do not matter. Derived codes are never produced: they are computed
from the plan's structure, and the declaration model refuses them.

To add a wording, add it to the code's ``phrases`` in ``data/vocabulary.yaml``; nothing here changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest.text import compact


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, str], ...]:
    """(compact phrase, code) for every non-derived measure code."""
    out: list[tuple[str, str]] = []
    for code, entry in vocabulary().measures.items():
        if entry.derived:
            continue
        out.extend((compact(phrase), code) for phrase in entry.phrases if compact(phrase))
    return tuple(out)


def map_codes(text: str, *, mask: Iterable[str] = (), prefix: str | None = None) -> tuple[str, ...]:
    """Measure codes whose phrases occur in ``text``, ordered by where they first occur.

    ``mask``: wordings to blank out first — names of facts (a transfer method such as
    「暗号化した磁気ディスク」) that the caller records structurally, so the words inside a name do not
    count as a measure of the sentence. ``prefix``: keep only codes starting with it (``contract.`` for
    contract clauses).
    """
    body = compact(text)
    for word in mask:
        word = compact(word)
        if word:
            body = body.replace(word, "\u25a1" * len(word))
    first: dict[str, int] = {}
    for phrase, code in _phrases():
        if prefix is not None and not code.startswith(prefix):
            continue
        at = body.find(phrase)
        if at >= 0 and (code not in first or at < first[code]):
            first[code] = at
    return tuple(sorted(first, key=lambda c: (first[c], c)))


def best_code(text: str, prefix: str) -> tuple[str | None, tuple[str, ...]]:
    """The one code for a contract clause: the earliest-matching ``prefix`` code, and all candidates.

    A clause has a single code in the model; when several match, the caller warns with the candidates.
    """
    codes = map_codes(text, prefix=prefix)
    return (codes[0] if codes else None), codes
