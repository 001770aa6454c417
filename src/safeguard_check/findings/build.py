"""Engine hits → findings with citations, labels and locations, in a deterministic order."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.engine.hits import Hit
from safeguard_check.engine.selection import LawInForce
from safeguard_check.facts.build import Fact
from safeguard_check.findings.evidence import EvidenceIndex
from safeguard_check.findings.identity import fingerprint as plan_fingerprint
from safeguard_check.findings.identity import plan_identity
from safeguard_check.findings.model import (
    AppliedInstrument,
    CitedEdition,
    CitedRequirement,
    Evidence,
    Finding,
    MissingMeasure,
    PossibleStatement,
    SeverityCap,
)
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import LoadedPlan
from safeguard_check.model.baseline import Localized, Requirement
from safeguard_check.model.rule import SEVERITIES, Rule, Severity, SubjectKind
from safeguard_check.model.weights import lower


def fingerprint(municipality: str, rule_id: str, subject_kind: str, subject_id: str) -> str:
    """Municipality, rule and subject as one key: the fingerprint before plan identities, which ``diff``
    still uses to match the findings of two versions of one plan (findings carry
    :func:`safeguard_check.findings.identity.fingerprint`)."""
    key = "\x1f".join((municipality, rule_id, subject_kind, subject_id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def cited_edition(requirement: Requirement, on: dt.date) -> CitedEdition | None:
    """The edition a report quotes for ``on`` (see :meth:`Requirement.quoted_edition`)."""
    choice = requirement.quoted_edition(on)
    quote = choice.edition.quote if choice is not None else None
    if choice is None or quote is None:
        return None
    edition = choice.edition
    return CitedEdition(
        valid_from=edition.from_,
        valid_until=edition.until,
        quote=quote,
        source=edition.checked_against.source,
        source_edition=edition.checked_against.edition,
        verification=edition.checked_against.verification,
        later=choice.later,
    )


def severity_cap(rule: Rule, law: LawInForce, catalog: Catalog) -> SeverityCap | None:
    """The highest cap among the rule's requirements that count under ``law`` (its date and profile).

    Ties go to the requirement listed first in ``implements``. ``None`` when the catalogue has no
    weights table (catalogues built by hand) or no requirement counts (the rule would not run).
    """
    if catalog.weights is None:
        return None
    best: SeverityCap | None = None
    for rid in rule.implements:
        if rid not in law.requirements:
            continue
        basis = catalog.basis_kind(rid)
        verification = catalog.requirements[rid].verification_on(law.as_of)
        cap = catalog.weights.cap(basis, verification)
        if best is None or SEVERITIES.index(cap) < SEVERITIES.index(best.severity):
            best = SeverityCap(requirement=rid, basis_kind=basis, verification=verification, severity=cap)
    return best


class RuleParts:
    """What every finding of one rule shares under one law in force: built once, reused (all immutable).

    The severity cap is applied here, after evaluation and once for both engines: the engines only
    decide *whether* a subject has a gap, never how severe it is.
    """

    def __init__(self, rule: Rule, law: LawInForce, catalog: Catalog) -> None:
        self.rule = rule
        self.cited = tuple(
            CitedRequirement(
                id=rid,
                instrument=catalog.instrument_of[rid],
                label=catalog.requirements[rid].citation.label,
                title=catalog.requirements[rid].title,
                verification=catalog.requirements[rid].verification,
                in_force=rid in law.requirements,
                basis_kind=catalog.basis_kind(rid),
                edition=cited_edition(catalog.requirements[rid], law.as_of),
            )
            for rid in rule.implements
            if rid in law.requirements
        )
        self.mode: Literal["all_of", "any_of", "none"] = (
            "none" if rule.require is None else ("all_of" if rule.require.all_of else "any_of")
        )
        profile = law.profile
        self.rule_severity: Severity = profile.severity.get(rule.id, rule.severity) if profile else rule.severity
        self.cap = severity_cap(rule, law, catalog)
        self.severity: Severity = lower(self.rule_severity, self.cap.severity) if self.cap else self.rule_severity


class _LawParts:
    """Everything findings share under one law in force and one catalogue (all immutable)."""

    def __init__(self, law: LawInForce, catalog: Catalog) -> None:
        self.law, self.catalog = law, catalog
        self.rules = {r.id: RuleParts(r, law, catalog) for r in law.rules}
        per_instrument: dict[str, int] = {}
        for rid in law.requirements:
            inst = catalog.instrument_of[rid]
            per_instrument[inst] = per_instrument.get(inst, 0) + 1
        self.instruments = tuple(
            AppliedInstrument(
                id=inst.id,
                short=inst.short,
                number=inst.number,
                version_note=inst.version_note,
                requirements_in_force=per_instrument.get(inst.id, 0),
            )
            for inst in sorted(catalog.instruments.values(), key=lambda i: i.id)
        )


_LAW_PARTS: dict[tuple[int, int], _LawParts] = {}


def _law_parts(law: LawInForce, catalog: Catalog) -> _LawParts:
    # Keyed by identity; the entry holds both objects, so an id cannot be reused while it lives.
    # law_in_force returns the same LawInForce for a catalogue and date, so a batch builds this once.
    key = (id(law), id(catalog))
    known = _LAW_PARTS.get(key)
    if known is not None and known.law is law and known.catalog is catalog:
        return known
    if len(_LAW_PARTS) >= 256:
        _LAW_PARTS.clear()
    parts = _LAW_PARTS[key] = _LawParts(law, catalog)
    return parts


def rule_parts(law: LawInForce, catalog: Catalog) -> dict[str, RuleParts]:
    """The shared parts of every rule in force under ``law``, by rule id (built once per law)."""
    return _law_parts(law, catalog).rules


def applied_instruments(law: LawInForce, catalog: Catalog) -> tuple[AppliedInstrument, ...]:
    """The instruments and how many of their requirements are in force (the same for every plan of a date)."""
    return _law_parts(law, catalog).instruments


@lru_cache(maxsize=4096)
def _missing(codes: frozenset[str]) -> tuple[MissingMeasure, ...]:
    vocab = vocabulary()
    return tuple(
        MissingMeasure(
            code=code,
            label=Localized(ja=vocab.label("measures", code, "ja"), en=vocab.label("measures", code, "en")),
        )
        for code in sorted(codes)
    )


def build_findings(
    hits: Iterable[Hit], facts: Iterable[Fact], law: LawInForce, catalog: Catalog, plan: LoadedPlan
) -> tuple[Finding, ...]:
    """Findings for ``hits``, sorted by severity, place in the plan and rule."""
    parts = rule_parts(law, catalog)
    # By kind and id: a hit names its subject by id, and its rule says which kind of subject it reads.
    subjects = {(f.subject.kind, f.subject.id): f.subject for f in facts}
    evidence = EvidenceIndex(plan.declaration)
    out: list[Finding] = []
    # Two plans of one municipality must not share fingerprints: they are keyed by the plan's identity.
    identity = plan_identity(plan.declaration.plan.id, plan.path)
    for hit in hits:
        shared = parts[hit.rule_id]
        subject = subjects[(shared.rule.subject, hit.subject)]
        out.append(
            make_finding(
                shared,
                hit.missing,
                subject.kind,
                subject.id,
                subject.name,
                subject.party,
                plan.path,
                subject.line if subject.line is not None else plan.line_of(subject.path),
                plan_fingerprint(identity, shared.rule.id, subject.kind, subject.id),
                evidence.evidence(subject.kind, subject.id, hit.missing),
            )
        )
    return tuple(sorted(out, key=Finding.sort_key))


def make_finding(
    parts: RuleParts,
    missing: frozenset[str],
    subject_kind: SubjectKind,
    subject_id: str,
    subject_name: str,
    party_id: str,
    file: str,
    line: int | None,
    fingerprint: str,
    evidence: Evidence = "absent",
    *,
    possibly_stated: tuple[PossibleStatement, ...] = (),
) -> Finding:
    """One open finding of ``parts.rule`` on a subject; the shared parts are reused, not copied.

    ``possibly_stated``: unmapped sentences of a council document that may state a missing measure
    (``findings/reading.py``); empty for a declaration.
    """
    rule = parts.rule
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        severity=parts.severity,
        rule_severity=parts.rule_severity,
        cap=parts.cap,
        evidence=evidence,
        requirements=parts.cited,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_name=subject_name,
        party_id=party_id,
        missing=_missing(missing),
        missing_mode=parts.mode,
        file=file,
        line=line,
        message=rule.message,
        remediation=rule.remediation,
        fingerprint=fingerprint,
        possibly_stated=possibly_stated,
    )
