"""Morphological reading of a sentence with SudachiPy (sudachidict-core): lemmas and negation.

Council documents write one measure many ways: 「操作履歴を記録する」「操作履歴を記録し」「操作履歴の記録を
行う」「操作した履歴を記録させる」. Substring phrases (mapping.py, the first pass) catch the wording
they were written from; this module lets a phrase match any inflection and 表記ゆれ Sudachi normalises
(ユーザ/ユーザー, 漏洩/漏えい …), and tells whether the sentence says the measure is *not* done.

A sentence becomes a sequence of *content lemmas*: the normalised form of every token except
particles, auxiliary verbs and light verbs (する, 行う, いる: 「記録を行う」 = 「記録する」), with
punctuation kept as a barrier so no phrase matches across 「、」「。」. A negating auxiliary
(ない / ず / ぬ / ん) is kept as the lemma ``NEG``, so a phrase that is itself a prohibition
(「無線LANは利用しない」) matches only a negated sentence. Negation *after* a phrase is found by
:func:`negated`.

The dictionary is loaded on first use (≈0.05 s of CPU; measured in the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sudachipy import Tokenizer

NEG = "NEG"
BARRIER = "|"
_NEGATORS = {"ない", "ず", "ぬ", "ん"}
_LIGHT_VERBS = {"為る", "行う", "居る", "有る", "致す", "おる", "成る"}
_SKIP_POS = {"助詞", "助動詞", "空白"}


@dataclass(frozen=True)
class Token:
    """One token of a sentence: its lemma (normalised form), part of speech and character span."""

    lemma: str
    pos: str
    begin: int
    end: int
    surface: str


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    from sudachipy import Dictionary, SplitMode

    tokenizer: Tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    return tokenizer


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """Sudachi's tokens of ``text`` (split mode C: 「操作履歴」 stays two words, 「アクセスログ」 one)."""
    return tuple(
        Token(m.normalized_form(), m.part_of_speech()[0], m.begin(), m.end(), m.surface())
        for m in _tokenizer().tokenize(text)
    )


def content(toks: tuple[Token, ...]) -> list[tuple[str, Token]]:
    """The content lemmas of a token sequence (see the module docstring), each with its token."""
    out: list[tuple[str, Token]] = []
    for t in toks:
        if t.pos == "助動詞" and t.lemma in _NEGATORS:
            out.append((NEG, t))
        elif t.pos == "補助記号":
            out.append((BARRIER, t))
        elif t.pos in _SKIP_POS or t.lemma in _LIGHT_VERBS:
            continue
        else:
            out.append((t.lemma, t))
    return out


@cache
def phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """The content lemmas of a phrase (barriers dropped: a phrase is one clause)."""
    return tuple(lemma for lemma, _ in content(tokens(phrase)) if lemma != BARRIER)


def lemma_index(lemmas: list[tuple[str, Token]]) -> dict[str, list[int]]:
    """Lemma → its positions in ``lemmas``: built once per sentence for :func:`find`."""
    index: dict[str, list[int]] = {}
    for i, (lemma, _) in enumerate(lemmas):
        index.setdefault(lemma, []).append(i)
    return index


def find(
    phrase: str,
    sentence: tuple[Token, ...],
    lemmas: list[tuple[str, Token]],
    index: dict[str, list[int]] | None = None,
) -> list[tuple[int, int]]:
    """Character spans of ``sentence`` where the phrase's content lemmas occur in a row.

    ``index`` (:func:`lemma_index` of ``lemmas``) lets a caller that tries every vocabulary phrase
    on one sentence look only where each phrase's first lemma occurs, instead of rescanning the
    whole sentence per phrase (#15 item 8: the cost stays linear in the sentence's length).
    """
    want = phrase_lemmas(phrase)
    if len(want) < 2:
        # One content word (「削除させ」 → 削除) would match every mention of it: the substring
        # pass alone reads such phrases.
        return []
    if index is None:
        index = lemma_index(lemmas)
    n = len(want)
    return [
        (lemmas[i][1].begin, lemmas[i + n - 1][1].end)
        for i in index.get(want[0], ())
        if i + n <= len(lemmas) and all(lemmas[i + k][0] == want[k] for k in range(1, n))
    ]


def negated(sentence: tuple[Token, ...], end: int) -> bool:
    """True when the clause after character ``end`` negates it (「…は行わない」「…せず」「…していない」).

    The clause ends at punctuation or where a new content word follows a verb. Not a negation:
    「…ないように」 (a prohibition that is the measure: 「接続できないように設定」), 「…なければ」 (an
    obligation: 「…しなければならない」), 「…してはならない」 (a prohibition), and 「不可」, a noun
    (「特定相手以外との通信は不可」 is a measure).
    """
    after = [t for t in sentence if t.begin >= end]
    if len(after) > 2 and after[0].surface in {"は", "も"} and after[1].surface == "、":
        # 「立入検査は、業務が…完結することから実施しないこととする」: the phrase is the topic, and its
        # predicate is the sentence's last one.
        return _predicate_negated(after[2:])
    seen_verb = False
    for index, t in enumerate(after):
        if t.pos == "補助記号":
            return False
        if t.pos == "助動詞" and t.lemma in _NEGATORS:
            nxt = after[index + 1] if index + 1 < len(after) else None
            before = [x.surface for x in after[max(0, index - 3) : index]]
            if before[-1:] == ["なら"] and any(x in {"は", "ては", "では"} for x in before):
                return False  # 「…してはならない」: a prohibition is the measure itself
            return not (nxt is not None and (nxt.lemma in {"よう", "様"} or nxt.surface == "ば"))
        if t.pos == "動詞":
            seen_verb = True
        elif t.pos in {"名詞", "形状詞"} and seen_verb:
            return False
    return False


_PREDICATE_TAIL = {"こと", "事", "と", "為る", "もの", "物", "ます", "た", "居る", "です", "だ"}


def _predicate_negated(tokens: list[Token]) -> bool:
    # The sentence's last predicate, without its formal tail (「…しないこととする」「…しないものとする」).
    span: list[Token] = []
    for t in tokens:
        if t.surface == "。":
            break
        span.append(t)
    while span and (span[-1].lemma in _PREDICATE_TAIL or span[-1].surface in _PREDICATE_TAIL or span[-1].pos == "助詞"):
        span.pop()
    if not span or span[-1].pos != "助動詞" or span[-1].lemma not in _NEGATORS:
        return False
    return [x.surface for x in span[-2:-1]] != ["なら"]  # 「…してはならない」 is a prohibition, the measure
