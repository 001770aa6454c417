"""Executable rules: which subjects must carry which measure codes, citing requirement ids."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from safeguard_check.model.baseline import Localized, RequirementId

SubjectKind = Literal["plan", "party", "transfer", "terminal", "contract", "document"]
"""``document``: something found in the plan file's text itself, not a declared subject (the leak guard)."""
Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")]

# Which `when` keys each subject kind understands, and whether the fact attribute is multi-valued.
WHEN_KEYS: dict[SubjectKind, dict[str, str]] = {
    "plan": {"report_type": "one", "legal_basis_kind": "one"},
    "party": {
        "role": "one",
        "task": "many",
        "upstream_role": "one",
        "network_endpoint": "bool",
        "legal_status": "one",
        "upstream_legal_status": "one",
    },
    "transfer": {
        "method": "one",
        "method_not": "one",
        "channel": "one",
        "specific_personal_info": "bool",
        "from_role": "one",
        "to_role": "one",
    },
    "terminal": {"system": "one", "owner_role": "one", "owner_task": "many"},
    "contract": {"client_role": "one", "contractor_role": "many", "client_legal_status": "one"},
    "document": {"content": "one"},
}

OPTIONAL_WHEN_KEYS = frozenset({"legal_status", "upstream_legal_status", "client_legal_status"})
"""``one`` keys a fact may lack (a legal status that is neither declared nor stated by the name): a rule
asking for one of them does not apply to such a fact."""
LEGAL_STATUSES: tuple[str, ...] = ("administrative_organ", "jlis", "business", "unknown")
"""Values of the legal-status fact attributes: a declared or name-stated status, or ``unknown`` (the facts
never guess; rules for the common duties list ``unknown`` so that such a party is still checked)."""

DOCUMENT_CONTENTS: tuple[str, ...] = ("individual_number",)
"""What a ``document`` fact can report (``when.content``): a My Number found by the leak guard."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Requirement(_Model):
    """The measures a subject must carry: all of them, or at least one of them."""

    all_of: list[str] = Field(default_factory=list)
    any_of: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> Requirement:
        if bool(self.all_of) == bool(self.any_of):
            raise ValueError("give exactly one of all_of or any_of, non-empty")
        return self

    @property
    def codes(self) -> list[str]:
        """The codes named, whichever the kind."""
        return self.all_of or self.any_of


class Rule(_Model):
    """One executable check."""

    id: RuleId
    title: Localized
    implements: list[RequirementId] = Field(min_length=1)
    subject: SubjectKind
    when: dict[str, list[str] | bool] = Field(default_factory=dict)
    require: Requirement | None = Field(None, description="absent: the situation described by `when` is itself the gap")
    severity: Severity
    message: Localized
    remediation: Localized
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    rationale: Localized | None = None

    @model_validator(mode="after")
    def _when_keys(self) -> Rule:
        allowed = WHEN_KEYS[self.subject]
        for key, value in self.when.items():
            shape = allowed.get(key)
            if shape is None:
                raise ValueError(f"`when` key {key!r} is not available for subject {self.subject!r}")
            if (shape == "bool") != isinstance(value, bool):
                raise ValueError(f"`when.{key}` must be {'true/false' if shape == 'bool' else 'a list'}")
            if isinstance(value, list) and not value:
                raise ValueError(f"`when.{key}` must not be empty")
        return self


class RuleFile(_Model):
    """One file under ``rules/``."""

    schema_version: Literal[1]
    rules: list[Rule]
