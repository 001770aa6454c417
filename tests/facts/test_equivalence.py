"""The fast facts builder builds exactly what the straightforward one (the oracle) builds."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from tests.facts.reference_facts import reference_facts

from safeguard_check.facts.build import Fact, build_facts
from safeguard_check.leakguard import LeakHit
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.declaration import Declaration
from strategies import declarations

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import CASE, corpus  # noqa: E402


def _same(fast: list[Fact], slow: list[Fact]) -> None:
    # Field by field, so a failure names the subject and the part that differs.
    assert [f.subject for f in fast] == [f.subject for f in slow]
    for a, b in zip(fast, slow, strict=True):
        assert (a.one, a.many, a.flags, a.codes) == (b.one, b.many, b.flags, b.codes), a.subject
        assert a.key == b.key, a.subject


def test_shinjuku_case() -> None:
    plan = load_declaration(CASE)
    _same(build_facts(plan.declaration, plan.leaks), reference_facts(plan.declaration, plan.leaks))


def test_generated_corpus(tmp_path: Path) -> None:
    # Removed and added measures, renamed and removed contractors, re-delegation layers.
    for path in corpus(tmp_path, 30):
        plan = load_declaration(path)
        _same(build_facts(plan.declaration, plan.leaks), reference_facts(plan.declaration, plan.leaks))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_any_declaration(decl: Declaration) -> None:
    leaks = [LeakHit(line=3, column=5, redacted="********9018")]
    _same(build_facts(decl, leaks), reference_facts(decl, leaks))
