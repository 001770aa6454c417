"""The "may state" test: an unmapped sentence near a finding's subject that shares content words with
a missing code's label or phrases turns the flat gap into a request for review — never drops it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from safeguard_check.check import check_plan
from safeguard_check.findings.model import MissingMeasure, UnrecognisedNote
from safeguard_check.findings.reading import content_words, possible_statements, reading_notes, shared_words
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.baseline import Localized
from safeguard_check.model.reading import MissingField, ReadingNotes, UnrecognisedSentence

REPO = Path(__file__).resolve().parents[2]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("sentence", "code", "shared"),
    [
        ("端末の操作履歴を記録する。", "logging.operation_history", ("操作履歴",)),  # the example
        ("外部記録媒体の接続を制限する。", "endpoint.removable_media_blocked", ("外部記録媒体",)),
        ("外部記憶媒体は使わない。", "endpoint.removable_media_blocked", ("外部記憶媒体",)),
        ("ＵＳＢメモリの使用を禁止する。", "endpoint.removable_media_blocked", ("USB", "メモリ")),  # NFKC
        ("職員に研修を行う。", "staff.training", ("研修",)),
    ],
)
def test_sentence_may_state_the_code(sentence: str, code: str, shared: tuple[str, ...]) -> None:
    assert shared_words(sentence, code) == shared


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("端末の操作履歴を記録する。", "logging.access_log"),  # shares only 記録, a generic word
        ("関係法令を遵守する。", "staff.training"),
        ("個人情報を適切に管理する。", "network.internet_isolated"),
        ("外部記録媒体の接続を制限する。", "network.internet_isolated"),  # 接続 alone is generic
        ("特定個人情報を取り扱う。", "pia.own_assessment"),  # 個人, 情報: parts of a generic word
    ],
)
def test_sentence_sharing_only_generic_words_does_not(sentence: str, code: str) -> None:
    assert shared_words(sentence, code) == ()


def test_content_words_drop_glue_kanji_and_generic_words() -> None:
    words = content_words("USBメモリ等外部記録媒体の接続禁止、漏えい等発生時の管理")
    assert "外部記録媒体" in words and "等外部記録媒体" not in words
    assert "管理" not in words and "記録" not in words


def _plan_with(*sentences: UnrecognisedSentence) -> ReadingNotes:
    return ReadingNotes(unrecognised=sentences, measure_sentences=10, mapped_sentences=10 - len(sentences))


def _check(catalog: Catalog, notes: ReadingNotes):  # type: ignore[no-untyped-def]
    plan = dataclasses.replace(load_declaration(SHINJUKU), reading=notes)
    return check_plan(plan, catalog)


def test_no_finding_is_dropped_and_only_near_ones_are_marked(catalog: Catalog) -> None:
    plain = check_plan(load_declaration(SHINJUKU), catalog)
    training = UnrecognisedSentence(9, "職員に研修を行う。", "別紙1 区が行う 運用上の対策", "measure", ("shinjuku",))
    secrecy = UnrecognisedSentence(12, "秘密保持を徹底する。", "別紙2 凸版印刷", "measure", ("toppan",))
    result = _check(catalog, _plan_with(training, secrecy))
    assert [(f.rule_id, f.subject_id, f.severity) for f in result.findings] == [
        (f.rule_id, f.subject_id, f.severity) for f in plain.findings
    ]
    marked = [(f.rule_id, f.subject_id) for f in result.findings if f.possibly_stated]
    # the ward's training gap is near the ward's sentence; J-LIS's contract is not near a sentence about 凸版印刷
    assert marked == [("SGC-STAFF-TRAINING", "shinjuku")]


def test_a_sentence_nobody_placed_is_a_candidate_everywhere(catalog: Catalog) -> None:
    secrecy = UnrecognisedSentence(12, "秘密保持を徹底する。", "別紙2", "measure", ())
    result = _check(catalog, _plan_with(secrecy))
    marked = [f for f in result.findings if f.possibly_stated]
    assert [(f.rule_id, f.subject_id) for f in marked] == [("SGC-CONTRACT-BIZ-CONFIDENTIALITY", "jlis-contractors")]
    assert marked[0].possibly_stated[0].codes == ("contract.confidentiality",)


def test_sentence_about_another_party_is_not_near(catalog: Catalog) -> None:
    training = UnrecognisedSentence(5, "従業者に研修を行う。", "別紙2", "measure", ("jlis",))
    result = _check(catalog, _plan_with(training))
    assert not any(f.possibly_stated for f in result.findings)  # staff.training is missing for 新宿区


def test_declaration_without_reading_notes_gets_none(catalog: Catalog) -> None:
    result = check_plan(load_declaration(SHINJUKU), catalog)
    assert result.reading is None and result.unrecognised == ()
    assert not any(f.possibly_stated for f in result.findings)


def test_reading_summary_collects_the_rules_not_judged() -> None:
    notes = ReadingNotes(
        measure_sentences=5,
        mapped_sentences=5,
        missing_fields=(
            MissingField("plan.department", "保有課", None, ("SGC-B", "SGC-A")),
            MissingField("plan.report_kind", "報告・諮問の別", 2, ("SGC-A",)),
            MissingField("plan.note", "備考", None, ()),
        ),
    )
    unrecognised, summary = reading_notes(notes)
    assert unrecognised == () and summary.unrecognised == 0
    assert summary.not_judged == ("SGC-A", "SGC-B")
    assert [m.field for m in summary.missing_fields] == ["plan.department", "plan.report_kind", "plan.note"]


def test_finding_without_missing_codes_gets_nothing(catalog: Catalog) -> None:
    result = check_plan(load_declaration(SHINJUKU), catalog)
    f = result.findings[0].model_copy(update={"missing": ()})
    note = UnrecognisedNote(line=1, text="秘密保持義務を定める", where="x", kind="clause")
    assert possible_statements(f, [note], {}) == ()


def test_a_party_said_to_state_no_measure_is_asked_about_every_unread_measure_sentence(catalog: Catalog) -> None:
    # 「区が行う保護措置が記載されていない」 (any_of on the party) is doubtful when the party has measure
    # sentences the tool could not read, whatever their words.

    result = check_plan(load_declaration(SHINJUKU), catalog)
    base = result.findings[0]
    several = tuple(
        MissingMeasure(code=code, label=Localized(ja=code, en=code))
        for code in (
            "network.firewall",
            "session.logoff",
            "endpoint.antivirus",
            "logging.access_log",
            "standards.comply",
        )
    )
    says_none = base.model_copy(
        update={
            "missing_mode": "any_of",
            "missing": several,
            "subject_kind": "party",
            "subject_id": "shinjuku",
            "party_id": "shinjuku",
        }
    )
    own = UnrecognisedNote(
        line=7, text="庁舎の警備員が巡回する。", where="別紙1", kind="measure", subjects=("shinjuku",)
    )
    other = UnrecognisedNote(line=8, text="庁舎の警備員が巡回する。", where="別紙2", kind="measure", subjects=("jlis",))
    clause = UnrecognisedNote(
        line=9, text="庁舎の警備員が巡回する。", where="別紙1", kind="clause", subjects=("shinjuku",)
    )
    found = possible_statements(says_none, [own, other, clause], {"jlis": "jlis", "shinjuku": "shinjuku"})
    assert [(p.line, p.shared) for p in found] == [(7, ())]
    assert found[0].codes == tuple(m.code for m in says_none.missing)
    # an all_of finding names a sentence only for the words it shares
    all_of = says_none.model_copy(update={"missing_mode": "all_of"})
    assert possible_statements(all_of, [own], {}) == ()
    # one code, or a short alternative (incident.reporting or its PPC report), is not "no measure at all"
    for few in (several[:1], several[:2]):
        assert possible_statements(says_none.model_copy(update={"missing": few}), [own], {}) == ()


# --- not judged for lack of text ----------------------------------------------------------------------

REAL = REPO / "cases" / "real"


def _without_measures_of(party: str, *, keep_one_unmapped: bool = False, reading: bool = True):  # type: ignore[no-untyped-def]
    # Shinjuku as a partial document would give it: nothing about ``party``'s own measures.
    plan = load_declaration(SHINJUKU)
    decl = plan.declaration
    others = [m for m in decl.measures if party not in m.implemented_by]
    if keep_one_unmapped:
        mine = next(m for m in decl.measures if party in m.implemented_by)
        others.append(mine.model_copy(update={"codes": [], "not_done": [], "refers_to": None}))
    plan = dataclasses.replace(plan, declaration=decl.model_copy(update={"measures": others}))
    if not reading:
        return plan
    return dataclasses.replace(plan, reading=ReadingNotes(measure_sentences=10, mapped_sentences=10))


def _says_none(result, party: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule_id for f in result.findings if f.subject_id == party and f.rule_id == "SGC-PRINCIPAL-SAFEGUARDS"]


def test_a_party_the_document_says_nothing_of_is_not_judged_rather_than_declared_unprotected(
    catalog: Catalog,
) -> None:
    result = check_plan(_without_measures_of("shinjuku"), catalog)
    assert _says_none(result, "shinjuku") == []
    assert result.reading is not None
    (note,) = [n for n in result.reading.not_judged_findings if n.subject_id == "shinjuku"]
    assert (note.rule_id, note.reason, note.severity) == ("SGC-PRINCIPAL-SAFEGUARDS", "no_measure_text", "critical")
    assert "SGC-PRINCIPAL-SAFEGUARDS" in result.reading.not_judged


def test_a_declaration_written_by_hand_keeps_the_finding(catalog: Catalog) -> None:
    # A person's declaration says everything it means: no measure is a gap, not a lack of text.
    result = check_plan(_without_measures_of("shinjuku", reading=False), catalog)
    assert _says_none(result, "shinjuku") == ["SGC-PRINCIPAL-SAFEGUARDS"]
    assert result.reading is None


def test_a_party_with_an_unmapped_measure_sentence_keeps_the_finding(catalog: Catalog) -> None:
    # The document does say something about the party, which the tool could not read: that is judged
    # (and asks for review), not left out.
    result = check_plan(_without_measures_of("shinjuku", keep_one_unmapped=True), catalog)
    assert _says_none(result, "shinjuku") == ["SGC-PRINCIPAL-SAFEGUARDS"]
    assert result.reading is not None and result.reading.not_judged_findings == ()


def test_pia_cover_page_delegate_is_not_judged_and_the_placeholder_date_is_named(catalog: Catalog) -> None:
    from safeguard_check.ingest import load_document

    result = check_plan(load_document(REAL / "jlis-undated-pia-basic" / "document.txt"), catalog)
    assert "SGC-PARTY-SAFEGUARDS" not in {f.rule_id for f in result.findings}
    assert result.reading is not None
    assert [(n.rule_id, n.subject_name) for n in result.reading.not_judged_findings] == [
        ("SGC-PARTY-SAFEGUARDS", "地方公共団体情報システム機構")
    ]
    assert result.as_of_source == "no_date"


def test_as_of_source_says_whether_the_date_was_read(catalog: Catalog) -> None:
    from safeguard_check.ingest import load_document

    # 三鷹市's 仕様書 has no 変更日 but prints 平成27年4月 …: another date of the document.
    mitaka = check_plan(load_document(REAL / "mitaka-2015-card-window-spec" / "document.txt"), catalog)
    assert mitaka.as_of_source == "document_date"
    assert check_plan(load_declaration(SHINJUKU), catalog).as_of_source == "effective_date"
