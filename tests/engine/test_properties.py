"""Invariants of the whole evaluation, on generated plans and on the real Shinjuku plan."""

from __future__ import annotations

import gc
import random
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastplans import random_plan
from safeguard_check.check import check_plan
from safeguard_check.engine import durable, reference
from safeguard_check.engine.selection import law_in_force
from safeguard_check.facts.build import build_facts
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import LoadedPlan, load_declaration
from safeguard_check.load.tree import SourceMap
from safeguard_check.model.declaration import Declaration, Measure
from safeguard_check.model.rule import LEGAL_STATUSES, Rule
from strategies import declarations

SHINJUKU = Path(__file__).resolve().parents[2] / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
CATALOG = load_catalog()

Pairs = dict[tuple[str, str], frozenset[str]]


def _hits(decl: Declaration, catalog: Catalog = CATALOG, engine: str = "durable") -> Pairs:
    law = law_in_force(catalog, decl.plan.effective_date)
    facts = build_facts(decl)
    evaluate = durable.evaluate if engine == "durable" else reference.evaluate
    return {(h.rule_id, h.subject): h.missing for h in evaluate(facts, law.rules)}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_durable_agrees_with_reference_on_1000_generated_plans(rnd: random.Random) -> None:
    decl = random_plan(rnd)
    assert _hits(decl, engine="durable") == _hits(decl, engine="reference")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_durable_agrees_with_reference_on_hostile_plans(decl: Declaration) -> None:
    assert _hits(decl, engine="durable") == _hits(decl, engine="reference")


def _shuffled(decl: Declaration, rnd: random.Random) -> Declaration:
    data = decl.model_dump(by_alias=True)
    for key in ("parties", "transfers", "terminals", "measures", "contracts"):
        rnd.shuffle(data[key])
    for measure in data["measures"]:
        rnd.shuffle(measure["codes"])
    return Declaration.model_validate(data)


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_order(plan_rnd: random.Random, rnd: random.Random) -> None:
    decl = random_plan(plan_rnd)
    assert _hits(_shuffled(decl, rnd)) == _hits(decl)


@st.composite
def plan_and_extra_measure(draw: st.DrawFn) -> tuple[Declaration, Measure]:
    decl = draw(declarations())
    party_ids = [p.id for p in decl.parties]
    subject_ids = party_ids + [t.id for t in decl.transfers] + [t.id for t in decl.terminals]
    from safeguard_check.data.vocabulary import vocabulary

    codes = sorted(c for c, e in vocabulary().measures.items() if not e.derived)
    measure = Measure(
        codes=draw(st.lists(st.sampled_from(codes), min_size=1, max_size=6, unique=True)),
        implemented_by=draw(st.lists(st.sampled_from(party_ids), min_size=1, max_size=3, unique=True)),
        category=draw(st.sampled_from(["operational", "technical"])),
        text="追加の対策",
        covers=draw(st.lists(st.sampled_from(subject_ids), max_size=3, unique=True)),
    )
    return decl, measure


@settings(max_examples=200, deadline=None)
@given(plan_and_extra_measure())
def test_adding_a_measure_never_adds_a_finding(case: tuple[Declaration, Measure]) -> None:
    decl, measure = case
    before = _hits(decl)
    after = _hits(decl.model_copy(update={"measures": [*decl.measures, measure]}))
    for pair, missing in after.items():
        assert pair in before, f"new finding {pair} after adding {measure.codes}"
        assert missing <= before[pair]


def _shinjuku() -> Declaration:
    return load_declaration(SHINJUKU).declaration


SHINJUKU_CODES = sorted({c for m in _shinjuku().measures for c in m.codes})


