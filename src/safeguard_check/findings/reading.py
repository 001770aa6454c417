"""What a check of a council document could not read, carried into the result and its findings.

``ingest`` fills :class:`~safeguard_check.model.reading.ReadingNotes`; this module turns them into the
result's report model (:class:`UnrecognisedNote`, :class:`ReadingSummary`) and, for each finding that
names a missing measure code, looks for an unmapped sentence near its subject that may state that
measure after all. Such a finding is kept — the tool cannot confirm the measure — but it says which
sentence may state it and asks for review instead of asserting the gap flatly.

"May state" is a deliberately cheap test a reader can check by eye: the sentence contains a content
word of the code's Japanese label or of its phrases in ``data/vocabulary.yaml``. Content words are
runs of kanji, katakana or Latin letters (a kanji compound of three or more also gives its two-kanji
parts, so 外部記録媒体 meets 外部媒体), without the generic words every measure sentence has (管理,
実施, 記録 …: :data:`STOP_WORDS`) or parts of them (個人 and 情報 of 特定個人情報). The words shared
are reported with the sentence. A false "may" costs the reader a look at one sentence; a flat "not
stated" over a sentence the tool could not read costs a wrong finding, so the test leans towards
asking.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.findings.model import (
    Finding,
    MissingFieldNote,
    NotJudgedNote,
    PossibleStatement,
    ReadingSummary,
    UnrecognisedNote,
)
from safeguard_check.model.reading import ReadingNotes

# Runs of one script: kanji (with 々), katakana (with ー), or Latin letters and digits.
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]{2,}|[\u30a1-\u30faー]{2,}|[A-Za-z0-9]{2,}")

# Words nearly every measure sentence has: sharing them says nothing about which measure it states.
STOP_WORDS = frozenset(
    {
        "管理",
        "実施",
        "確認",
        "対策",
        "措置",
        "適切",
        "必要",
        "場合",
        "実施状況",
        "事項",
        "業務",
        "委託",
        "委託先",
        "受託者",
        "事業者",
        "個人情報",
        "特定個人情報",
        "個人番号",
        "情報",
        "安全",
        "安全管理",
        "取扱",
        "取扱い",
        "利用",
        "使用",
        "設定",
        "対応",
        "運用",
        "定期的",
        "以下",
        "以上",
        "その他",
        "記録",
        "発生",
        "状況",
        "職員",
        "従事者",
        "従業者",
        "従業員",
        "端末",
        "システム",
        "規定",
        "定め",
        "行う",
        "区分",
        "内容",
        "方法",
        "作業",
        "保護",
        "記載",
        "徹底",
        "防止",
        "終了",
        "接続",
        "禁止",
        "制限",
        "委任",
        "委任元",
        "委託元",
        "体制",
        "セキュリティ",
        "以外",
    }
)

# Kanji that glue words together in labels (「漏えい等発生時」) rather than carry meaning.
_GLUE = "等時的及並又"
_STOP_BY_LENGTH = sorted((w for w in STOP_WORDS if _WORD.fullmatch(w)), key=len, reverse=True)


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _is_kanji(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or ch == "々"


def _parts(run: str) -> list[str]:
    # A kanji run cut at generic words and glue kanji: 特定個人情報保護評価書 → 評価書.
    for word in _STOP_BY_LENGTH:
        run = run.replace(word, "|")
    for ch in _GLUE:
        run = run.replace(ch, "|")
    return [piece for piece in run.split("|") if len(piece) >= 2]


def content_words(text: str) -> frozenset[str]:
    """The content words of ``text`` as this module counts them (see the module docstring)."""
    words: set[str] = set()
    for run in _WORD.findall(_compact(text)):
        if not _is_kanji(run[0]):
            words.add(run)
            continue
        run = run.strip(_GLUE)
        words.add(run)
        for piece in _parts(run):
            words.add(piece)
            if len(piece) >= 3:
                # Most kanji compounds are two-kanji words end to end (外部|記録|媒体, 操作|履歴|管理):
                # an even piece gives those; an odd one (入退室) every pair, as its joints are unknown.
                step = 2 if len(piece) % 2 == 0 else 1
                words.update(piece[i : i + 2] for i in range(0, len(piece) - 1, step))
    return frozenset(w for w in words if len(w) >= 2 and w not in STOP_WORDS)


@lru_cache(maxsize=1024)
def code_words(code: str) -> frozenset[str]:
    """Content words of a measure code's Japanese label and its phrases in the vocabulary."""
    entry = vocabulary().measures.get(code)
    if entry is None:
        return frozenset()
    words: set[str] = set()
    for text in (entry.ja, *entry.phrases):
        words |= content_words(text)
    return frozenset(words)


def shared_words(sentence: str, code: str) -> tuple[str, ...]:
    """The code's content words that ``sentence`` contains (``()``: it does not state the code).

    A word inside a longer shared word is left out: 操作履歴 is reported, not also 操作 and 履歴.
    """
    text = _compact(sentence)
    shared = {w for w in code_words(code) if w in text}
    return tuple(sorted(w for w in shared if not any(w != o and w in o for o in shared)))


