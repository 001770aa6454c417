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
    rule_ids: tuple[str, ...]
    """Ids of ``rules``, sorted (what a result reports as run)."""


def rule_active(rule: Rule, catalog: Catalog, on: dt.date) -> bool:
    """A rule runs when its own window holds and at least one requirement it implements is in force."""
    if rule.effective_from is not None and on < rule.effective_from:
        return False
    if rule.effective_until is not None and on >= rule.effective_until:
        return False
    return any(catalog.requirements[r].in_force(on) for r in rule.implements)


_LAW_CACHE: dict[tuple[int, dt.date], tuple[Catalog, LawInForce]] = {}
_LAW_CACHE_LIMIT = 4096


def law_in_force(catalog: Catalog, on: dt.date) -> LawInForce:
    """Select the requirements and rules of ``catalog`` that apply on ``on`` (remembered per catalogue and date).

    Plans of one batch share a handful of effective dates; returning the same object for each keeps
    the rules tuple identical, which is what the engine's compiled-ruleset lookup and the findings'
    caches key on.
    """
    # Keyed by identity, holding the catalogue so its id cannot be reused by another object.
    known = _LAW_CACHE.get((id(catalog), on))
    if known is not None and known[0] is catalog:
        return known[1]
    law = _select(catalog, on)
    if len(_LAW_CACHE) >= _LAW_CACHE_LIMIT:
        _LAW_CACHE.clear()
    _LAW_CACHE[(id(catalog), on)] = (catalog, law)
    return law


def _select(catalog: Catalog, on: dt.date) -> LawInForce:
    requirements = frozenset(rid for rid, req in catalog.requirements.items() if req.in_force(on))
    active = tuple(r for r in catalog.rules if rule_active(r, catalog, on))
    active_ids = {r.id for r in active}
    inactive = tuple(sorted(r.id for r in catalog.rules if r.id not in active_ids))
    return LawInForce(on, requirements, active, inactive, tuple(sorted(active_ids)))
