"""Profiles: which legal bases count and which rules run, in the manner of XCCDF tailoring."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from safeguard_check.model.baseline import BasisKind, Localized
from safeguard_check.model.rule import RuleId, Severity

ProfileId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Profile(BaseModel):
    """One ``rules/profiles/*.yaml`` file (or a custom file given with ``--profile PATH``).

    ``basis_kinds``: requirements of other basis kinds are treated as not applying — a rule none of
    whose in-force requirements counts is not run, and severity caps are taken only from those that
    count. ``select`` (when given) keeps only the rules listed, ``ignore`` drops rules, ``severity``
    refines a rule's own severity before the cap applies (a cap is never raised by a profile).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    id: ProfileId
    title: Localized
    description: Localized
    basis_kinds: tuple[BasisKind, ...] = Field(min_length=1)
    select: tuple[RuleId, ...] | None = None
    ignore: tuple[RuleId, ...] = ()
    severity: dict[RuleId, Severity] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _distinct(self) -> Profile:
        if len(set(self.basis_kinds)) != len(self.basis_kinds):
            raise ValueError("basis_kinds lists a kind twice")
        if self.select is not None and set(self.select) & set(self.ignore):
            raise ValueError("a rule is both selected and ignored")
        return self

    def rule_ids(self) -> frozenset[str]:
        """Every rule id the profile names (the loader checks they exist)."""
        return frozenset((*(self.select or ()), *self.ignore, *self.severity))

    def runs(self, rule_id: str) -> bool:
        """Whether select/ignore leave ``rule_id`` in (a rule that cannot be suppressed always runs)."""
        from safeguard_check.findings.model import UNSUPPRESSIBLE_RULES

        if rule_id in UNSUPPRESSIBLE_RULES:
            return True
        if self.select is not None and rule_id not in self.select:
            return False
        return rule_id not in self.ignore