def reading_notes(notes: ReadingNotes) -> tuple[tuple[UnrecognisedNote, ...], ReadingSummary]:
    """The result's report model of ``notes``: the unrecognised sentences and the summary."""
    unrecognised = tuple(
        UnrecognisedNote(line=u.line, text=u.text, where=u.where, kind=u.kind, subjects=tuple(u.subjects))
        for u in notes.unrecognised
    )
    missing = tuple(
        MissingFieldNote(field=m.field, label=m.label, line=m.line, affects=tuple(m.affects))
        for m in notes.missing_fields
    )
    summary = ReadingSummary(
        measure_sentences=notes.measure_sentences,
        mapped_sentences=notes.mapped_sentences,
        unrecognised=len(unrecognised),
        missing_fields=missing,
        not_judged=tuple(sorted({rule for m in missing for rule in m.affects})),
    )
    return unrecognised, summary


def _near(note: UnrecognisedNote, finding: Finding, party_of: Mapping[str, str]) -> bool:
    # A sentence nobody placed could be about anything: it stays a candidate, since the point is to
    # avoid asserting a gap the document may fill. A placed one must be about the finding's subject
    # or about a subject of the same party (same 別紙 section).
    if not note.subjects:
        return True
    for subject in note.subjects:
        if subject in (finding.subject_id, finding.party_id):
            return True
        if party_of.get(subject) == finding.party_id:
            return True
    return False


SAYS_NONE_MIN = 5
"""An ``any_of`` of at least this many codes is a "no safeguard at all" rule (SGC-PRINCIPAL-SAFEGUARDS,
SGC-PARTY-SAFEGUARDS). A short alternative (incident.reporting or incident.report_to_ppc) is a specific
gap: only sentences sharing its words are named, as for any other rule."""


def says_none(finding: Finding) -> bool:
    """Whether ``finding`` says a party states *none* of many measures (「保護措置が記載されていない」)."""
    return (
        finding.missing_mode == "any_of" and finding.subject_kind == "party" and len(finding.missing) >= SAYS_NONE_MIN
    )


def not_judged_for_lack_of_text(
    findings: Iterable[Finding], parties_with_text: Iterable[str]
) -> tuple[tuple[Finding, ...], tuple[NotJudgedNote, ...]]:
    """``findings`` without the "no safeguard at all" ones about a party the document says nothing of.

    Only for a plan read from a council document. ``parties_with_text`` are the parties some measure
    sentence of the document is about (mapped or not). A partial document — a PIA cover page, the opening
    of a 仕様書 — may have no measure text about a party at all: it then says nothing either way, so the
    rule is not judged for that party instead of reporting, at critical severity, that the party declared
    no safeguard. The finding is not dropped silently: it is returned as a :class:`NotJudgedNote` (rule,
    subject, the severity it would have had, the reason), which every report shows. A party with measure
    sentences the tool could not map keeps the finding (it then names those sentences for review).
    """
    with_text = set(parties_with_text)
    kept: list[Finding] = []
    notes: list[NotJudgedNote] = []
    for f in findings:
        if says_none(f) and f.subject_id not in with_text and f.status == "open":
            notes.append(
                NotJudgedNote(
                    rule_id=f.rule_id,
                    subject_kind=f.subject_kind,
                    subject_id=f.subject_id,
                    subject_name=f.subject_name,
                    party_id=f.party_id,
                    severity=f.severity,
                    reason="no_measure_text",
                )
            )
        else:
            kept.append(f)
    return tuple(kept), tuple(notes)


def with_not_judged(summary: ReadingSummary, notes: tuple[NotJudgedNote, ...]) -> ReadingSummary:
    """``summary`` with the rules not judged for some subject for lack of text added."""
    if not notes:
        return summary
    rules = sorted({*summary.not_judged, *(n.rule_id for n in notes)})
    return summary.model_copy(update={"not_judged": tuple(rules), "not_judged_findings": notes})


def possible_statements(
    finding: Finding, unrecognised: Iterable[UnrecognisedNote], party_of: Mapping[str, str]
) -> tuple[PossibleStatement, ...]:
    """Unmapped sentences near ``finding``'s subject that may state one of its missing codes.

    ``party_of`` maps a subject id of the plan to the party it belongs to (a party to itself).

    A finding that a party states *none* of several measures (``any_of`` on a party: 「保護措置が記載
    されていない」) is doubtful as soon as the party has a measure sentence the tool could not read,
    whatever its words: every such sentence of that party is named, with no shared words.
    """
    if not finding.missing:
        return ()
    none_at_all = says_none(finding)
    out: list[PossibleStatement] = []
    for note in unrecognised:
        if not _near(note, finding, party_of):
            continue
        codes: list[str] = []
        words: set[str] = set()
        for m in finding.missing:
            shared = shared_words(note.text, m.code)
            if shared:
                codes.append(m.code)
                words.update(shared)
        if not codes and none_at_all and note.kind == "measure" and finding.subject_id in note.subjects:
            codes = [m.code for m in finding.missing]
        if codes:
            out.append(
                PossibleStatement(
                    line=note.line, text=note.text, where=note.where, codes=tuple(codes), shared=tuple(sorted(words))
                )
            )
    return tuple(out)


def annotate(
    findings: Iterable[Finding], unrecognised: tuple[UnrecognisedNote, ...], party_of: Mapping[str, str]
) -> tuple[Finding, ...]:
    """``findings`` in the same order, each with the unmapped sentences that may state what it misses.

    No finding is dropped or weakened in severity: only the sentences to review are added.
    """
    out: list[Finding] = []
    for f in findings:
        found = possible_statements(f, unrecognised, party_of) if unrecognised else ()
        out.append(f.model_copy(update={"possibly_stated": found}) if found else f)
    return tuple(out)
