"""Ingest quality: the Shinjuku document it was built from, and the corpus of other councils' documents.

    python benchmarks/ingest_quality.py [--verbose] [--corpus DIR ...] [--no-shinjuku]

**Shinjuku.** Ingests cases/shinjuku-2020-mynumber-card/shiryo30.txt (the text extracted from the
council PDF) and compares it with the hand-written declaration.yaml of the same document:

* precision and recall of measure codes, per printed sentence (sheet, section, category, item),
  micro-averaged over (sentence, code) pairs (safeguard_check.ingest.quality);
* the findings of `check` on both, compared by rule, missing codes and what the subject is (party
  name, terminal owner + system, transfer ends + method, contract parties), not by id;
* the same for variants of the text: re-wrapped at other widths, digits of the other width, measure
  lists reordered, and a PDF made from the text (when reportlab is installed).

**Corpus.** Every ``expected.yaml`` under cases/real/*/ and cases/layouts/*/ (or the ``--corpus``
folders), written by hand from the document before running the tool (format: docs/ingest.md). Its
``document`` is checked as ``safeguard-check check`` checks it, and per document and in total:

* chain: the parties as (name, role, received_from name), names compared compactly (NFKC, no
  whitespace); precision, recall, and whether the chain is exact;
* sentences: (line, code, stated | not_done) pairs, micro-averaged and compared as a multiset (several
  sentences may start on one line of a flattened PDF) — a measure's line is the line its sentence
  starts on (``ingest/positions.py``); a clause of a contract list, which has no position of its own,
  is placed at the first document line from its contract's on that contains its text;
* findings: (rule, subject, missing codes) against ``findings``; ``review: true`` also requires the
  finding to name an unmapped sentence that may state the code (``possibly_stated``); ``evidence`` is
  compared when the finding carries one; ``absent_findings`` are findings the tool must not report (a
  match is a false positive). With ``findings_complete: false`` only findings that match one of the
  two lists are judged; the others are counted as "unjudged", not as errors;
* not understood: of the sentences expected with no code (``codes: []``, no ``not_done``), the share the
  report lists as not understood at their line (``unrecognised``).

Every miss is listed (``-`` expected but not found, ``+`` found but not expected). Exit status 1 when
a Shinjuku figure is below 0.95 or its findings differ, or when any corpus total is below 0.95.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from safeguard_check.check import check_plan
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.declaration import Declaration

REPO = Path(__file__).resolve().parents[1]

CASE = REPO / "cases" / "shinjuku-2020-mynumber-card"
CORPUS = (REPO / "cases" / "real", REPO / "cases" / "layouts")
BAR = 0.95

Party = tuple[str, str, str | None]
"""(compact name, role, compact name of the party it received the work from)."""
Pair = tuple[int, str, str]
"""(document line, code, "stated" | "not_done")."""


def compact(text: str) -> str:
    """NFKC without whitespace: how names and texts are compared."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- expectations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedFinding:
    """A finding of expected.yaml: ``missing`` None when any missing codes match (absent_findings)."""

    rule: str
    subject: str
    missing: tuple[str, ...] | None
    review: bool = False
    evidence: str | None = None

    def text(self) -> str:
        """``RULE @ subject [codes]`` for the list of misses."""
        codes = f" [{', '.join(self.missing)}]" if self.missing is not None else ""
        review = " (asking for review)" if self.review else ""
        evidence = f" ({self.evidence})" if self.evidence else ""
        return f"{self.rule} @ {self.subject}{codes}{evidence}{review}"


@dataclass(frozen=True)
class Expected:
    """One corpus document's expected.yaml."""

    name: str
    document: Path
    as_of: dt.date | None
    parties: frozenset[Party]
    pairs: Counter[Pair]
    findings: tuple[ExpectedFinding, ...]
    absent: tuple[ExpectedFinding, ...] = ()
    findings_complete: bool = True
    unread_lines: Counter[int] = field(default_factory=Counter)
    """Lines of the sentences no code expresses: each must be listed as not understood."""


