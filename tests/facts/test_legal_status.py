"""Party legal status: declared wins; otherwise only what the name (or the principal's role) states."""

from __future__ import annotations

import pytest

from safeguard_check.facts.build import build_facts
from safeguard_check.facts.legal_status import infer_from_name, legal_status
from safeguard_check.model.declaration import Declaration, Party


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        ("地方公共団体情報システム機構", "delegate", "jlis"),
        ("地方公共団体 情報システム機構", "delegate", "jlis"),  # whitespace in the document's line
        ("株式会社Ａ印刷", "contractor", "business"),
        ("㈱サンプル印刷①", "contractor", "business"),
        ("（株）サンプル", "contractor", "business"),
        ("Ｂ合同会社", "subcontractor", "business"),
        ("有限会社Ｃ", "subcontractor", "business"),
        ("一般社団法人Ｄ協会", "contractor", "business"),
        ("新宿区", "principal", "administrative_organ"),
        ("髙﨑区", "contractor", "administrative_organ"),
        ("横浜市", "contractor", "administrative_organ"),
        ("〇〇町役場", "contractor", "administrative_organ"),
        ("東京都", "contractor", "administrative_organ"),
        ("〇〇広域連合", "contractor", "administrative_organ"),
        ("独立行政法人国立印刷局", "contractor", "administrative_organ"),
        ("国立印刷局", "contractor", "administrative_organ"),
        ("総務省", "contractor", "administrative_organ"),
        ("株式会社大手町", "contractor", "business"),  # the company form comes first
        ("Ｅ協会", "contractor", None),  # nothing in the name says which regime: not guessed
        ("印刷業者", "subcontractor", None),
    ],
)
def test_inference_from_name(name: str, role: str, expected: str | None) -> None:
    assert infer_from_name(name, role) == expected


def test_declared_status_wins_and_is_recorded_as_declared() -> None:
    party = Party.model_validate({"id": "x", "name": "株式会社Ａ", "role": "contractor", "legal_status": "jlis"})
    assert legal_status(party) == ("jlis", "declared")
    inferred = Party.model_validate({"id": "y", "name": "株式会社Ａ", "role": "contractor"})
    assert legal_status(inferred) == ("business", "inferred")
    unknown = Party.model_validate({"id": "z", "name": "Ｅ協会", "role": "contractor"})
    assert legal_status(unknown) == (None, "unknown")


def test_facts_carry_statuses_and_unknown_as_a_value() -> None:
    decl = Declaration.model_validate(
        {
            "plan": {
                "title": "t",
                "municipality": "新宿区",
                "department": "戸籍住民課",
                "report_type": "report",
                "effective_date": "2021-04-01",
            },
            "parties": [
                {"id": "ward", "name": "新宿区", "role": "principal"},
                {"id": "jlis", "name": "地方公共団体情報システム機構", "role": "delegate", "received_from": "ward"},
                {"id": "a", "name": "株式会社Ａ", "role": "contractor", "received_from": "jlis"},
                {"id": "e", "name": "Ｅ協会", "role": "subcontractor", "received_from": "a"},
                {"id": "f", "name": "Ｆ", "role": "subcontractor", "received_from": "e"},
            ],
            "contracts": [
                {"id": "c1", "client": "jlis", "contractors": ["a"], "clauses": []},
                {"id": "c2", "client": "e", "contractors": ["f"], "clauses": []},
            ],
        }
    )
    facts = {(f.subject.kind, f.subject.id): f for f in build_facts(decl)}
    assert facts[("party", "ward")].one["legal_status"] == "administrative_organ"
    assert facts[("party", "ward")].one["upstream_legal_status"] == "none"
    assert facts[("party", "jlis")].one["legal_status"] == "jlis"
    assert facts[("party", "a")].one["upstream_legal_status"] == "jlis"
    assert facts[("party", "e")].one["legal_status"] == "unknown"
    assert facts[("party", "f")].one["upstream_legal_status"] == "unknown"  # its upstream's name states nothing
    assert facts[("contract", "c1")].one["client_legal_status"] == "jlis"
    assert facts[("contract", "c2")].one["client_legal_status"] == "unknown"


def test_a_contract_whose_client_status_is_unknown_is_still_checked() -> None:
    """A client whose name states no status (「Ｅ協会」) must not silence the contract-clause rules: the
    common duties (事業者編 / 個人情報保護法第25条) apply; only the 行政機関等 variants need a known status."""
    from safeguard_check.check import check_plan
    from safeguard_check.load.catalog import load_catalog
    from safeguard_check.load.declaration import parse_declaration

    plan = parse_declaration(
        """
plan: {title: t, municipality: 新宿区, department: 戸籍住民課, report_type: report, effective_date: 2021-04-01}
parties:
  - {id: ward, name: 新宿区, role: principal}
  - {id: a, name: 株式会社Ａ, role: contractor, received_from: ward}
  - {id: e, name: Ｅ協会, role: subcontractor, received_from: a, permission: {granted_by: ward}}
  - {id: f, name: Ｆ, role: subcontractor, received_from: e, permission: {granted_by: ward}}
contracts:
  - {id: c2, client: e, contractors: [f], clauses: []}
""",
        "plan.yaml",
    )
    rules = {f.rule_id for f in check_plan(plan, load_catalog()).findings if f.subject_id == "c2"}
    assert "SGC-CONTRACT-BIZ-CONFIDENTIALITY" in rules
    assert "SGC-CONTRACT-CONFIDENTIALITY" not in rules  # the 行政機関等 variant needs a known status
