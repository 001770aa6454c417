"""benchmarks/ingest_quality.py scores the corpus: its arithmetic must be right, or the figures in
docs/ingest.md mean nothing. The two documents under tests/data/ingest_quality/ are this test's own
(the corpus in cases/ changes with the corpus work); each expected.yaml holds sure misses."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "ingest_quality"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sgc_bench_ingest_quality", REPO / "benchmarks" / "ingest_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_expected_yaml_is_read_into_pairs(bench: ModuleType) -> None:
    a = bench.read_expected(DATA / "a-city" / "expected.yaml")
    assert a.document == DATA / "a-city" / "document.txt"
    assert str(a.as_of) == "2022-04-01" and a.findings_complete is False
    assert (32, "vendor.certification", "stated") in a.pairs and len(a.pairs) == 4
    assert ("株式会社北川印刷", "subcontractor", "株式会社南川サービス") in a.parties
    assert a.absent[0].missing is None and a.findings[0].missing == ("staff.training",)
    b = bench.read_expected(DATA / "b-town" / "expected.yaml")
    assert b.findings_complete is True and b.findings == ()
    assert set(b.pairs) == {(30, "contract.confidentiality", "stated"), (33, "transfer.encryption", "not_done")}
    assert sum(b.pairs.values()) == 2 and not b.unread_lines


def test_names_are_compared_compactly(bench: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "expected.yaml").write_text(
        "document: d.txt\nparties:\n  - {name: 'Ａ市　', role: principal}\n"
        "  - {name: '株式会社 Ｂ', role: contractor, received_from: Ａ市}\nsentences: []\nfindings: []\n",
        encoding="utf-8",
    )
    e = bench.read_expected(tmp_path / "expected.yaml")
    assert e.parties == {("A市", "principal", None), ("株式会社B", "contractor", "A市")}


def _expected(bench: ModuleType, **kw: object) -> object:
    base: dict[str, object] = {
        "name": "x",
        "document": Path("x"),
        "as_of": None,
        "parties": frozenset(),
        "pairs": Counter(),
        "findings": (),
    }
    return bench.Expected(**(base | kw))


def test_not_done_is_a_pair_of_its_own(bench: ModuleType) -> None:
    expected = _expected(
        bench, pairs=Counter({(5, "transfer.encryption", "not_done"), (6, "network.firewall", "stated")})
    )
    # read as stated where the text says it is not done: one wrong pair and one missed pair, not a hit
    predicted = bench.Predicted(
        pairs=Counter({(5, "transfer.encryption", "stated"), (6, "network.firewall", "stated")})
    )
    s = bench.score_document(expected, predicted)
    assert (s.sentences.tp, s.sentences.predicted, s.sentences.expected) == (1, 2, 2)
    assert s.sentences.precision == 0.5 and s.sentences.recall == 0.5
    assert "- line 5: transfer.encryption (not done)" in s.misses
    assert "+ line 5: transfer.encryption" in s.misses


def test_chain_exactness_and_party_misses(bench: ModuleType) -> None:
    want = frozenset({("A市", "principal", None), ("B社", "contractor", "A市"), ("C社", "subcontractor", "B社")})
    got = frozenset({("A市", "principal", None), ("B社", "contractor", "A市"), ("C社", "contractor", "A市")})
    s = bench.score_document(_expected(bench, parties=want), bench.Predicted(parties=got))
    assert not s.chain_exact and (s.chain.tp, s.chain.predicted, s.chain.expected) == (2, 3, 3)
    assert "- party C社 (subcontractor ← B社)" in s.misses and "+ party C社 (contractor ← A市)" in s.misses
    assert bench.score_document(_expected(bench, parties=want), bench.Predicted(parties=want)).chain_exact


def _found(bench: ModuleType, rule: str, names: set[str], missing: tuple[str, ...]) -> object:
    return bench.FoundFinding(rule, frozenset(names), missing, sorted(names)[0])


def test_findings_match_one_to_one_on_rule_subject_and_missing(bench: ModuleType) -> None:
    ef = bench.ExpectedFinding
    expected = _expected(
        bench,
        findings=(ef("R1", "Ｂ社", ("a",)), ef("R1", "B社", ("a",)), ef("R2", "A市", ("b", "c"))),
    )
    predicted = bench.Predicted(
        findings=(
            _found(bench, "R1", {"B社"}, ("a",)),
            _found(bench, "R2", {"A市"}, ("b",)),  # other missing codes: not the same finding
            _found(bench, "R3", {"A市"}, ()),
        )
    )
    s = bench.score_document(expected, predicted)
    # one R1 reported for two expected: one matched; findings_complete → R2/R3 count as wrong
    assert (s.findings.tp, s.findings.predicted, s.findings.expected) == (1, 3, 3)
    assert "- finding R2 @ A市 [b, c]" in s.misses and "+ finding R3 @ A市 []" in s.misses


def test_incomplete_findings_judge_only_what_is_listed(bench: ModuleType) -> None:
    ef = bench.ExpectedFinding
    expected = _expected(
        bench,
        findings=(ef("R1", "B社", ("a",)),),
        absent=(ef("R9", "B社", None),),
        findings_complete=False,
    )
    predicted = bench.Predicted(
        findings=(
            _found(bench, "R1", {"B社"}, ("a",)),
            _found(bench, "R9", {"B社"}, ("z", "y")),  # must be absent, whatever it misses
            _found(bench, "R5", {"B社"}, ("q",)),  # not judged by this expected.yaml
        )
    )
    s = bench.score_document(expected, predicted)
    assert (s.findings.tp, s.findings.predicted, s.findings.expected) == (1, 2, 1)
    assert s.unjudged == 1
    assert any(m.startswith("+ finding R9") and m.endswith("(must be absent)") for m in s.misses)


def test_totals_are_micro_averaged(bench: ModuleType) -> None:
    t = bench.Totals()
    for tp, pred, exp, exact in ((1, 1, 4, True), (9, 10, 10, False)):
        c = bench.Counts(tp, pred, exp)
        t.add(bench.DocScore("d", c, exact, bench.Counts(tp, pred, exp), bench.Counts()))
    figures = t.figures()
    assert figures["chain precision"] == pytest.approx(10 / 11) and figures["chain recall"] == pytest.approx(10 / 14)
    assert figures["chain exact"] == 0.5 and figures["findings recall"] == 1.0  # nothing expected


def test_subject_names_follow_the_expected_forms(bench: ModuleType) -> None:
    from safeguard_check.load.declaration import load_declaration

    decl = load_declaration(REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml").declaration
    term = decl.terminals[0]
    owner = next(p.name for p in decl.parties if p.id == term.owner)
    names = bench.subject_names(decl, "terminal", term.id, "x")
    assert bench.compact(f"{owner}/{term.system}") in names
    contract = decl.contracts[0]
    client = next(p.name for p in decl.parties if p.id == contract.client)
    first = next(p.name for p in decl.parties if p.id == contract.contractors[0])
    assert bench.compact(f"{client}→{first}") in bench.subject_names(decl, "contract", contract.id, contract.id)


def test_run_over_the_test_documents_lists_the_sure_misses(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    status = bench.main(["--no-shinjuku", "--verbose", "--corpus", str(DATA)])
    out = capsys.readouterr().out
    assert status == 1  # a party, a sentence and a finding that cannot be found: below the bar
    assert "corpus: 2 documents" in out and "a-city" in out and "b-town" in out
    assert "- party 株式会社北川印刷 (subcontractor ← 株式会社南川サービス)" in out
    assert "- line 17: staff.training" in out
    assert "- finding SGC-NO-SUCH-RULE @ 南川市 [staff.training]" in out
    assert "BELOW 0.95: chain recall" in out


def test_an_empty_corpus_says_so(bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--no-shinjuku", "--corpus", str(tmp_path)]) == 0
    assert "nothing to measure" in capsys.readouterr().out


def test_unreadable_documents_and_expectations_are_misses_not_crashes(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "expected.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "document.txt").write_text("こんにちは\n", encoding="utf-8")
    (tmp_path / "empty" / "expected.yaml").write_text(
        "document: document.txt\nparties:\n  - {name: 東市, role: principal}\nsentences: []\nfindings: []\n",
        encoding="utf-8",
    )
    assert bench.main(["--no-shinjuku", "--corpus", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "! " in out and "bad/expected.yaml" in out
    assert "input error (exit 2)" in out and "- party 東市 (principal)" in out


def test_sentences_starting_on_one_line_are_a_multiset(bench: ModuleType) -> None:
    # a flattened PDF: two sentences on line 7 both state the firewall; the reader found one
    expected = _expected(bench, pairs=Counter({(7, "network.firewall", "stated"): 2}))
    s = bench.score_document(expected, bench.Predicted(pairs=Counter({(7, "network.firewall", "stated"): 1})))
    assert (s.sentences.tp, s.sentences.predicted, s.sentences.expected) == (1, 1, 2)
    assert "- line 7: network.firewall" in s.misses


def test_sentences_no_code_expresses_must_be_listed_as_not_understood(bench: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "expected.yaml").write_text(
        "document: d.txt\nparties: []\nfindings: []\nsentences:\n"
        "  - {line: 3, codes: []}\n  - {line: 4, codes: [], not_done: [transfer.encryption]}\n"
        "  - {line: 5, codes: []}\n",
        encoding="utf-8",
    )
    expected = bench.read_expected(tmp_path / "expected.yaml")
    assert expected.unread_lines == Counter({3: 1, 5: 1})  # a not_done sentence was understood
    s = bench.score_document(expected, bench.Predicted(unrecognised=2, unrecognised_lines=Counter({3: 1, 9: 1})))
    assert (s.unread.tp, s.unread.expected) == (1, 2)
    assert "- line 5: not listed as not understood" in s.misses


def test_review_and_evidence_must_match_when_expected(bench: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "expected.yaml").write_text(
        "document: d.txt\nparties: []\nsentences: []\nfindings:\n"
        "  - {rule: R1, subject: A市, review: true}\n"
        "  - {rule: R2, subject: A市, missing: [x], evidence: stated_not_done}\n",
        encoding="utf-8",
    )
    expected = bench.read_expected(tmp_path / "expected.yaml")
    assert expected.findings[0].missing is None and expected.findings[0].review
    flat = bench.FoundFinding("R1", frozenset({"A市"}), ("a", "b"), "A市", review=False)
    asks = bench.FoundFinding("R1", frozenset({"A市"}), ("a", "b"), "A市", review=True)
    wrong = bench.FoundFinding("R2", frozenset({"A市"}), ("x",), "A市", evidence="absent")
    right = bench.FoundFinding("R2", frozenset({"A市"}), ("x",), "A市", evidence="stated_not_done")
    assert bench.score_document(expected, bench.Predicted(findings=(flat, wrong))).findings.tp == 0
    assert bench.score_document(expected, bench.Predicted(findings=(asks, right))).findings.tp == 2
    # a finding without an evidence state (before the law work adds it) is not held against it
    unknown = bench.FoundFinding("R2", frozenset({"A市"}), ("x",), "A市")
    assert bench.score_document(expected, bench.Predicted(findings=(asks, unknown))).findings.tp == 2