def _finding(item: dict[str, Any]) -> ExpectedFinding:
    # Without ``missing`` any missing codes match (absent_findings, and findings whose point is
    # something else, such as ``review``); ``missing: []`` means a finding about no missing code.
    missing = item.get("missing")
    return ExpectedFinding(
        rule=str(item["rule"]),
        subject=str(item["subject"]),
        missing=tuple(sorted(missing)) if missing is not None else None,
        review=bool(item.get("review", False)),
        evidence=item.get("evidence"),
    )


def read_expected(path: Path) -> Expected:
    """``path`` (an expected.yaml) parsed; raises ValueError naming the file when it is malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parties = frozenset(
            (
                compact(p["name"]),
                str(p["role"]),
                compact(p["received_from"]) if p.get("received_from") else None,
            )
            for p in data.get("parties") or ()
        )
        pairs: Counter[Pair] = Counter()
        unread: Counter[int] = Counter()
        for s in data.get("sentences") or ():
            line = int(s["line"])
            pairs.update((line, code, "stated") for code in s.get("codes") or ())
            pairs.update((line, code, "not_done") for code in s.get("not_done") or ())
            if not s.get("codes") and not s.get("not_done"):
                unread[line] += 1
        as_of = data.get("as_of")
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        return Expected(
            name=path.parent.name,
            document=path.parent / str(data["document"]),
            as_of=as_of,
            parties=parties,
            pairs=pairs,
            unread_lines=unread,
            findings=tuple(_finding(f) for f in data.get("findings") or ()),
            absent=tuple(_finding(f) for f in data.get("absent_findings") or ()),
            findings_complete=bool(data.get("findings_complete", True)),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {type(exc).__name__}: {exc}") from None


def corpus(roots: Iterable[Path]) -> list[Path]:
    """Every ``*/expected.yaml`` under ``roots``, sorted (missing roots are skipped)."""
    return sorted(p for root in roots if root.is_dir() for p in root.glob("*/expected.yaml"))


# --- what the tool read -------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundFinding:
    """A finding as reported, with every name its subject is written as in expected.yaml."""

    rule: str
    names: frozenset[str]
    missing: tuple[str, ...]
    subject_name: str
    review: bool = False
    """The finding names an unmapped sentence that may state the code (``possibly_stated``)."""
    evidence: str | None = None

    def text(self) -> str:
        """``RULE @ subject [codes]`` for the list of misses."""
        review = " (asking for review)" if self.review else ""
        evidence = f" ({self.evidence})" if self.evidence else ""
        return f"{self.rule} @ {self.subject_name} [{', '.join(self.missing)}]{evidence}{review}"


@dataclass(frozen=True)
class Predicted:
    """What checking one document produced, in the terms of expected.yaml."""

    parties: frozenset[Party] = frozenset()
    pairs: Counter[Pair] = field(default_factory=Counter)
    findings: tuple[FoundFinding, ...] = ()
    error: str | None = None
    unrecognised: int | None = None
    """Sentences the report lists as not understood (None: the plan carries no ReadingNotes)."""
    unrecognised_lines: Counter[int] = field(default_factory=Counter)


def subject_names(decl: Declaration, kind: str, subject_id: str, subject_name: str) -> frozenset[str]:
    """The ways expected.yaml may name a finding's subject (compact): a party by its name, a terminal
    as ``owner/system`` (or its owner), a transfer or a contract as ``client→contractor``."""
    names = {p.id: p.name for p in decl.parties}
    out = {subject_name}
    if kind == "party":
        out.add(names.get(subject_id, subject_id))
    elif kind == "terminal":
        term = next((t for t in decl.terminals if t.id == subject_id), None)
        if term is not None:
            out |= {f"{names[term.owner]}/{term.system}", names[term.owner]}
    elif kind == "transfer":
        tr = next((t for t in decl.transfers if t.id == subject_id), None)
        if tr is not None:
            out.add(f"{names[tr.from_party]}→{names[tr.to_party]}")
    elif kind == "contract":
        c = next((c for c in decl.contracts if c.id == subject_id), None)
        if c is not None:
            client = names[c.client]
            out |= {f"{client}→{names[x]}" for x in c.contractors}
            out.add(f"{client}→" + "、".join(names[x] for x in c.contractors))
    elif kind == "plan":
        out |= {
            "plan",
            decl.plan.municipality,
            decl.plan.title,
            *(p.name for p in decl.parties if p.role == "principal"),
        }
    return frozenset(compact(n) for n in out)


def _line_of_text(lines: Sequence[str], text: str, start: int) -> int | None:
    # The first line from ``start`` (1-based) containing the text's beginning, compared compactly;
    # the beginning only, since a long clause may break over lines.
    wanted = compact(text)[:12]
    if not wanted:
        return None
    for number in range(max(start, 1), len(lines) + 1):
        if wanted in compact(lines[number - 1]):
            return number
    return None


def read_pairs(decl: Declaration, positions: dict[Any, Any], lines: Sequence[str]) -> Counter[Pair]:
    """(line, code, state) of every measure and contract clause of ``decl`` read from a document.

    A clause whose code a measure of the same line already has is not counted again: a contract list
    read both as measures and as clauses is one sentence per item, as expected.yaml codes it.
    """
    pairs: Counter[Pair] = Counter()
    for index, m in enumerate(decl.measures):
        pos = positions.get(("measures", index))
        line = pos.line if pos is not None else _line_of_text(lines, m.text, 1)
        if line is None:
            line = 0  # nowhere in the document: every code of it is a miss, and says so
        pairs.update((line, code, "stated") for code in m.codes)
        pairs.update((line, code, "not_done") for code in m.not_done)
    for index, c in enumerate(decl.contracts):
        pos = positions.get(("contracts", index))
        start = pos.line if pos is not None else 1
        for clause in c.clauses:
            if clause.code:
                line = _line_of_text(lines, clause.text, start) or 0
                # A clause named inside its contract's own sentence (「秘密保持に関しても契約に含める」 over
                # two lines) is that sentence's code, already counted on the line the sentence starts on.
                if (line, clause.code, "stated") not in pairs and (start, clause.code, "stated") not in pairs:
                    pairs[(line, clause.code, "stated")] += 1
    return pairs


def predict(expected: Expected, catalog: Catalog) -> Predicted:
    """Check ``expected.document`` as ``safeguard-check check`` does, in the terms of expected.yaml."""
    from safeguard_check.errors import InputError
    from safeguard_check.ingest import ingest_path

    try:
        ingested = ingest_path(expected.document)
        plan = ingested.document_plan()
        result: CheckResult = check_plan(plan, catalog, as_of=expected.as_of)
    except InputError as exc:
        detail = "; ".join(f"{i.key} {i.params.get('detail', '')}".strip() for i in exc.issues)
        return Predicted(error=f"input error (exit 2): {detail}")
    except Exception as exc:  # a crash on one document must not hide the figures of the others
        return Predicted(error=f"{type(exc).__name__}: {exc}")
    decl = plan.declaration
    names = {p.id: compact(p.name) for p in decl.parties}
    parties = frozenset(
        (compact(p.name), p.role, names.get(p.received_from) if p.received_from else None) for p in decl.parties
    )
    text = expected.document.read_text(encoding="utf-8", errors="replace")
    findings = tuple(
        FoundFinding(
            rule=f.rule_id,
            names=subject_names(decl, f.subject_kind, f.subject_id, f.subject_name),
            missing=tuple(sorted(m.code for m in f.missing)),
            subject_name=f.subject_name,
            review=bool(f.possibly_stated),
            # the evidence state is added to findings by the law work; compared once it is there
            evidence=getattr(f, "evidence", None),
        )
        for f in result.findings
    )
    return Predicted(
        parties=parties,
        pairs=read_pairs(decl, dict(ingested.positions), text.splitlines()),
        findings=findings,
        unrecognised=len(result.unrecognised) if result.reading is not None else None,
        unrecognised_lines=Counter(u.line for u in result.unrecognised if u.line is not None),
    )


# --- scores -------------------------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, predicted and expected items: micro-averaged precision and recall."""

    tp: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        """1.0 when nothing was predicted (nothing wrong was said)."""
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """1.0 when nothing was expected."""
        return self.tp / self.expected if self.expected else 1.0

    def add(self, other: Counts) -> None:
        """Accumulate ``other`` (for the totals)."""
        self.tp += other.tp
        self.predicted += other.predicted
        self.expected += other.expected


