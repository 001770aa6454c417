"""Measure an ingested declaration against a hand-written one (tests and benchmarks/ingest_quality.py).

Two comparisons:

* **Codes per sentence.** Each measure is keyed by where it was printed — (sheet, section, category,
  item) from its ``source`` — and compared as a set of codes. Precision and recall are micro-averaged
  over (key, code) pairs, so a sentence missing on one side counts all its codes.
* **Findings.** Ids are the author's choice (``jlis`` or ``delegate``), so a finding is identified by
  its rule, its missing codes and what its subject *is*: a party by its name; a terminal by its
  owner's name and system; a transfer by the names of both ends and its method; a contract by the
  names of its client and contractors. Names are compared compactly (NFKC, no whitespace), because
  spaces in names are an artefact of line breaking (「エヌ・ティ・ティ マーケ|ティング」).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from safeguard_check.findings.model import CheckResult
from safeguard_check.ingest.text import compact
from safeguard_check.model.declaration import Declaration

MeasureKey = tuple[str, str, str, str]
FindingKey = tuple[str, tuple[str, ...], tuple[str, ...]]


def measure_codes(decl: Declaration) -> dict[MeasureKey, frozenset[str]]:
    """Codes of each measure by (sheet, section, category, item); measures without a source are skipped."""
    out: dict[MeasureKey, frozenset[str]] = {}
    for m in decl.measures:
        src = m.source
        if src is None:
            continue
        key = (src.sheet or "", src.section or "", src.category or m.category, src.item or "")
        out[key] = out.get(key, frozenset()) | frozenset(m.codes)
    return out


@dataclass(frozen=True)
class Score:
    """Micro-averaged precision and recall of codes per sentence."""

    precision: float
    recall: float
    true_positives: int
    predicted: int
    expected: int
    wrong: tuple[tuple[MeasureKey, tuple[str, ...], tuple[str, ...]], ...]
    """(key, extra codes, missing codes) for every sentence that differs."""


def score(predicted: Mapping[MeasureKey, frozenset[str]], expected: Mapping[MeasureKey, frozenset[str]]) -> Score:
    """Compare predicted codes with expected ones, sentence by sentence."""
    tp = n_pred = n_exp = 0
    wrong = []
    for key in sorted(set(predicted) | set(expected)):
        p = predicted.get(key, frozenset())
        e = expected.get(key, frozenset())
        tp += len(p & e)
        n_pred += len(p)
        n_exp += len(e)
        if p != e:
            wrong.append((key, tuple(sorted(p - e)), tuple(sorted(e - p))))
    return Score(
        precision=tp / n_pred if n_pred else 1.0,
        recall=tp / n_exp if n_exp else 1.0,
        true_positives=tp,
        predicted=n_pred,
        expected=n_exp,
        wrong=tuple(wrong),
    )


def subject_identity(decl: Declaration, kind: str, subject_id: str) -> tuple[str, ...]:
    """What a finding's subject is, independent of the ids chosen (see the module docstring)."""
    names = {p.id: compact(p.name) for p in decl.parties}
    if kind == "party":
        return ("party", names[subject_id])
    if kind == "terminal":
        t = next(t for t in decl.terminals if t.id == subject_id)
        return ("terminal", names[t.owner], t.system)
    if kind == "transfer":
        tr = next(t for t in decl.transfers if t.id == subject_id)
        return ("transfer", names[tr.from_party], names[tr.to_party], tr.method)
    if kind == "contract":
        c = next(c for c in decl.contracts if c.id == subject_id)
        return ("contract", names[c.client], *sorted(names[x] for x in c.contractors))
    return (kind,)


def finding_identities(result: CheckResult, decl: Declaration) -> set[FindingKey]:
    """The findings of ``result`` (a check of ``decl``) as id-independent keys."""
    return {
        (
            f.rule_id,
            subject_identity(decl, f.subject_kind, f.subject_id),
            tuple(sorted(m.code for m in f.missing)),
        )
        for f in result.findings
    }
