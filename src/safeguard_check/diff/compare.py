"""``diff_plans``: compare two loaded plans and check both, producing one :class:`PlanDiff`."""

from __future__ import annotations

import datetime as dt

from safeguard_check import __version__
from safeguard_check.check import EngineName, check_plan
from safeguard_check.diff.changes import diff_declarations
from safeguard_check.diff.findings import diff_findings
from safeguard_check.diff.model import PlanDiff, PlanSide
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import LoadedPlan


def diff_plans(
    old: LoadedPlan,
    new: LoadedPlan,
    catalog: Catalog,
    *,
    as_of: dt.date | None = None,
    engine: EngineName = "durable",
    fail_on: str = "high",
) -> PlanDiff:
    """What changed from ``old`` to ``new``, and the gaps that change introduced or resolved.

    Each plan is checked against the law in force on its own effective date, or both on ``as_of``.
    """
    changes, ids = diff_declarations(old, new)
    old_result = check_plan(old, catalog, as_of=as_of, engine=engine)
    new_result = check_plan(new, catalog, as_of=as_of, engine=engine)
    findings, unchanged = diff_findings(old_result, new_result, ids)
    return PlanDiff(
        tool_version=__version__,
        engine=engine,
        catalog_digest=catalog.digest,
        fail_on=fail_on,
        old=_side(old_result),
        new=_side(new_result),
        changes=changes,
        findings=findings,
        findings_unchanged=unchanged,
    )


def _side(result: CheckResult) -> PlanSide:
    return PlanSide(
        file=result.file,
        title=result.plan_title,
        municipality=result.municipality,
        department=result.department,
        effective_date=result.effective_date,
        as_of=result.as_of,
        as_of_source=result.as_of_source,
        findings=sum(result.counts().values()),
    )