@dataclass
class DocScore:
    """The figures of one document and every miss."""

    name: str
    chain: Counts
    chain_exact: bool
    sentences: Counts
    findings: Counts
    unread: Counts = field(default_factory=Counts)
    unjudged: int = 0
    unrecognised: int | None = None
    error: str | None = None
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)


def _matches(found: FoundFinding, wanted: ExpectedFinding) -> bool:
    if found.rule != wanted.rule or compact(wanted.subject) not in found.names:
        return False
    if wanted.review and not found.review:
        return False
    if wanted.evidence and found.evidence and wanted.evidence != found.evidence:
        return False
    return wanted.missing is None or found.missing == wanted.missing


def _overlap(a: Counter[Any], b: Counter[Any]) -> int:
    return sum((a & b).values())


def _party_text(p: Party) -> str:
    return f"{p[0]} ({p[1]}{' ← ' + p[2] if p[2] else ''})"


def score_document(expected: Expected, predicted: Predicted) -> DocScore:
    """Compare one document's reading and findings with its expected.yaml."""
    misses: list[str] = []
    if predicted.error:
        misses.append(f"! {predicted.error}")
    chain = Counts(len(expected.parties & predicted.parties), len(predicted.parties), len(expected.parties))
    misses += [f"- party {_party_text(p)}" for p in sorted(expected.parties - predicted.parties, key=str)]
    misses += [f"+ party {_party_text(p)}" for p in sorted(predicted.parties - expected.parties, key=str)]
    exp_pairs, pred_pairs = expected.pairs, predicted.pairs
    sentences = Counts(_overlap(exp_pairs, pred_pairs), sum(pred_pairs.values()), sum(exp_pairs.values()))
    for sign, pairs in (("-", exp_pairs - pred_pairs), ("+", pred_pairs - exp_pairs)):
        for (line, code, state), n in sorted(pairs.items()):
            where = f"line {line}" if line else "no line"
            times = f" ×{n}" if n > 1 else ""
            misses.append(f"{sign} {where}: {code}{' (not done)' if state == 'not_done' else ''}{times}")
    # Sentences no code expresses must be listed as not understood, at their line.
    listed = predicted.unrecognised_lines
    unread = Counts(_overlap(expected.unread_lines, listed), sum(listed.values()), sum(expected.unread_lines.values()))
    for line, n in sorted((expected.unread_lines - listed).items()):
        misses.append(f"- line {line}: not listed as not understood{f' ×{n}' if n > 1 else ''}")

    # Findings: each expected finding is matched by at most one reported finding, and vice versa.
    unused = list(predicted.findings)
    tp = 0
    for wanted in expected.findings:
        hit = next((f for f in unused if _matches(f, wanted)), None)
        if hit is None:
            misses.append(f"- finding {wanted.text()}")
            continue
        unused.remove(hit)
        tp += 1
    false_positive = 0
    unjudged = 0
    for found in unused:
        absent = next((a for a in expected.absent if _matches(found, a)), None)
        if absent is not None:
            false_positive += 1
            misses.append(f"+ finding {found.text()} (must be absent)")
        elif expected.findings_complete:
            false_positive += 1
            misses.append(f"+ finding {found.text()}")
        else:
            unjudged += 1
    findings = Counts(tp, tp + false_positive, len(expected.findings))
    return DocScore(
        name=expected.name,
        chain=chain,
        chain_exact=expected.parties == predicted.parties,
        sentences=sentences,
        findings=findings,
        unread=unread,
        unjudged=unjudged,
        unrecognised=predicted.unrecognised,
        error=predicted.error,
        misses=misses,
    )


