"""Accepted-risk waivers: the file format and the validated, catalogue-checked form.

A waivers file is YAML (or JSON)::

    schema_version: 1
    waivers:
      - id: W-2020-001                       # required, unique in the file
        rule: SGC-TERMINAL-MFA               # a rule id, and/or
        requirement: PPC-GYOSEI-TECH-...     # a requirement id (at least one of the two)
        subject: shinjuku-resident-info-terminal   # a subject id; "*" = every subject (needs `rule`)
        plan: 新宿区                          # optional: only for the plan of this municipality
        justification: ...                   # required, not blank
        approved_by: 戸籍住民課長              # required, not blank
        granted_on: 令和2年5月20日             # required; ISO or 和暦
        expires: 令和3年3月31日                # required; after granted_on; valid THROUGH this day

Matching (see :meth:`Waiver.matches`): a finding is covered when the plan matches (if given), the
rule matches (if given), the requirement is one the finding's rule implements (if given) and the subject
id matches (or is ``*``). ``*`` is only accepted together with ``rule``: a waiver of a legal requirement
for every subject of every rule would be too broad to be an informed acceptance of a risk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from safeguard_check.findings.model import Finding, WaiverRef
from safeguard_check.model.declaration import Ident, PlanDate

WILDCARD = "*"
"""``subject: "*"``: every subject of the waiver's rule."""


class WaiverEntry(BaseModel):
    """One entry of a waivers file, as written (semantic checks are in :mod:`.load`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Ident
    rule: str | None = None
    requirement: str | None = None
    subject: str
    plan: str | None = None
    justification: str
    approved_by: str
    granted_on: PlanDate
    expires: PlanDate


class WaiverFile(BaseModel):
    """A whole waivers file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    waivers: list[WaiverEntry]


@dataclass(frozen=True)
class Waiver:
    """A validated waiver and where it is written."""

    id: str
    rule: str | None
    requirement: str | None
    subject: str
    plan: str | None
    justification: str
    approved_by: str
    granted_on: dt.date
    expires: dt.date
    file: str
    line: int | None

    def expired(self, today: dt.date) -> bool:
        """A waiver is valid through its expiry date: it has expired only from the next day on."""
        return self.expires < today

    def in_scope(self, municipality: str) -> bool:
        """Whether the waiver concerns the plan of ``municipality`` (always, without ``plan``)."""
        return self.plan is None or self.plan == municipality

    def matches(self, finding: Finding, implements: Mapping[str, tuple[str, ...]]) -> bool:
        """Whether this waiver covers ``finding`` (expiry and plan scope are checked separately).

        ``implements`` maps rule ids to the requirement ids they implement (from the catalogue); the
        requirements the finding cites are used as well, so a result alone is enough.
        """
        if self.rule is not None and finding.rule_id != self.rule:
            return False
        if self.requirement is not None:
            cited = {r.id for r in finding.requirements} | set(implements.get(finding.rule_id, ()))
            if self.requirement not in cited:
                return False
        return self.subject == WILDCARD or self.subject == finding.subject_id

    def ref(self) -> WaiverRef:
        """The waiver as recorded in a result."""
        return WaiverRef(
            id=self.id,
            rule=self.rule,
            requirement=self.requirement,
            subject=self.subject,
            justification=self.justification,
            approved_by=self.approved_by,
            granted_on=self.granted_on,
            expires=self.expires,
            file=self.file,
            line=self.line,
        )


@dataclass(frozen=True)
class WaiverSet:
    """The waivers of one file, in file order, with the rule → requirements map they were checked with."""

    file: str
    waivers: tuple[Waiver, ...]
    implements: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
