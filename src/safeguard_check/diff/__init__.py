"""``safeguard-check diff OLD NEW``: what changed in a plan, and which gaps that introduced or resolved.

Modules, one job each: :mod:`.model` (the result), :mod:`.fields` (parts as flat comparable fields),
:mod:`.identity` (matching parts by identity, re-identification), :mod:`.changes` (field-by-field
changes), :mod:`.findings` (the findings delta), :mod:`.compare` (both together), :mod:`.wording`
(labels and inline text differences) and the reporters :mod:`.terminal`, :mod:`.json_format` and
:mod:`.markdown`.
"""

from __future__ import annotations

from safeguard_check.diff.changes import diff_declarations
from safeguard_check.diff.compare import diff_plans
from safeguard_check.diff.findings import diff_findings
from safeguard_check.diff.model import Change, FindingDelta, PlanDiff, PlanSide

__all__ = ["Change", "FindingDelta", "PlanDiff", "PlanSide", "diff_declarations", "diff_findings", "diff_plans"]
