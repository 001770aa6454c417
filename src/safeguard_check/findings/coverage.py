"""The requirement × party coverage matrix.

For each requirement in force that some rule run implements, and each party, the cell says whether
the rules found a gap on the party's subjects (the party itself, its terminals, the transfers it
sends, the contracts it signs as client), whether every such gap is waived, whether the rules applied
and found nothing (satisfied), or did not apply at all. Applicability is read with the reference
evaluator's ``applies`` — the specification of what a rule examines — because the engines report
only gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from safeguard_check.engine.reference import applies
from safeguard_check.engine.selection import LawInForce
from safeguard_check.facts.build import Fact, FactKey
from safeguard_check.findings.model import CoverageCell, CoverageStatus, Finding

_APPLICABLE: dict[int, tuple[LawInForce, dict[FactKey, frozenset[str]]]] = {}
_APPLICABLE_LIMIT = 200_000


def _applicable(law: LawInForce) -> dict[FactKey, frozenset[str]]:
    known = _APPLICABLE.get(id(law))
    if known is not None and known[0] is law:
        return known[1]
    if len(_APPLICABLE) >= 64:
        _APPLICABLE.clear()
    memo: dict[FactKey, frozenset[str]] = {}
    _APPLICABLE[id(law)] = (law, memo)
    return memo


def applicable_rules(fact: Fact, law: LawInForce) -> frozenset[str]:
    """Ids of the rules in force that examine ``fact``, remembered per fact content (like the engine)."""
    memo = _applicable(law)
    found = memo.get(fact.key)
    if found is None:
        if len(memo) >= _APPLICABLE_LIMIT:
            memo.clear()
        found = memo[fact.key] = frozenset(rule.id for rule in law.rules if applies(rule, fact))
    return found


def applied_pairs(facts: Sequence[Fact], law: LawInForce) -> tuple[tuple[str, str], ...]:
    """Every (rule id, subject id) a rule run examined, in rule then declaration order."""
    by_rule: dict[str, list[tuple[str, str]]] = {}
    for fact in facts:
        for rule_id in applicable_rules(fact, law):
            by_rule.setdefault(rule_id, []).append((rule_id, fact.subject.id))
    return tuple(pair for rule in law.rules for pair in by_rule.get(rule.id, ()))


def coverage(
    facts: Sequence[Fact],
    law: LawInForce,
    findings: Iterable[Finding],
    pairs: Iterable[tuple[str, str]] | None = None,
) -> tuple[CoverageCell, ...]:
    """Cells for every (requirement in force and implemented, party), in catalogue × chain order.

    ``pairs`` are the examined (rule, subject) pairs when the caller already has them.
    """
    party_ids = [f.subject.id for f in facts if f.subject.kind == "party"]
    # By kind and id: a pair names its subject by id, and its rule says which kind of subject it reads.
    party_of = {(f.subject.kind, f.subject.id): f.subject.party for f in facts}
    rules = {rule.id: rule for rule in law.rules}
    applied: set[tuple[str, str]] = set()
    for rule_id, subject_id in pairs if pairs is not None else applied_pairs(facts, law):
        rule = rules[rule_id]
        for req in rule.implements:
            applied.add((req, party_of[(rule.subject, subject_id)]))
    gaps: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        for cited in finding.requirements:
            gaps.setdefault((cited.id, finding.party_id), []).append(finding.status)
    requirements = sorted({r for rule in law.rules for r in rule.implements if r in law.requirements})
    cells = []
    for req in requirements:
        for party in party_ids:
            statuses = gaps.get((req, party))
            status: CoverageStatus
            if statuses:
                status = "waived" if all(s == "waived" for s in statuses) else "gap"
            elif (req, party) in applied:
                status = "satisfied"
            else:
                status = "not_applicable"
            cells.append(cell(req, party, status))
    return tuple(cells)


_CELLS: dict[tuple[str, str, CoverageStatus], CoverageCell] = {}
_CELLS_LIMIT = 200_000


def cell(requirement: str, party: str, status: CoverageStatus) -> CoverageCell:
    """The coverage cell for these values; one shared object per distinct cell (cells are frozen)."""
    # Hundreds of cells per plan, the same ones plan after plan.
    # A plain dict emptied when full, not an LRU: a plan with more cells than the bound would make an
    # LRU evict every entry before its reuse, paying bookkeeping on each cell.
    key = (requirement, party, status)
    found = _CELLS.get(key)
    if found is None:
        if len(_CELLS) >= _CELLS_LIMIT:
            _CELLS.clear()
        # model_construct: built from values validated by the caller.
        found = _CELLS[key] = CoverageCell.model_construct(requirement=requirement, party=party, status=status)
    return found
