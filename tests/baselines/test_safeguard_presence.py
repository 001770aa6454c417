"""SGC-PRINCIPAL-SAFEGUARDS / SGC-PARTY-SAFEGUARDS assert that a party states *no safeguard at all*.

Any safeguard the party does state must refute that (issue #14: a city stating only operation logs and a
staff secrecy pledge was told, at critical severity, that it declared nothing). Each code below failed
before the rules' lists were widened.
"""

from __future__ import annotations

import pytest

from safeguard_check.check import check_plan
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import parse_declaration

PLAN = """
plan: {{title: t, municipality: 〇〇市, department: 市民課, report_type: report, effective_date: 2022-04-01}}
parties:
  - {{id: city, name: 〇〇市, role: principal}}
  - {{id: a, name: 株式会社Ａ, role: contractor, received_from: city}}
{contracts}
measures:
{measures}
"""


def _rules(measures: str, contracts: str = "") -> set[tuple[str, str]]:
    plan = parse_declaration(PLAN.format(measures=measures or "  []", contracts=contracts), "plan.yaml")
    return {(f.rule_id, f.subject_id) for f in check_plan(plan, load_catalog()).findings}


def test_nothing_stated_is_flagged_for_both() -> None:
    found = _rules("")
    assert ("SGC-PRINCIPAL-SAFEGUARDS", "city") in found
    assert ("SGC-PARTY-SAFEGUARDS", "a") in found


@pytest.mark.parametrize(
    "code", ["logging.operation_history", "staff.secrecy_pledge", "vendor.supervision", "terminal.operator_roster"]
)
def test_one_stated_safeguard_refutes_none_at_all_for_the_principal(code: str) -> None:
    measure = f"  - {{codes: [{code}], implemented_by: [city], category: operational, text: 文}}"
    assert ("SGC-PRINCIPAL-SAFEGUARDS", "city") not in _rules(measure)


@pytest.mark.parametrize("code", ["staff.secrecy_pledge", "session.logoff", "logging.reconciliation"])
def test_one_stated_safeguard_refutes_none_at_all_for_a_contractor(code: str) -> None:
    measure = f"  - {{codes: [{code}], implemented_by: [a], imposed_by: city, category: operational, text: 文}}"
    assert ("SGC-PARTY-SAFEGUARDS", "a") not in _rules(measure)


def test_a_contract_with_the_contractor_refutes_none_at_all_and_its_clauses_are_still_judged() -> None:
    found = _rules("", "contracts:\n  - {id: c1, client: city, contractors: [a], clauses: []}")
    assert ("SGC-PARTY-SAFEGUARDS", "a") not in found
    assert ("SGC-CONTRACT-CONFIDENTIALITY", "c1") in found  # the empty contract is judged clause by clause


@pytest.mark.parametrize("code", ["handover.factual_acts_only", "handover.identity_check_by_staff"])
def test_a_handover_measure_refutes_none_at_all(code: str) -> None:
    measure = f"  - {{codes: [{code}], implemented_by: [a], imposed_by: city, category: operational, text: 文}}"
    assert ("SGC-PARTY-SAFEGUARDS", "a") not in _rules(measure)
