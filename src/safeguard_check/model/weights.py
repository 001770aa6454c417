"""Severity caps as data: how severe a finding can be, given what its legal basis is and how sure we are of it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from safeguard_check.model.baseline import BASIS_KINDS, VERIFICATIONS, BasisKind, Verification
from safeguard_check.model.rule import SEVERITIES, Severity


class WeightsFile(BaseModel):
    """``baselines/weights.yaml``: for each basis kind and verification, the highest severity allowed.

    The table must be complete (every basis kind, every verification), so that no requirement falls
    through to an implicit default nobody argued for.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    caps: dict[BasisKind, dict[Verification, Severity]]

    @model_validator(mode="after")
    def _complete(self) -> WeightsFile:
        for basis in BASIS_KINDS:
            row = self.caps.get(basis)
            if row is None:
                raise ValueError(f"caps: basis kind {basis!r} is missing")
            for verification in VERIFICATIONS:
                if verification not in row:
                    raise ValueError(f"caps.{basis}: verification {verification!r} is missing")
        return self

    def cap(self, basis: BasisKind, verification: Verification) -> Severity:
        """The highest severity a finding resting on this basis and verification may have."""
        return self.caps[basis][verification]


def lower(a: Severity, b: Severity) -> Severity:
    """The less severe of two severities."""
    return a if SEVERITIES.index(a) >= SEVERITIES.index(b) else b


def higher(a: Severity, b: Severity) -> Severity:
    """The more severe of two severities."""
    return a if SEVERITIES.index(a) <= SEVERITIES.index(b) else b
