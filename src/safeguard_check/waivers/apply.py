"""Apply waivers to a check result: a pure function of the result, the waivers and today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safeguard_check.findings.model import (
    UNSUPPRESSIBLE_RULES,
    CheckResult,
    CoverageCell,
    CoverageStatus,
    Finding,
)
from safeguard_check.waivers.model import Waiver, WaiverSet


def apply_waivers(result: CheckResult, waivers: WaiverSet, today: dt.date) -> CheckResult:
    """A copy of ``result`` with the findings covered by a valid waiver marked ``waived``.

    * Only waivers in scope for the plan count (no ``plan``, or ``plan`` equal to the municipality).
    * A waiver is valid through its ``expires`` date (``expires >= today``). An expired waiver never
      applies: the finding stays ``open`` with no ``waiver``; every expired waiver in scope is listed in
      ``waivers_expired`` (whether or not it would have matched), because it needs renewing or removing.
    * When several valid waivers match a finding, the first in the file wins.
    * Valid waivers that match no finding are listed in ``waivers_unmatched`` (a waiver that matched a
      finding already covered by an earlier waiver did match, and is not listed).
    * No finding is dropped; coverage cells whose gaps are all waived become ``waived``.

    ``waiver`` is set exactly on the ``waived`` findings. Applying the same waivers twice gives the same
    result. ``today`` is passed in (the CLI gives ``date.today()``) so that expiry can be tested.
    """
    in_scope = [w for w in waivers.waivers if w.in_scope(result.municipality)]
    valid = [w for w in in_scope if not w.expired(today)]
    expired = [w for w in in_scope if w.expired(today)]
    matched: set[int] = set()
    findings: list[Finding] = []
    for finding in result.findings:
        if finding.rule_id in UNSUPPRESSIBLE_RULES:
            findings.append(finding)  # a leaked 個人番号 is never an accepted risk
            continue
        hits = [i for i, w in enumerate(valid) if w.matches(finding, waivers.implements)]
        matched.update(hits)
        if finding.status == "waived" or not hits:
            findings.append(finding)
        else:
            findings.append(finding.model_copy(update={"status": "waived", "waiver": valid[hits[0]].ref()}))
    unmatched: list[Waiver] = [w for i, w in enumerate(valid) if i not in matched]
    return result.model_copy(
        update={
            "findings": tuple(findings),
            "coverage": recompute_coverage(result.coverage, findings),
            "waivers_expired": tuple(w.ref() for w in expired),
            "waivers_unmatched": tuple(w.ref() for w in unmatched),
        }
    )


def recompute_coverage(cells: Iterable[CoverageCell], findings: Iterable[Finding]) -> tuple[CoverageCell, ...]:
    """``cells`` with every gap/waived cell re-derived from the findings' statuses.

    A cell with findings is ``waived`` when all of them are waived, else ``gap``; ``satisfied`` and
    ``not_applicable`` cells have no findings and are kept (which rules applied cannot change here).
    """
    statuses: dict[tuple[str, str], list[str]] = {}
    for finding in findings:
        for cited in finding.requirements:
            statuses.setdefault((cited.id, finding.party_id), []).append(finding.status)
    out: list[CoverageCell] = []
    for cell in cells:
        found = statuses.get((cell.requirement, cell.party))
        if found:
            status: CoverageStatus = "waived" if all(s == "waived" for s in found) else "gap"
            out.append(cell if cell.status == status else cell.model_copy(update={"status": status}))
        else:
            out.append(cell)
    return tuple(out)