@dataclass
class Totals:
    """Micro-averaged figures over every document, and the share of exact chains."""

    chain: Counts = field(default_factory=Counts)
    sentences: Counts = field(default_factory=Counts)
    findings: Counts = field(default_factory=Counts)
    unread: Counts = field(default_factory=Counts)
    documents: int = 0
    exact_chains: int = 0

    def add(self, s: DocScore) -> None:
        """Accumulate one document."""
        self.chain.add(s.chain)
        self.sentences.add(s.sentences)
        self.findings.add(s.findings)
        self.unread.add(s.unread)
        self.documents += 1
        self.exact_chains += s.chain_exact

    def figures(self) -> dict[str, float]:
        """Every total the bar applies to, by name."""
        return {
            "chain exact": self.exact_chains / self.documents if self.documents else 1.0,
            "chain precision": self.chain.precision,
            "chain recall": self.chain.recall,
            "sentence precision": self.sentences.precision,
            "sentence recall": self.sentences.recall,
            "findings precision": self.findings.precision,
            "findings recall": self.findings.recall,
            "not understood listed (recall)": self.unread.recall,
        }


def score_corpus(paths: Sequence[Path], catalog: Catalog) -> tuple[list[DocScore], Totals]:
    """Score every expected.yaml of ``paths``; a malformed one is a document with an error."""
    scores: list[DocScore] = []
    totals = Totals()
    for path in paths:
        start = time.perf_counter()
        try:
            expected = read_expected(path)
        except ValueError as exc:
            empty = Counts()
            score = DocScore(path.parent.name, empty, False, Counts(), Counts(), error=str(exc), misses=[f"! {exc}"])
        else:
            score = score_document(expected, predict(expected, catalog))
        score.seconds = time.perf_counter() - start
        scores.append(score)
        totals.add(score)
    return scores, totals


