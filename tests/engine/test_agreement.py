"""The durable-rules path must agree with the reference evaluator, on arbitrary rules and facts.

Rules and facts are generated directly (not through declarations), so every `when` shape, every
require kind and every combination of present codes is exercised — including shapes the bundled
rules do not use yet.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.engine import durable, reference
from safeguard_check.facts.build import Fact, Subject
from safeguard_check.model.rule import OPTIONAL_WHEN_KEYS, WHEN_KEYS, Rule

CODES = ["a.one", "a.two", "b.three", "b.four", "c.five_six"]
VALUES = ["v1", "v2", "v3"]
KINDS = list(WHEN_KEYS)


@st.composite
def rules(draw: st.DrawFn, index: int) -> Rule:
    kind = draw(st.sampled_from(KINDS))
    keys = draw(st.lists(st.sampled_from(sorted(WHEN_KEYS[kind])), unique=True, max_size=3))
    when: dict[str, list[str] | bool] = {}
    for key in keys:
        if WHEN_KEYS[kind][key] == "bool":
            when[key] = draw(st.booleans())
        else:
            when[key] = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True))
    shape = draw(st.sampled_from(["all_of", "any_of", "none"]))
    require = None
    if shape != "none":
        require = {shape: draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True))}
    return Rule.model_validate(
        {
            "id": f"R-{index}",
            "title": {"ja": "t", "en": "t"},
            "implements": ["X-1"],
            "subject": kind,
            "when": when,
            "require": require,
            "severity": "high",
            "message": {"ja": "m", "en": "m"},
            "remediation": {"ja": "r", "en": "r"},
        }
    )


@st.composite
def facts(draw: st.DrawFn, index: int) -> Fact:
    kind = draw(st.sampled_from(KINDS))
    one: dict[str, str] = {}
    many: dict[str, frozenset[str]] = {}
    flags: dict[str, bool] = {}
    for key, shape in WHEN_KEYS[kind].items():
        if shape == "bool":
            flags[key] = draw(st.booleans())
        elif shape == "many":
            many[key] = frozenset(draw(st.lists(st.sampled_from(VALUES), max_size=3)))
        elif key in OPTIONAL_WHEN_KEYS:
            # An unknown legal status is absent from the fact: both engines must then not apply.
            value = draw(st.sampled_from([*VALUES, None]))
            if value is not None:
                one[key] = value
        else:
            one[key] = draw(st.sampled_from(VALUES))
    codes = frozenset(draw(st.lists(st.sampled_from(CODES), max_size=5)))
    subject = Subject(kind, f"s{index}", f"s{index}", (kind, index), "p", index)
    return Fact(subject, one=one, many=many, flags=flags, codes=codes)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Rule], list[Fact]]:
    n_rules = draw(st.integers(1, 12))
    n_facts = draw(st.integers(0, 10))
    return [draw(rules(i)) for i in range(n_rules)], [draw(facts(i)) for i in range(n_facts)]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_durable_agrees_with_reference(scenario: tuple[list[Rule], list[Fact]]) -> None:
    rule_list, fact_list = scenario
    assert durable.evaluate(fact_list, rule_list) == reference.evaluate(fact_list, rule_list)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_durable_without_memo_agrees_with_reference(scenario: tuple[list[Rule], list[Fact]]) -> None:
    # Every fact through durable-rules, nothing remembered: the engine itself is what is compared.
    rule_list, fact_list = scenario
    assert durable.evaluate(fact_list, rule_list, memo=False) == reference.evaluate(fact_list, rule_list)


def _renamed(fact: Fact, ident: str) -> Fact:
    s = fact.subject
    return Fact(Subject(s.kind, ident, ident, s.path, s.party, s.order), fact.one, fact.many, fact.flags, fact.codes)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.integers(0, 3))
def test_memo_gives_each_subject_its_own_hits(scenario: tuple[list[Rule], list[Fact]], copies: int) -> None:
    # Copies of the same contents under other subject ids — including one id shared by subjects of
    # different kinds — must each get exactly the hits a fresh evaluation gives them.
    rule_list, fact_list = scenario
    more = [_renamed(f, f"copy{c}-{i}") for c in range(copies) for i, f in enumerate(fact_list)]
    shared = [_renamed(f, "same-id") for f in fact_list[:3]]
    everything = fact_list + more + shared
    remembered = durable.evaluate(everything, rule_list)
    assert remembered == durable.evaluate(everything, rule_list, memo=False)
    assert remembered == reference.evaluate(everything, rule_list)
    # A second pass is served from the memo and must not change anything.
    assert durable.evaluate(everything, rule_list) == remembered


def _party_rule(rule_id: str) -> Rule:
    """A rule on parties that requires the code ``a.one``."""
    return Rule.model_validate(
        {
            "id": rule_id,
            "title": {"ja": "t", "en": "t"},
            "implements": ["X-1"],
            "subject": "party",
            "require": {"all_of": ["a.one"]},
            "severity": "high",
            "message": {"ja": "m", "en": "m"},
            "remediation": {"ja": "r", "en": "r"},
        }
    )


def test_memo_is_bounded(monkeypatch: object) -> None:
    rule = _party_rule("R-BOUND")
    monkeypatch.setattr(durable, "MEMO_LIMIT", 5)  # type: ignore[attr-defined]
    compiled = durable.CompiledRuleset.for_rules([rule])
    for batch in range(4):
        batch_facts = [
            Fact(Subject("party", f"p{i}", "p", ("parties", i), "p", i), one={"role": f"r{batch}-{i}"})
            for i in range(3)
        ]
        hits = compiled.evaluate(batch_facts)
        assert {h.subject for h in hits} == {"p0", "p1", "p2"}
        assert len(compiled._memo) <= 5


def test_memo_emptied_while_a_plan_shares_contents_with_earlier_plans(monkeypatch: object) -> None:
    # A plan with some contents already remembered and some new ones arrives when the memo is full:
    # after emptying it, the remembered ones must be evaluated again, not looked up (KeyError).
    rule = _party_rule("R-REFILL")
    monkeypatch.setattr(durable, "MEMO_LIMIT", 4)  # type: ignore[attr-defined]
    compiled = durable.CompiledRuleset.for_rules([rule])
    compiled._memo.clear()

    def party(i: int, role: str, codes: frozenset[str] = frozenset()) -> Fact:
        return Fact(Subject("party", f"p{i}", "p", ("parties", i), "p", i), one={"role": role}, codes=codes)

    first = [party(0, "a"), party(1, "b", frozenset({"a.one"})), party(2, "c")]
    assert {h.subject for h in compiled.evaluate(first)} == {"p0", "p2"}
    second = [party(0, "a"), party(1, "b", frozenset({"a.one"})), party(2, "d"), party(3, "e")]
    hits = compiled.evaluate(second)
    assert hits == compiled.evaluate(second, memo=False)
    assert {h.subject for h in hits} == {"p0", "p2", "p3"}
    assert len(compiled._memo) <= 4


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_order_of_rules_and_facts_does_not_matter(scenario: tuple[list[Rule], list[Fact]], rnd: object) -> None:
    rule_list, fact_list = scenario
    expected = durable.evaluate(fact_list, rule_list)
    shuffled_rules, shuffled_facts = list(rule_list), list(fact_list)
    rnd.shuffle(shuffled_rules)  # type: ignore[attr-defined]
    rnd.shuffle(shuffled_facts)  # type: ignore[attr-defined]
    assert durable.evaluate(shuffled_facts, shuffled_rules) == expected


def test_each_all_of_code_is_reported_separately() -> None:
    rule = Rule.model_validate(
        {
            "id": "R-1",
            "title": {"ja": "t", "en": "t"},
            "implements": ["X-1"],
            "subject": "party",
            "when": {"role": ["v1"]},
            "require": {"all_of": ["a.one", "a.two", "b.three"]},
            "severity": "high",
            "message": {"ja": "m", "en": "m"},
            "remediation": {"ja": "r", "en": "r"},
        }
    )
    fact = Fact(
        Subject("party", "p", "p", ("parties", 0), "p", 0),
        one={"role": "v1", "upstream_role": "v1"},
        codes=frozenset({"a.two"}),
    )
    (hit,) = durable.evaluate([fact], [rule])
    assert hit.missing == frozenset({"a.one", "b.three"})


def test_absent_legal_status_never_matches() -> None:
    rule = Rule.model_validate(
        {
            "id": "R-STATUS",
            "title": {"ja": "t", "en": "t"},
            "implements": ["X-1"],
            "subject": "party",
            "when": {"legal_status": ["business"]},
            "require": {"all_of": ["a.one"]},
            "severity": "high",
            "message": {"ja": "m", "en": "m"},
            "remediation": {"ja": "r", "en": "r"},
        }
    )
    known = Fact(Subject("party", "s1", "s1", ("party", 1), "p", 1), one={"role": "v1", "legal_status": "business"})
    unknown = Fact(Subject("party", "s2", "s2", ("party", 2), "p", 2), one={"role": "v1"})
    for evaluate in (durable.evaluate, reference.evaluate):
        assert {h.subject for h in evaluate([known, unknown], [rule])} == {"s1"}
