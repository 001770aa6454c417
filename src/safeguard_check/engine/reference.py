"""The reference evaluator: the rule semantics written out in plain Python.

It is the specification the durable-rules path is tested against (property tests compare the two on
generated plans); keep it obvious rather than fast.
"""

from __future__ import annotations

from collections.abc import Iterable

from safeguard_check.engine.hits import Hit
from safeguard_check.facts.build import Fact
from safeguard_check.model.rule import Rule


def applies(rule: Rule, fact: Fact) -> bool:
    """Whether ``rule``'s subject kind and every ``when`` condition hold for ``fact``."""
    if rule.subject != fact.subject.kind:
        return False
    for key, wanted in rule.when.items():
        if isinstance(wanted, bool):
            if fact.flags.get(key, False) != wanted:
                return False
        elif key.endswith("_not"):
            if fact.one.get(key) in wanted:
                return False
        elif key in fact.many:
            if not fact.many[key] & set(wanted):
                return False
        elif fact.one.get(key) not in wanted:
            # Also when the fact lacks the key: an unknown legal status matches no wanted status.
            return False
    return True


def missing(rule: Rule, fact: Fact) -> frozenset[str] | None:
    """The codes ``rule`` finds missing on ``fact``; None when there is no gap."""
    if rule.require is None:
        return frozenset()
    if rule.require.all_of:
        gap = frozenset(rule.require.all_of) - fact.codes
        return gap or None
    if fact.codes.isdisjoint(rule.require.any_of):
        return frozenset(rule.require.any_of)
    return None


def evaluate(facts: Iterable[Fact], rules: Iterable[Rule]) -> set[Hit]:
    """Every (rule, subject, missing codes) gap."""
    rule_list = list(rules)
    hits: set[Hit] = set()
    for fact in facts:
        for rule in rule_list:
            if not applies(rule, fact):
                continue
            gap = missing(rule, fact)
            if gap is not None:
                hits.add(Hit(rule.id, fact.subject.id, gap))
    return hits
