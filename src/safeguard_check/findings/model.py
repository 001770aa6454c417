"""The result of a check: immutable, complete, and the only thing reporters see."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from safeguard_check.model.baseline import BasisKind, Localized, Verification
from safeguard_check.model.rule import SEVERITIES, Severity, SubjectKind


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CitedEdition(_Frozen):
    """The edition of a requirement's text a report quotes for the date applied."""

    valid_from: dt.date | None = Field(description="first day of the edition (null: from the requirement's start)")
    valid_until: dt.date | None = Field(description="first day no longer in force (null: still in force)")
    quote: str = Field(description="the verbatim text of this edition")
    source: str = Field(description="id of the source (instrument.sources) the text was checked against")
    source_edition: str | None = Field(description="that source's own edition, e.g. its date")
    verification: Verification = Field(description="how the text was checked")
    later: bool = Field(
        description="true: the text of the edition in force on as_of was not available; this is a later edition"
    )


class CitedRequirement(_Frozen):
    """A requirement a finding rests on, with its citation."""

    id: str
    instrument: str
    label: Localized
    title: Localized
    verification: Verification
    in_force: bool
    basis_kind: BasisKind | None = Field(None, description="the legal weight it rests on (null in older reports)")
    edition: CitedEdition | None = Field(None, description="the quoted edition for as_of, if any text is held")


class SeverityCap(_Frozen):
    """The cap that decided how severe a finding may be: the best-supported requirement of its rule."""

    requirement: str = Field(description="the requirement whose basis gave the highest cap")
    basis_kind: BasisKind = Field(description="its basis kind")
    verification: Verification = Field(description="the verification of its text in force on as_of")
    severity: Severity = Field(description="the cap: the highest severity that basis supports (weights.yaml)")


Evidence = Literal["absent", "not_evidenced", "stated_not_done"]
"""absent: nothing said; not_evidenced: an open list (「等」) or another document may hold it;
stated_not_done: the plan says the measure is not taken."""


class MissingMeasure(_Frozen):
    """A measure code the subject lacks."""

    code: str
    label: Localized


UNSUPPRESSIBLE_RULES = frozenset({"SGC-LEAK-MYNUMBER"})
"""Findings no waiver or baseline may hide: a real 個人番号 in a plan must be removed, never accepted."""


class WaiverRef(_Frozen):
    """An accepted risk from a waivers file, as it applied (or failed to apply) to a finding."""

    id: str
    rule: str | None
    requirement: str | None
    subject: str
    justification: str
    approved_by: str | None
    granted_on: dt.date | None
    expires: dt.date
    file: str
    line: int | None


class PossibleStatement(_Frozen):
    """A sentence the document reader could not map that may nevertheless state a missing measure.

    The finding stays (the tool cannot confirm the measure), but it asks for review instead of
    asserting the gap flatly. ``shared`` is why: the content words the sentence has in common with
    the code's label or its phrases in the vocabulary.
    """

    line: int | None
    text: str
    where: str
    codes: tuple[str, ...]
    shared: tuple[str, ...]


class Finding(_Frozen):
    """One gap: rule → requirements → citation → the place in the declaration examined."""

    rule_id: str
    title: Localized
    severity: Severity
    requirements: tuple[CitedRequirement, ...]
    subject_kind: SubjectKind
    subject_id: str
    subject_name: str
    party_id: str
    missing: tuple[MissingMeasure, ...]
    missing_mode: Literal["all_of", "any_of", "none"]
    file: str
    line: int | None
    message: Localized
    remediation: Localized
    fingerprint: str = Field(description="stable identity: the plan's identity, rule, subject (never the line)")
    status: Literal["open", "waived"] = "open"
    waiver: WaiverRef | None = None
    rule_severity: Severity | None = Field(
        None, description="the rule's own severity (after the profile's refinement), before the cap"
    )
    cap: SeverityCap | None = Field(None, description="the cap from the rule's requirements (baselines/weights.yaml)")
    evidence: Evidence = Field("absent", description="why the measures count as missing")

    @property
    def capped(self) -> bool:
        """Whether the cap lowered the rule's severity."""
        return self.rule_severity is not None and self.rule_severity != self.severity

    possibly_stated: tuple[PossibleStatement, ...] = ()
    """Unmapped sentences of a council document that may state a missing measure (review them)."""

    def sort_key(self) -> tuple[int, str, int, str, str]:
        """Severity first, then file, then the subject's place in the plan, then the rule."""
        return (SEVERITIES.index(self.severity), self.file, self.line or 0, self.subject_id, self.rule_id)


class AppliedInstrument(_Frozen):
    """An instrument whose requirements were applied, for the report header."""

    id: str
    short: Localized
    number: str | None
    version_note: Localized
    requirements_in_force: int


class PartySummary(_Frozen):
    """A link of the delegation chain, for reports."""

    id: str
    name: str
    role: Literal["principal", "delegate", "contractor", "subcontractor"]
    received_from: str | None
    depth: int
    legal_status: Literal["administrative_organ", "jlis", "business"] | None = Field(
        None, description="行政機関等 / 機構 / 事業者; null when neither declared nor stated by the name"
    )
    legal_status_source: Literal["declared", "inferred", "unknown"] = Field(
        "unknown", description="declared in the plan, inferred from the name (or the principal's role), or unknown"
    )


