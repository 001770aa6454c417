"""Engine hits → findings with citations, labels and locations, in a deterministic order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Literal

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.engine.hits import Hit
from safeguard_check.engine.selection import LawInForce
from safeguard_check.facts.build import Fact
from safeguard_check.findings.model import CitedRequirement, Finding, MissingMeasure
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import LoadedPlan
from safeguard_check.model.baseline import Localized


def fingerprint(municipality: str, rule_id: str, subject_kind: str, subject_id: str) -> str:
    """Stable identity of a gap: it survives edits elsewhere in the plan and line moves (cf. bandit)."""
    key = "\x1f".join((municipality, rule_id, subject_kind, subject_id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def build_findings(
    hits: Iterable[Hit], facts: Iterable[Fact], law: LawInForce, catalog: Catalog, plan: LoadedPlan
) -> tuple[Finding, ...]:
    """Findings for ``hits``, sorted by severity, place in the plan and rule."""
    vocab = vocabulary()
    rules = {r.id: r for r in law.rules}
    subjects = {f.subject.id: f.subject for f in facts}
    out: list[Finding] = []
    for hit in hits:
        rule = rules[hit.rule_id]
        subject = subjects[hit.subject]
        cited = tuple(
            CitedRequirement(
                id=rid,
                instrument=catalog.instrument_of[rid],
                label=catalog.requirements[rid].citation.label,
                title=catalog.requirements[rid].title,
                verification=catalog.requirements[rid].verification,
                in_force=rid in law.requirements,
            )
            for rid in rule.implements
            if rid in law.requirements
        )
        missing = tuple(
            MissingMeasure(
                code=code,
                label=Localized(ja=vocab.label("measures", code, "ja"), en=vocab.label("measures", code, "en")),
            )
            for code in sorted(hit.missing)
        )
        mode: Literal["all_of", "any_of", "none"] = (
            "none" if rule.require is None else ("all_of" if rule.require.all_of else "any_of")
        )
        out.append(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                severity=rule.severity,
                requirements=cited,
                subject_kind=subject.kind,
                subject_id=subject.id,
                subject_name=subject.name,
                party_id=subject.party,
                missing=missing,
                missing_mode=mode,
                file=plan.path,
                line=subject.line if subject.line is not None else plan.line_of(subject.path),
                message=rule.message,
                remediation=rule.remediation,
                fingerprint=fingerprint(plan.declaration.plan.municipality, rule.id, subject.kind, subject.id),
            )
        )
    return tuple(sorted(out, key=Finding.sort_key))