@pytest.mark.parametrize("code", SHINJUKU_CODES)
def test_removing_a_measure_adds_exactly_the_findings_that_name_it(code: str) -> None:
    decl = _shinjuku()
    before = _hits(decl)
    stripped = [m.model_copy(update={"codes": [c for c in m.codes if c != code]}) for m in decl.measures]
    after = _hits(decl.model_copy(update={"measures": stripped}))
    for pair, missing in before.items():
        assert pair in after, f"{pair} disappeared when removing {code}"
        assert after[pair] in (missing, missing | {code})
    for pair in set(after) - set(before):
        assert code in after[pair], f"{pair} appeared without naming {code}"
    requiring = {
        r.id for r in law_in_force(CATALOG, decl.plan.effective_date).rules if r.require and code in r.require.codes
    }
    changed = {p for p in after if p not in before or after[p] != before[p]}
    assert {rule for rule, _ in changed} <= requiring


def test_removing_a_required_measure_is_detected_for_every_required_code_in_shinjuku() -> None:
    # Over all codes, at least the codes the rules require and only measures supply must surface.
    decl = _shinjuku()
    before = _hits(decl)
    surfaced = set()
    for code in SHINJUKU_CODES:
        stripped = [m.model_copy(update={"codes": [c for c in m.codes if c != code]}) for m in decl.measures]
        after = _hits(decl.model_copy(update={"measures": stripped}))
        if after != before:
            surfaced.add(code)
    for expected in (
        "standards.comply",
        "facility.entry_control",
        "data.erase_after_use",
        "pia.comply",
        "network.firewall",
        "endpoint.antivirus",
        "vendor.certification",
        "session.logoff",
        "terminal.admin_appointed",
        "logging.reconciliation",
    ):
        assert expected in surfaced, expected


def test_same_plan_checked_1000_times_gives_same_result_without_growing_memory() -> None:
    plan = load_declaration(SHINJUKU)
    first = check_plan(plan, CATALOG)
    for _ in range(50):  # warm caches before measuring
        check_plan(plan, CATALOG)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(1000):
        assert check_plan(plan, CATALOG) == first
    gc.collect()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth_mb = (rss_after - rss_before) / 1024
    print(
        f"peak RSS before {rss_before / 1024:.1f} MB, after 1000 checks {rss_after / 1024:.1f} MB (+{growth_mb:.1f} MB)"
    )
    assert growth_mb < 64, "memory grows with repeated checks: sessions are not being deleted"


def test_loaded_plan_wrapper_is_not_needed_for_evaluation() -> None:
    # check_plan only needs the source map for locations; a plan built in Python checks the same.
    decl = _shinjuku()
    loaded = LoadedPlan(decl, SourceMap("<memory>"), "<memory>", "utf-8")
    from_memory = {(f.rule_id, f.subject_id) for f in check_plan(loaded, CATALOG).findings}
    from_file = {(f.rule_id, f.subject_id) for f in check_plan(load_declaration(SHINJUKU), CATALOG).findings}
    assert from_memory == from_file


def _status_rules() -> list[Rule]:
    """Rules asking for every legal-status value on every key that carries one."""
    out: list[Rule] = []
    keys = (("party", "legal_status"), ("party", "upstream_legal_status"), ("contract", "client_legal_status"))
    for subject, key in keys:
        values = [*LEGAL_STATUSES, "none"] if key == "upstream_legal_status" else list(LEGAL_STATUSES)
        for value in values:
            out.append(
                Rule.model_validate(
                    {
                        "id": f"R-{key.upper().replace('_', '-')}-{value.upper().replace('_', '-')}",
                        "title": {"ja": "t", "en": "t"},
                        "implements": ["X-1"],
                        "subject": subject,
                        "when": {key: [value]},
                        "require": {"any_of": ["staff.training", "contract.confidentiality"]},
                        "severity": "high",
                        "message": {"ja": "m", "en": "m"},
                        "remediation": {"ja": "r", "en": "r"},
                    }
                )
            )
    return out


STATUS_RULES = _status_rules()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_engines_agree_on_legal_status_keys(decl: Declaration) -> None:
    facts = build_facts(decl)
    assert durable.evaluate(facts, STATUS_RULES) == reference.evaluate(facts, STATUS_RULES)