class PlanSummary(_Frozen):
    """How much the plan declares (reports show it; tests compare it with the loaded model)."""

    sheets: int
    data_items: int
    media: int
    parties: int
    transfers: int
    terminals: int
    measures: int
    contracts: int
    chain: tuple[PartySummary, ...]


class UnrecognisedNote(_Frozen):
    """A sentence of a council document that mapped to no code (see ``model/reading.py``)."""

    line: int | None
    text: str
    where: str
    kind: Literal["measure", "clause", "other"]
    subjects: tuple[str, ...] = ()


class MissingFieldNote(_Frozen):
    """A form field the council document did not have, and the rules it left unjudged."""

    field: str
    label: str
    line: int | None
    affects: tuple[str, ...] = ()


class NotJudgedNote(_Frozen):
    """A rule that could not be judged for one subject of a council document for lack of text.

    The finding the rule would have given is not silently dropped: it is reported here, with the reason,
    instead of as an open gap (see ``findings/reading.py``).
    """

    rule_id: str
    subject_kind: SubjectKind
    subject_id: str
    subject_name: str
    party_id: str
    severity: Severity
    """The severity the finding would have had."""
    reason: Literal["no_measure_text"]
    """no_measure_text: the document has no measure sentence about the party at all (a cover page, the
    opening of a 仕様書): it says nothing either way, which is not the same as declaring no safeguard."""


class ReadingSummary(_Frozen):
    """How much of a council document was understood (N of M measure sentences mapped)."""

    measure_sentences: int
    mapped_sentences: int
    unrecognised: int
    missing_fields: tuple[MissingFieldNote, ...] = ()
    not_judged: tuple[str, ...] = ()
    not_judged_findings: tuple[NotJudgedNote, ...] = ()


CoverageStatus = Literal["satisfied", "gap", "waived", "not_applicable"]


class CoverageCell(_Frozen):
    """Whether a requirement is met for the subjects of one party."""

    requirement: str
    party: str
    status: CoverageStatus


class CheckResult(_Frozen):
    """Everything one check of one plan produced."""

    file: str
    plan_title: str
    municipality: str
    department: str
    effective_date: dt.date
    as_of: dt.date
    as_of_source: Literal["effective_date", "option", "document_date", "no_date"]
    engine: Literal["durable", "reference"]
    catalog_digest: str
    instruments: tuple[AppliedInstrument, ...]
    rules_run: tuple[str, ...]
    rules_inactive: tuple[str, ...]
    findings: tuple[Finding, ...]
    plan: PlanSummary
    coverage: tuple[CoverageCell, ...] = ()
    applied: tuple[tuple[str, str], ...] = Field(
        default=(), description="(rule id, subject id) pairs the rules examined, gap or not"
    )
    source_kind: Literal["declaration", "document"] = "declaration"
    waivers_expired: tuple[WaiverRef, ...] = ()
    waivers_unmatched: tuple[WaiverRef, ...] = ()
    baseline_suppressed: tuple[str, ...] = Field(default=(), description="fingerprints hidden by --baseline")
    profile: str = Field("standard", description="the profile applied (--profile): which legal bases counted")
    rules_excluded: tuple[str, ...] = Field(
        default=(), description="ids of the rules in force on as_of that the profile left out (not run)"
    )
    unrecognised: tuple[UnrecognisedNote, ...] = ()
    """Sentences of a council document that mapped to no code, with their lines (``ReadingNotes``)."""
    reading: ReadingSummary | None = None
    """How much of a council document was read; None for a declaration."""
    plan_id: str = Field(
        "",
        description="what identifies the plan: 'id:' + its declared plan.id, else 'path:' + its file's path "
        "relative to its git work tree (else the working directory); '' in older reports",
    )

    def counts(self, status: str | None = "open") -> dict[str, int]:
        """Findings per severity (every severity present, zero included); ``status=None`` counts all."""
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            if status is None or f.status == status:
                out[f.severity] += 1
        return out


REPORT_FORMAT_VERSION: Literal[1] = 1


class FailedInput(_Frozen):
    """An input that could not be checked (it did not load, or the check met a bug on it).

    None of its findings are in the report; every format says so, so that a machine reader never takes
    a plan that failed for a plan without gaps.
    """

    file: str = Field(description="the input file, as given")
    line: int | None = Field(None, description="1-based line of the problem, when known")
    column: int | None = Field(None, description="1-based column of the problem, when known")
    key: str = Field(description="message id of the problem (e.g. syntax.yaml, schema.missing)")
    message: Localized = Field(description="the problem in Japanese and English, with expected/found details")
    internal: bool = Field(False, description="a bug met on this input (exit code 3), not a fault in it")
    plan_id: str = Field("", description="the identity the file would have as a plan ('path:' + its path)")


class Report(_Frozen):
    """What every reporter formats: one or more checked plans and how they were checked."""

    format_version: Literal[1] = REPORT_FORMAT_VERSION
    tool: Literal["safeguard-check"] = "safeguard-check"
    tool_version: str
    fail_on: str
    waivers_file: str | None = None
    waivers_applied: bool = True
    results: tuple[CheckResult, ...]
    errors: tuple[FailedInput, ...] = Field(
        default=(), description="inputs that could not be checked: none of their findings are in results"
    )

    def counts(self, status: str | None = "open") -> dict[str, int]:
        """Findings per severity over all plans."""
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for result in self.results:
            for severity, n in result.counts(status).items():
                out[severity] += n
        return out
