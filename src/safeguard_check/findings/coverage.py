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
from safeguard_check.facts.build import Fact
from safeguard_check.findings.model import CoverageCell, CoverageStatus, Finding


def applied_pairs(facts: Sequence[Fact], law: LawInForce) -> tuple[tuple[str, str], ...]:
    """Every (rule id, subject id) a rule run examined, in rule then declaration order."""
    return tuple((rule.id, fact.subject.id) for rule in law.rules for fact in facts if applies(rule, fact))


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
    party_of = {f.subject.id: f.subject.party for f in facts}
    implements = {rule.id: rule.implements for rule in law.rules}
    applied: set[tuple[str, str]] = set()
    for rule_id, subject_id in pairs if pairs is not None else applied_pairs(facts, law):
        for req in implements[rule_id]:
            applied.add((req, party_of[subject_id]))
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
            # model_construct: thousands of cells per plan, all built from validated values here.
            cells.append(CoverageCell.model_construct(requirement=req, party=party, status=status))
    return tuple(cells)
