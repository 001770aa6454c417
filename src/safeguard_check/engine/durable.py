"""The durable-rules path: rules compiled to a ruleset once per process, fresh sessions per plan.

Encoding (DESIGN §4, and why): every condition is about a *single* flat fact. A rule with
``all_of: [a, b]`` becomes one durable rule per code — ``applies & -has__a`` and
``applies & -has__b`` — so each firing names exactly one missing code and the engine never needs
negation across facts (which gave false gaps). ``any_of`` becomes one durable rule with every code
negated; a rule without ``require`` fires on ``applies`` alone. A catch-all rule keeps durable-rules
from raising on facts no rule matches.

Sessions: facts are asserted in one call per session (mixing sessions in one call lost matches in
DESIGN's probe) and the session's state is deleted afterwards, which keeps memory flat.

Work once per distinct subject: what the rules fire on a fact depends on the fact's content alone, so
each compiled ruleset remembers the firings per fact content and only facts it has not seen go to
durable-rules (``memo=False`` sends every fact, for tests and the benchmark's raw-engine figure).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from safeguard_check.engine.hits import Hit
from safeguard_check.facts.build import Fact, FactKey
from safeguard_check.model.rule import WHEN_KEYS, Rule

SESSION_FACTS = 32
"""Facts per durable-rules session (see CompiledRuleset.evaluate for why there is a bound)."""


class EngineUnavailable(RuntimeError):
    """durable-rules cannot be imported on this interpreter."""


def _durable() -> Any:
    try:
        import durable.lang as lang
    except ImportError as exc:  # e.g. CPython 3.13 without the build flag of DESIGN §4
        raise EngineUnavailable(str(exc)) from exc
    return lang


def code_attribute(code: str) -> str:
    """Fact attribute that marks measure ``code`` as present (durable reads dots as paths)."""
    return "has__" + code.replace(".", "__")


def flatten(fact: Fact, sid: str, index: int) -> dict[str, Any]:
    """The fact as durable-rules sees it: a flat dict, one attribute per value and per code.

    Its identity in the session is its position in the evaluated list, not the subject id: the
    firings are mapped back by position, which stays exact even when two subjects of different kinds
    share an id.
    """
    out: dict[str, Any] = {
        "id": str(index),
        "sid": sid,
        "kind": fact.subject.kind,
        "subject": str(index),
    }
    out.update(fact.one)
    for key, values in fact.many.items():
        for value in values:
            out[f"{key}__{value}"] = True
    out.update(fact.flags)
    for code in fact.codes:
        out[code_attribute(code)] = True
    return out


def _condition(lang: Any, rule: Rule) -> Any:
    m = lang.m
    expr = m.kind == rule.subject
    for key, wanted in sorted(rule.when.items()):
        attr = getattr(m, key)
        if isinstance(wanted, bool):
            expr = expr & (attr == wanted)
            continue
        if key.endswith("_not"):
            for value in wanted:
                expr = expr & (attr != value)
            continue
        # A fact without the attribute (an unknown legal status, OPTIONAL_WHEN_KEYS) fails `attr == value`
        # in durable-rules as in the reference evaluator (tests/engine/test_agreement.py draws such facts).
        terms = [
            (getattr(m, f"{key}__{value}") == True) if _is_many(rule, key) else (attr == value)  # noqa: E712
            for value in wanted
        ]
        disjunction = terms[0]
        for term in terms[1:]:
            disjunction = disjunction | term
        expr = expr & disjunction
    return expr


def _is_many(rule: Rule, key: str) -> bool:
    return WHEN_KEYS[rule.subject].get(key) == "many"


class CompiledRuleset:
    """A set of rules registered with durable-rules under a name derived from their content."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _cache: ClassVar[dict[str, CompiledRuleset]] = {}
    _by_identity: ClassVar[dict[tuple[int, ...], tuple[tuple[Rule, ...], CompiledRuleset]]] = {}
    _session_ids: ClassVar[itertools.count[int]] = itertools.count()

    def __init__(self, name: str, rules: Sequence[Rule]) -> None:
        self.name = name
        self.rules = tuple(rules)
        self._sink: dict[str, list[tuple[str, str, str | None]]] = {}
        self._by_id = {r.id: r for r in self.rules}
        self._memo: dict[FactKey, Firings] = {}
        lang = _durable()
        with lang.ruleset(name):
            for rule in self.rules:
                base = _condition(lang, rule)
                if rule.require is None:
                    lang.when_all(base)(self._action(rule.id, None))
                elif rule.require.all_of:
                    for code in rule.require.all_of:
                        lang.when_all(base & -getattr(lang.m, code_attribute(code)))(self._action(rule.id, code))
                else:
                    cond = base
                    for code in rule.require.any_of:
                        cond = cond & -getattr(lang.m, code_attribute(code))
                    lang.when_all(cond)(self._action(rule.id, "*"))
            lang.when_all(+lang.m.kind)(_ignore)
        self._host = lang.get_host()

    def _action(self, rule_id: str, code: str | None) -> Callable[[Any], None]:
        sink = self._sink

        def action(c: Any) -> None:
            sink[c.m.sid].append((rule_id, c.m.subject, code))

        return action

    @classmethod
    def for_rules(cls, rules: Sequence[Rule]) -> CompiledRuleset:
        """The compiled ruleset for ``rules``, compiled on first use and cached by content hash.

        Hashing the rules' content costs about a millisecond, so the same rule objects (the usual
        case: one catalog, a few law-in-force selections) are also looked up by identity first.
        """
        identity = tuple(id(r) for r in rules)
        with cls._lock:
            known = cls._by_identity.get(identity)
            if known is not None and known[0] == tuple(rules):
                return known[1]
        ordered = sorted(rules, key=lambda r: r.id)
        digest = hashlib.sha256(
            json.dumps([r.model_dump(mode="json") for r in ordered], sort_keys=True).encode()
        ).hexdigest()[:16]
        with cls._lock:
            compiled = cls._cache.get(digest)
            if compiled is None:
                compiled = cls(f"sgc_{digest}", ordered)
                cls._cache[digest] = compiled
            # Keep the rule objects alive with the entry so their ids cannot be reused.
            cls._by_identity[identity] = (tuple(rules), compiled)
            return compiled

    def _session(self, facts: Sequence[Fact], first: int) -> list[tuple[int, str, str | None]]:
        with self._lock:
            sid = str(next(self._session_ids))
        self._sink[sid] = []
        try:
            payload = [flatten(f, sid, first + i) for i, f in enumerate(facts)]
            if payload:
                self._host.assert_facts(self.name, payload)
            return [(int(index), rule_id, code) for rule_id, index, code in self._sink[sid]]
        finally:
            self._sink.pop(sid, None)
            # A session that never received a fact has no state to delete.
            with contextlib.suppress(Exception):
                self._host.delete_state(self.name, sid)

    def _fire(self, facts: Sequence[Fact]) -> list[Firings]:
        """What durable-rules fires on each fact, by position: ((rule id, missing codes), ...).

        durable-rules fails inside a session that holds a few hundred facts (error 307,
        ERR_NODE_DELETED, seen from about 600 facts; its message index is a fixed 512 entries).
        Every rule reads a single fact, so facts are independent and can be evaluated in sessions of
        ``SESSION_FACTS`` each without changing any result.
        """
        fired: list[dict[str, set[str]]] = [{} for _ in facts]
        for start in range(0, len(facts), SESSION_FACTS):
            for index, rule_id, code in self._session(facts[start : start + SESSION_FACTS], start):
                codes = fired[index].setdefault(rule_id, set())
                require = self._by_id[rule_id].require
                if code == "*" and require is not None:
                    codes.update(require.any_of)
                elif code is not None:
                    codes.add(code)
        return [tuple(sorted((rule_id, frozenset(codes)) for rule_id, codes in f.items())) for f in fired]

    def evaluate(self, facts: Iterable[Fact], *, memo: bool = True) -> set[Hit]:
        """Evaluate one plan's facts in fresh sessions, deleting each session afterwards.

        With ``memo`` (the default), durable-rules sees each distinct fact *content* once per process:
        what it fired on a fact depends only on the fact's attributes and codes (every rule reads a
        single fact), so another subject with the same content — the same contractor in the next
        municipality's plan — gets the same firings without a second evaluation. The memo lives with
        this compiled ruleset, so a different rule set never shares it; it is emptied when it reaches
        ``MEMO_LIMIT`` entries, which keeps memory bounded.
        """
        fact_list = list(facts)
        if not memo:
            return _hits(fact_list, self._fire(fact_list))
        known = self._memo
        keys = [fact.key for fact in fact_list]
        unseen: dict[FactKey, Fact] = {}
        for key, fact in zip(keys, fact_list, strict=True):
            if key not in known and key not in unseen:
                unseen[key] = fact
        if unseen:
            if len(known) + len(unseen) > MEMO_LIMIT:
                # Emptied: the contents this plan shared with earlier plans are gone too, so every
                # distinct content of the plan is evaluated now (not only the new ones).
                known.clear()
                unseen = {}
                for key, fact in zip(keys, fact_list, strict=True):
                    unseen.setdefault(key, fact)
            for key, firings in zip(unseen, self._fire(list(unseen.values())), strict=True):
                known[key] = firings
        return _hits(fact_list, [known[key] for key in keys])


Firings = tuple[tuple[str, frozenset[str]], ...]
"""What the rules fire on one fact: (rule id, missing codes) pairs, sorted."""

MEMO_LIMIT = 200_000
"""Distinct fact contents remembered per compiled ruleset (a few hundred bytes each)."""


def _hits(facts: Sequence[Fact], firings: Sequence[Firings]) -> set[Hit]:
    return {
        Hit(rule_id, fact.subject.id, codes)
        for fact, fired in zip(facts, firings, strict=True)
        for rule_id, codes in fired
    }


def _ignore(c: Any) -> None:
    """Catch-all action: a fact no rule matches must not raise MessageNotHandledException."""


def evaluate(facts: Iterable[Fact], rules: Sequence[Rule], *, memo: bool = True) -> set[Hit]:
    """Every (rule, subject, missing codes) gap, computed by durable-rules (see CompiledRuleset.evaluate)."""
    if not rules:
        return set()
    return CompiledRuleset.for_rules(rules).evaluate(facts, memo=memo)
