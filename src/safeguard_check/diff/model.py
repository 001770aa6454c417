"""What a diff of two declarations is: changes to the plan and the change in findings.

Both are immutable and JSON-ready; the reporters (terminal, JSON, Markdown) only read them.

A :class:`Change` is one row of the council's 「変更箇所」: one field of one part of the plan. Parts are
matched by identity (ids, or a measure's place in the document), never by line, so moving, reordering
or commenting a declaration changes nothing. Members of list fields that are sets (measure codes,
tasks, data items, auth factors, contract clauses …) get one change each: ``op`` ``added``/``removed``
with the member in ``new``/``old``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from safeguard_check.findings.model import CitedRequirement, MissingMeasure
from safeguard_check.model.baseline import Localized
from safeguard_check.model.rule import SEVERITIES, Severity, SubjectKind

DIFF_FORMAT_VERSION: Literal[1] = 1

Entity = Literal["plan", "sheet", "data_item", "medium", "party", "transfer", "terminal", "measure", "contract"]
ENTITIES: tuple[Entity, ...] = (
    "plan",
    "sheet",
    "data_item",
    "medium",
    "party",
    "transfer",
    "terminal",
    "measure",
    "contract",
)
"""The parts of a plan, in the order of the council document (cover sheet, 別紙, then the chain)."""

Op = Literal["added", "removed", "changed", "renamed"]
OPS: tuple[Op, ...] = ("renamed", "removed", "added", "changed")

Value = str | int | bool | None
"""A field's value as JSON: dates as ISO text, codes and ids as text."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(_Frozen):
    """One change: a part added or removed, or one field (or list member) of a matched part."""

    entity: Entity
    key: str = Field(description="identity of the part: its id (the new one), or sheet/section/category/item")
    op: Op
    field: str = Field(default="", description='dotted field name ("period.start"); "" for the part as a whole')
    old: Value = None
    new: Value = None
    code: str | None = Field(
        default=None,
        description="vocabulary code: a contract clause's; a transfer's method or a terminal's system when the "
        "whole part is added or removed",
    )
    label: str | None = Field(default=None, description="the part's name, for people (party name, sheet title …)")
    old_line: int | None = Field(default=None, description="line in the old file (for what was removed or changed)")
    new_line: int | None = Field(default=None, description="line in the new file")


class FindingDelta(_Frozen):
    """A gap introduced, resolved or changed between the two plans (matched by fingerprint)."""

    status: Literal["introduced", "resolved", "changed"]
    fingerprint: str = Field(description="the finding's fingerprint in the new plan (the old one if resolved)")
    rule_id: str
    title: Localized
    severity: Severity = Field(description="severity in the new plan (in the old one if resolved)")
    old_severity: Severity | None = Field(default=None, description="severity in the old plan when it changed")
    subject_kind: SubjectKind
    subject_id: str
    subject_name: str
    party_id: str
    missing: tuple[MissingMeasure, ...] = Field(description="missing measures (new plan; old if resolved)")
    missing_mode: Literal["all_of", "any_of", "none"]
    missing_added: tuple[str, ...] = Field(default=(), description="codes missing now that were not before")
    missing_removed: tuple[str, ...] = Field(default=(), description="codes missing before that are not now")
    requirements: tuple[CitedRequirement, ...]
    file: str
    line: int | None

    def sort_key(self) -> tuple[int, int, str, str, str]:
        """Introduced, resolved, changed; then severity, rule and subject."""
        order = ("introduced", "resolved", "changed")
        return (
            order.index(self.status),
            SEVERITIES.index(self.severity),
            self.rule_id,
            self.subject_id,
            self.fingerprint,
        )


class PlanSide(_Frozen):
    """One of the two plans compared, and the law it was checked against."""

    file: str
    title: str
    municipality: str
    department: str
    effective_date: dt.date
    as_of: dt.date
    as_of_source: Literal["effective_date", "option", "document_date", "no_date"]
    findings: int = Field(description="open findings of this plan")


class PlanDiff(_Frozen):
    """Everything ``safeguard-check diff OLD NEW`` found."""

    format_version: Literal[1] = DIFF_FORMAT_VERSION
    tool: Literal["safeguard-check"] = "safeguard-check"
    tool_version: str
    engine: Literal["durable", "reference"]
    catalog_digest: str
    fail_on: str
    old: PlanSide
    new: PlanSide
    changes: tuple[Change, ...]
    findings: tuple[FindingDelta, ...]
    findings_unchanged: int = Field(description="gaps present, identical, in both plans")

    def by_status(self, status: str) -> tuple[FindingDelta, ...]:
        """The finding deltas with ``status`` (introduced / resolved / changed)."""
        return tuple(f for f in self.findings if f.status == status)

    def introduced_counts(self) -> dict[str, int]:
        """Introduced gaps per severity (every severity present, zero included)."""
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for f in self.by_status("introduced"):
            out[f.severity] += 1
        return out

    def fails(self) -> bool:
        """Whether a gap at or above ``fail_on`` was introduced (exit code 1)."""
        if self.fail_on not in SEVERITIES:
            return False
        limit = SEVERITIES.index(self.fail_on)
        return any(SEVERITIES.index(f.severity) <= limit for f in self.by_status("introduced"))
