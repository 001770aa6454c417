"""Plans far larger than a session of durable-rules can hold at once still evaluate correctly.

durable-rules failed (error 307) in a session holding a few hundred facts; the engine now spreads a
plan's facts over several sessions. These plans would crash without that, and must agree with the
reference evaluator.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from safeguard_check.check import check_plan
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import parse_declaration

CASE = Path(__file__).resolve().parents[2] / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def _keys(result) -> set[tuple[str, str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return {(f.rule_id, f.subject_id, tuple(m.code for m in f.missing)) for f in result.findings}


def test_hundreds_of_parties_and_contracts_agree_with_the_reference() -> None:
    tree = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    template = next(p for p in tree["parties"] if p["id"] == "npb")
    for i in range(300):
        tree["parties"].append({**template, "id": f"extra{i}", "name": f"委託先{i}"})
        tree["terminals"].append(
            {"id": f"extra{i}-terminal", "owner": f"extra{i}", "system": "card_production_terminal", "auth_factors": []}
        )
    tree["contracts"] += [{"id": f"k{i}", "client": "jlis", "contractors": ["npb"]} for i in range(200)]
    plan = parse_declaration(yaml.safe_dump(tree, allow_unicode=True), "large.yaml")
    catalog = load_catalog()
    expected = _keys(check_plan(plan, catalog, engine="reference"))
    assert len(expected) > 3000
    for _ in range(2):  # twice: state left behind by a session must not break the next plan
        assert _keys(check_plan(plan, catalog)) == expected
