"""Choose the law in force on a date: which requirements apply, hence which rules run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard_check.load.catalog import Catalog
from safeguard_check.model.rule import Rule


@dataclass(frozen=True)
class LawInForce:
    """The requirements and rules that apply on ``as_of``."""

    as_of: dt.date
    requirements: frozenset[str]
    rules: tuple[Rule, ...]
    inactive_rules: tuple[str, ...]


def rule_active(rule: Rule, catalog: Catalog, on: dt.date) -> bool:
    """A rule runs when its own window holds and at least one requirement it implements is in force."""
    if rule.effective_from is not None and on < rule.effective_from:
        return False
    if rule.effective_until is not None and on >= rule.effective_until:
        return False
    return any(catalog.requirements[r].in_force(on) for r in rule.implements)


def law_in_force(catalog: Catalog, on: dt.date) -> LawInForce:
    """Select the requirements and rules of ``catalog`` that apply on ``on``."""
    requirements = frozenset(rid for rid, req in catalog.requirements.items() if req.in_force(on))
    active = tuple(r for r in catalog.rules if rule_active(r, catalog, on))
    active_ids = {r.id for r in active}
    inactive = tuple(sorted(r.id for r in catalog.rules if r.id not in active_ids))
    return LawInForce(on, requirements, active, inactive)
