"""Map a sentence to measure codes through the vocabulary's ``phrases`` (data, not code).

A code applies when one of its phrases occurs in the sentence; a sentence can carry several codes
(「ファイアウォール及びウイルス対策ソフトにより」 → ``network.firewall``, ``endpoint.antivirus``).
Matching is on compact text (NFKC, whitespace removed) so that line breaks, full-width letters and
stray spaces from PDF extraction do not matter. Derived codes are never produced: they are computed
from the plan's structure, and the declaration model refuses them.

To add a wording, add it to the code's ``phrases`` in ``data/vocabulary.yaml``; nothing here changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest import morph
from safeguard_check.ingest.patterns import patterns
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


@dataclass(frozen=True)
class Reading:
    """The codes a sentence states as done and those it states as not done (three states per code:
    in ``codes``, in ``not_done``, or in neither = not stated)."""

    codes: tuple[str, ...]
    not_done: tuple[str, ...]


def read_codes(text: str, *, mask: Iterable[str] = (), prefix: str | None = None) -> Reading:
    """Measure codes whose phrases occur in ``text``, ordered by where they first occur, split into
    stated and stated-as-not-done.

    Two passes find a phrase: as a substring of the compact text (the wording it was written from),
    then as a run of Sudachi content lemmas (any inflection or 表記ゆれ: 「記録を行う」 for 「記録する」;
    see :mod:`morph`). A code is stated as not done when its last place in the sentence is negated
    (:func:`morph.negated`), else stated. A code another one found supersedes is dropped
    (``patterns.yaml`` ``supersedes``).

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
    toks = morph.tokens(body) if body else ()
    lemmas = morph.content(toks)
    index = morph.lemma_index(lemmas)
    spans: dict[str, list[tuple[int, int]]] = {}
    for phrase, code in _phrases():
        if prefix is not None and not code.startswith(prefix):
            continue
        found: list[tuple[int, int]] = []
        at = body.find(phrase)
        while at >= 0:
            found.append((at, at + len(phrase)))
            at = body.find(phrase, at + 1)
        found.extend(morph.find(phrase, toks, lemmas, index))
        if found:
            spans.setdefault(code, []).extend(found)
    first = {code: min(start for start, _ in found) for code, found in spans.items()}
    order = sorted(first, key=lambda c: (first[c], c))
    # The place read last decides (「委託先の選定にあたり、…認証取得の有無は確認しない」: the sentence's
    # predicate negates what its opening phrase names).
    done = [c for c in order if not morph.negated(toks, max(end for _, end in spans[c]))]
    dropped = {x for c in order for x in patterns().supersedes.get(c, ())}
    return Reading(
        tuple(c for c in done if c not in dropped),
        tuple(c for c in order if c not in done and c not in dropped),
    )


def map_codes(text: str, *, mask: Iterable[str] = (), prefix: str | None = None) -> tuple[str, ...]:
    """The codes ``text`` states as done (see :func:`read_codes`)."""
    return read_codes(text, mask=mask, prefix=prefix).codes


def best_code(text: str, prefix: str) -> tuple[str | None, tuple[str, ...]]:
    """The one code for a contract clause: the earliest-matching ``prefix`` code, and all candidates.

    A clause has a single code in the model; when several match, the caller warns with the candidates.
    """
    codes = map_codes(text, prefix=prefix)
    return (codes[0] if codes else None), codes


_REFERENCE = re.compile(r"(?P<doc>[^、。,()「」]{2,60}?)(?:のとおり|の通り|を参照|に定めるとおり|に記載のとおり)")
_REFERENCE_CUT = re.compile(r".*(?:が|を|は|に|、|及び)")


def refers_to(text: str) -> str | None:
    """The document a sentence defers to: 「機構が作成した特定個人情報保護評価書のとおり」 → 「特定個人情報…」.

    The name is what stands before 「のとおり」 (「の通り」「を参照」 …), from the last particle on.
    """
    m = _REFERENCE.search(compact(text))
    if m is None:
        return None
    name = _REFERENCE_CUT.sub("", m.group("doc"))
    name = re.sub(r"^.*?(?:した|された|する|している)", "", name) or name
    return name if len(name) >= 2 else None