def _pr(c: Counts) -> str:
    return f"{c.precision:>5.3f} {c.recall:>5.3f}"


def print_corpus(scores: Sequence[DocScore], totals: Totals, roots: Sequence[Path], verbose: bool) -> bool:
    """The corpus table, the totals and every miss; True when every total reaches the bar."""
    where = ", ".join(str(r.relative_to(REPO) if r.is_relative_to(REPO) else r) for r in roots)
    if not scores:
        print(f"\ncorpus: no expected.yaml under {where}: nothing to measure")
        return True
    print(f"\ncorpus: {len(scores)} documents under {where}")
    print(
        f"{'document':<40} {'chain P':>7} {'R':>5} {'exact':>5} {'sent P':>6} {'R':>5} "
        f"{'find P':>6} {'R':>5} {'unjdg':>5} {'unread':>7} {'listed':>6} {'sec':>5}"
    )
    for s in scores:
        listed = "-" if s.unrecognised is None else str(s.unrecognised)
        print(
            f"{s.name[:40]:<40} {_pr(s.chain):>13} {'yes' if s.chain_exact else 'NO':>5} {_pr(s.sentences):>12} "
            f"{_pr(s.findings):>12} {s.unjudged:>5} {s.unread.tp:>3}/{s.unread.expected:<3} {listed:>6} "
            f"{s.seconds:>5.2f}"
        )
    t = totals
    print(
        f"{'TOTAL':<40} {_pr(t.chain):>13} {t.exact_chains:>2}/{t.documents:<2} {_pr(t.sentences):>12} "
        f"{_pr(t.findings):>12} {'':>5} {t.unread.tp:>3}/{t.unread.expected:<3}"
    )
    print(
        f"pairs: chain {t.chain.tp}/{t.chain.expected} expected, {t.chain.predicted} found; sentences "
        f"{t.sentences.tp}/{t.sentences.expected}, {t.sentences.predicted}; findings {t.findings.tp}/"
        f"{t.findings.expected}, {t.findings.predicted} judged"
    )
    print(
        "unjdg: findings expected.yaml does not judge (findings_complete: false); unread: sentences "
        "expected with no code that the report lists as not understood; listed: all it lists"
    )
    if len(scores) < 5:
        print(f"(only {len(scores)} documents: the totals say little yet)")
    ok = True
    for name, value in t.figures().items():
        if value < BAR:
            ok = False
            print(f"BELOW {BAR}: {name} {value:.3f}")
    print("misses (- expected, not found; + found, not expected):")
    any_miss = False
    for s in scores:
        if s.misses:
            any_miss = True
            print(f"  {s.name}")
            for m in s.misses if verbose else s.misses[:40]:
                print(f"    {m}")
            if not verbose and len(s.misses) > 40:
                print(f"    … {len(s.misses) - 40} more (--verbose)")
    if not any_miss:
        print("  none")
    return ok


