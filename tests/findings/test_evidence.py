"""Evidence state: absent, stated as not done, or not evidenced (an open list or another document)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from safeguard_check.check import check_plan
from safeguard_check.findings.evidence import EvidenceIndex
from safeguard_check.findings.model import Finding
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.declaration import Declaration
from synthetic_catalog import write_catalog

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal.yaml"


def _decl(measures: list[dict[str, Any]], contracts: list[dict[str, Any]] | None = None) -> Declaration:
    return Declaration.model_validate(
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
                {"id": "a", "name": "株式会社Ａ", "role": "contractor", "received_from": "ward"},
            ],
            "transfers": [{"id": "t1", "from": "ward", "to": "a", "method": "jukinet", "encrypted": False}],
            "terminals": [{"id": "term", "owner": "a", "system": "jukinet_integrated_terminal"}],
            "measures": measures,
            "contracts": contracts or [],
        }
    )


def _measure(**fields: Any) -> dict[str, Any]:
    return {"implemented_by": ["ward"], "category": "technical", "text": "文", **fields}


def test_nothing_said_is_absent() -> None:
    index = EvidenceIndex(_decl([_measure(codes=["network.firewall"])]))
    assert index.evidence("party", "ward", {"logging.access_log"}) == "absent"


def test_stated_not_done_on_the_party_its_terminals_and_transfers() -> None:
    decl = _decl(
        [
            _measure(not_done=["transfer.encryption", "logging.access_log"]),
            _measure(implemented_by=["a"], not_done=["terminal.auth.vein"]),
        ]
    )
    index = EvidenceIndex(decl)
    assert index.evidence("party", "ward", {"logging.access_log", "network.firewall"}) == "stated_not_done"
    assert index.evidence("transfer", "t1", {"transfer.encryption"}) == "stated_not_done"  # sender's sentence
    assert index.evidence("terminal", "term", {"terminal.auth.vein"}) == "stated_not_done"  # owner's sentence
    assert index.evidence("party", "a", {"logging.access_log"}) == "absent"  # said of the ward only


def test_not_done_through_covers() -> None:
    index = EvidenceIndex(
        _decl([_measure(implemented_by=["a"], covers=["t1"], not_done=["transfer.method_restricted"])])
    )
    assert index.evidence("transfer", "t1", {"transfer.method_restricted"}) == "stated_not_done"


def test_a_reference_to_another_document_leaves_the_partys_codes_unconfirmed() -> None:
    index = EvidenceIndex(_decl([_measure(codes=[], refers_to="特定個人情報保護評価書のとおり")]))
    assert index.evidence("party", "ward", {"network.firewall"}) == "not_evidenced"
    assert index.evidence("party", "a", {"network.firewall"}) == "absent"
    # What the plan's structure alone decides cannot be in the other document.
    assert index.evidence("party", "ward", {"contract.declared"}) == "absent"
    assert index.evidence("transfer", "t1", {"transfer.encryption"}) == "absent"


def test_stated_not_done_outranks_not_evidenced() -> None:
    index = EvidenceIndex(_decl([_measure(not_done=["network.firewall"], refers_to="別紙のとおり")]))
    assert index.evidence("party", "ward", {"network.firewall"}) == "stated_not_done"


@pytest.mark.parametrize("open_fields", [{"clauses_open": True}, {"refers_to": "委託契約書"}])
def test_open_contract_clause_lists(open_fields: dict[str, Any]) -> None:
    contract = {"id": "c1", "client": "ward", "contractors": ["a"], "clauses": [], **open_fields}
    index = EvidenceIndex(_decl([], [contract]))
    assert index.evidence("contract", "c1", {"contract.confidentiality"}) == "not_evidenced"
    closed = EvidenceIndex(_decl([], [{"id": "c1", "client": "ward", "contractors": ["a"], "clauses": []}]))
    assert closed.evidence("contract", "c1", {"contract.confidentiality"}) == "absent"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return load_catalog(*write_catalog(tmp_path_factory.mktemp("evidence")))


def _findings(tmp_path: Path, catalog: Catalog, measure: dict[str, Any], engine: str) -> list[Finding]:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["measures"].append(measure)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return list(check_plan(load_declaration(path), catalog, engine=engine).findings)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_findings_carry_the_evidence_state(tmp_path: Path, catalog: Catalog, engine: str) -> None:
    stated = _findings(
        tmp_path, catalog, _measure(not_done=["network.firewall"], text="ファイアウォールは設置しない"), engine
    )
    assert {f.evidence for f in stated} == {"stated_not_done"}
    referred = _findings(tmp_path, catalog, _measure(refers_to="評価書", text="評価書のとおり"), engine)
    assert {f.evidence for f in referred} == {"not_evidenced"}
    plain = _findings(tmp_path, catalog, _measure(codes=["staff.training"], text="研修を行う"), engine)
    assert {f.evidence for f in plain} == {"absent"}
