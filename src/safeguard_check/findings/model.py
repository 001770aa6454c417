"""The result of a check: immutable, complete, and the only thing reporters see."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from safeguard_check.model.baseline import Localized
from safeguard_check.model.rule import SEVERITIES, Severity, SubjectKind


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CitedRequirement(_Frozen):
    """A requirement a finding rests on, with its citation."""

    id: str
    instrument: str
    label: Localized
    title: Localized
    verification: Literal["official_text", "secondary_source", "unverified"]
    in_force: bool


class MissingMeasure(_Frozen):
    """A measure code the subject lacks."""

    code: str
    label: Localized


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


class CheckResult(_Frozen):
    """Everything one check of one plan produced."""

    file: str
    plan_title: str
    municipality: str
    department: str
    effective_date: dt.date
    as_of: dt.date
    as_of_source: Literal["effective_date", "option"]
    engine: Literal["durable", "reference"]
    catalog_digest: str
    instruments: tuple[AppliedInstrument, ...]
    rules_run: tuple[str, ...]
    rules_inactive: tuple[str, ...]
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (every severity present, zero included)."""
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out