# --- Shinjuku -----------------------------------------------------------------------------------


def shinjuku(catalog: Catalog, verbose: bool) -> bool:
    """The Shinjuku block: codes per sentence and findings, on the text and its variants."""
    if str(REPO / "tests") not in sys.path:
        sys.path.insert(0, str(REPO / "tests"))  # the text transformations the tests use
    from ingest.transforms import reorder_measures, rewrap, to_half_width_digits
    from safeguard_check.ingest import IngestResult, ingest_bytes, ingest_text
    from safeguard_check.ingest.quality import finding_identities, measure_codes, score

    hand = load_declaration(CASE / "declaration.yaml")
    gold_codes = measure_codes(hand.declaration)
    gold_findings = finding_identities(check_plan(hand, catalog), hand.declaration)
    text = (CASE / "shiryo30.txt").read_text(encoding="utf-8")

    variants: list[tuple[str, Callable[[], IngestResult]]] = [
        ("text", lambda: ingest_text(text)),
        ("rewrap 13", lambda: ingest_text(rewrap(text, 13))),
        ("rewrap 23", lambda: ingest_text(rewrap(text, 23))),
        ("half-width digits", lambda: ingest_text(to_half_width_digits(text))),
        ("reordered (numbers kept)", lambda: ingest_text(reorder_measures(text, renumber=False))),
    ]
    try:
        from ingest.pdfmake import make_pdf

        variants.append(("pdf", lambda: ingest_bytes(make_pdf(text), "shiryo30.pdf")))
    except ImportError:
        print("(reportlab not installed: PDF variant skipped)")

    ok = True
    print("Shinjuku (cases/shinjuku-2020-mynumber-card/shiryo30.txt against declaration.yaml)")
    print(f"{'input':<26} {'precision':>9} {'recall':>7} {'codes':>9} {'findings':>9} {'unmapped':>8} {'sec':>5}")
    for name, run in variants:
        start = time.perf_counter()
        result = run()
        plan = result.loaded_plan()
        found = finding_identities(check_plan(plan, catalog), plan.declaration)
        elapsed = time.perf_counter() - start
        s = score(measure_codes(result.declaration), gold_codes)
        same = found == gold_findings
        ok &= same and s.precision >= BAR and s.recall >= BAR
        print(
            f"{name:<26} {s.precision:>9.3f} {s.recall:>7.3f} {s.true_positives:>4}/{s.expected:<4} "
            f"{'same' if same else 'DIFFER':>9} {len(result.unmapped):>8} {elapsed:>5.2f}"
        )
        if verbose or not same:
            for key, extra, missing in s.wrong:
                print(f"    {key}: extra {extra} missing {missing}")
            for f in sorted(found - gold_findings):
                print(f"    + {f}")
            for f in sorted(gold_findings - found):
                print(f"    - {f}")
    print(f"hand-written findings: {len(gold_findings)}; bar: precision and recall >= {BAR}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when every figure reaches the bar, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--verbose", action="store_true", help="list every miss and every Shinjuku difference")
    parser.add_argument("--corpus", action="append", type=Path, help="folder of */expected.yaml (repeatable)")
    parser.add_argument("--no-shinjuku", action="store_true", help="skip the Shinjuku block")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    ok = True
    if not args.no_shinjuku:
        ok &= shinjuku(catalog, args.verbose)
    roots = tuple(args.corpus) if args.corpus else CORPUS
    scores, totals = score_corpus(corpus(roots), catalog)
    ok &= print_corpus(scores, totals, roots, args.verbose)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
