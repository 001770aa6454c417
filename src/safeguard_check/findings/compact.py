"""A check result in a compact form, for the trip from a batch worker process to the parent.

A pickled :class:`CheckResult` carries every finding's titles, messages, remediations and citations
in both languages (about 45 KB for a Shinjuku-sized plan), and the parent unpickled a fresh copy of
each — half a millisecond per plan and most of a batch's memory. What differs between findings is
small: the rule, the subject, the missing codes, the place and the fingerprint. The worker sends
that; the parent rebuilds the findings from its own catalogue with the same functions the checker
uses (``findings/build.py``), so the texts are shared objects, not copies. ``unpack(pack(r))``
equals ``r`` (tested); a result that cannot be packed exactly (a waived finding, another catalogue)
travels whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from safeguard_check.engine.selection import law_in_force
from safeguard_check.findings.build import applied_instruments, make_finding, rule_parts
from safeguard_check.findings.coverage import cell
from safeguard_check.findings.model import (
    CheckResult,
    CoverageStatus,
    Evidence,
    PlanSummary,
    PossibleStatement,
    ReadingSummary,
    UnrecognisedNote,
)
from safeguard_check.load.catalog import Catalog
from safeguard_check.model.profile import Profile
from safeguard_check.model.rule import SubjectKind

PackedFinding = tuple[
    str, frozenset[str], SubjectKind, str, str, str, str, "int | None", str, Evidence, tuple[PossibleStatement, ...]
]
"""rule id, missing codes, subject kind, id, name, party, file, line, fingerprint, evidence, possibly stated by."""


@dataclass(frozen=True)
class PackedResult:
    """What only this plan's result holds; everything else is rebuilt from the catalogue."""

    file: str
    plan_title: str
    municipality: str
    department: str
    effective_date: dt.date
    as_of: dt.date
    as_of_source: Literal["effective_date", "option", "document_date", "no_date"]
    engine: Literal["durable", "reference"]
    catalog_digest: str
    findings: tuple[PackedFinding, ...]
    plan: PlanSummary
    coverage: tuple[tuple[str, str, CoverageStatus], ...]
    applied: tuple[tuple[str, str], ...]
    source_kind: Literal["declaration", "document"]
    profile: str
    # What a council document could not read: the plan's own, so it travels as it is.
    unrecognised: tuple[UnrecognisedNote, ...] = ()
    reading: ReadingSummary | None = None
    plan_id: str = ""


def pack(result: CheckResult, catalog: Catalog, profile: Profile | None = None) -> PackedResult | None:
    """The compact form of ``result``, or None when it holds what the compact form cannot carry.

    ``profile``: the profile the result was checked under (the parent rebuilds with the same one).
    """
    if result.profile != (profile.id if profile is not None else "standard"):
        return None
    if result.catalog_digest != catalog.digest or result.waivers_expired or result.waivers_unmatched:
        return None
    if result.baseline_suppressed or any(f.status != "open" or f.waiver is not None for f in result.findings):
        return None
    return PackedResult(
        file=result.file,
        plan_title=result.plan_title,
        municipality=result.municipality,
        department=result.department,
        effective_date=result.effective_date,
        as_of=result.as_of,
        as_of_source=result.as_of_source,
        engine=result.engine,
        catalog_digest=result.catalog_digest,
        findings=tuple(
            (
                f.rule_id,
                frozenset(m.code for m in f.missing),
                f.subject_kind,
                f.subject_id,
                f.subject_name,
                f.party_id,
                f.file,
                f.line,
                f.fingerprint,
                f.evidence,
                f.possibly_stated,
            )
            for f in result.findings
        ),
        plan=result.plan,
        coverage=tuple((c.requirement, c.party, c.status) for c in result.coverage),
        applied=result.applied,
        source_kind=result.source_kind,
        profile=result.profile,
        unrecognised=result.unrecognised,
        reading=result.reading,
        plan_id=result.plan_id,
    )


def unpack(packed: PackedResult, catalog: Catalog, profile: Profile | None = None) -> CheckResult:
    """The :class:`CheckResult` ``packed`` came from, rebuilt against ``catalog`` and ``profile`` (the
    same content and the same profile it was checked under)."""
    if packed.catalog_digest != catalog.digest:
        raise ValueError("a packed result can only be rebuilt with the catalogue it was checked against")
    if packed.profile != (profile.id if profile is not None else "standard"):
        raise ValueError("a packed result can only be rebuilt under the profile it was checked with")
    law = law_in_force(catalog, packed.as_of, profile)
    parts = rule_parts(law, catalog)
    return CheckResult(
        file=packed.file,
        plan_title=packed.plan_title,
        municipality=packed.municipality,
        department=packed.department,
        effective_date=packed.effective_date,
        as_of=packed.as_of,
        as_of_source=packed.as_of_source,
        engine=packed.engine,
        catalog_digest=packed.catalog_digest,
        instruments=applied_instruments(law, catalog),
        rules_run=law.rule_ids,
        rules_inactive=law.inactive_rules,
        # In the order they were packed: the checker's order, which must survive the trip unchanged.
        findings=tuple(make_finding(parts[f[0]], *f[1:10], possibly_stated=f[10]) for f in packed.findings),
        plan=packed.plan,
        coverage=tuple(cell(*c) for c in packed.coverage),
        applied=packed.applied,
        source_kind=packed.source_kind,
        profile=packed.profile,
        rules_excluded=law.excluded_rules,
        unrecognised=packed.unrecognised,
        reading=packed.reading,
        plan_id=packed.plan_id,
    )
