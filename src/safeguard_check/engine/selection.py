"""Choose the law in force on a date under a profile: which requirements apply, hence which rules run.

A profile (``rules/profiles/*.yaml``) says which basis kinds count: a requirement of another kind is
treated as not applying, so it neither makes a rule run nor lends its severity cap. Without a profile
every basis kind counts (the ``standard`` profile).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguard_check.load.catalog import Catalog
from safeguard_check.model.profile import Profile
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
    profile: Profile | None = None
    """The profile the selection was made under (``None``: every basis kind counts)."""
    excluded_rules: tuple[str, ...] = ()
    """Rules in force on ``as_of`` that the profile leaves out (its bases or select/ignore), sorted."""

    @property
    def profile_id(self) -> str:
        """The profile's id; ``standard`` when none was given."""
        return self.profile.id if self.profile is not None else "standard"


def counts(catalog: Catalog, requirement_id: str, on: dt.date, profile: Profile | None) -> bool:
    """Whether a requirement applies on ``on`` under ``profile`` (in force and of a basis kind it counts)."""
    if not catalog.requirements[requirement_id].in_force(on):
        return False
    return profile is None or catalog.basis_kind(requirement_id) in profile.basis_kinds


def rule_active(rule: Rule, catalog: Catalog, on: dt.date, profile: Profile | None = None) -> bool:
    """A rule runs when its own window holds, the profile keeps it, and at least one requirement it
    implements is in force and counted by the profile."""
    if rule.effective_from is not None and on < rule.effective_from:
        return False
    if rule.effective_until is not None and on >= rule.effective_until:
        return False
    if profile is not None and not profile.runs(rule.id):
        return False
    return any(counts(catalog, r, on, profile) for r in rule.implements)


_LAW_CACHE: dict[tuple[int, dt.date, int], tuple[Catalog, Profile | None, LawInForce]] = {}
_LAW_CACHE_LIMIT = 4096


def law_in_force(catalog: Catalog, on: dt.date, profile: Profile | None = None) -> LawInForce:
    """Select the requirements and rules of ``catalog`` that apply on ``on`` under ``profile``
    (remembered per catalogue, date and profile).

    Plans of one batch share a handful of effective dates; returning the same object for each keeps
    the rules tuple identical, which is what the engine's compiled-ruleset lookup and the findings'
    caches key on.
    """
    # Keyed by identity, holding the catalogue and profile so their ids cannot be reused by other objects.
    key = (id(catalog), on, id(profile))
    known = _LAW_CACHE.get(key)
    if known is not None and known[0] is catalog and known[1] is profile:
        return known[2]
    law = _select(catalog, on, profile)
    if len(_LAW_CACHE) >= _LAW_CACHE_LIMIT:
        _LAW_CACHE.clear()
    _LAW_CACHE[key] = (catalog, profile, law)
    return law


def _select(catalog: Catalog, on: dt.date, profile: Profile | None) -> LawInForce:
    requirements = frozenset(rid for rid in catalog.requirements if counts(catalog, rid, on, profile))
    active = tuple(r for r in catalog.rules if rule_active(r, catalog, on, profile))
    active_ids = {r.id for r in active}
    # Not in force on the date at all, versus in force but left out by the profile: reports say which.
    in_force = {r.id for r in catalog.rules if rule_active(r, catalog, on)} if profile is not None else active_ids
    inactive = tuple(sorted(r.id for r in catalog.rules if r.id not in in_force))
    excluded = tuple(sorted(in_force - active_ids))
    return LawInForce(on, requirements, active, inactive, tuple(sorted(active_ids)), profile, excluded)
