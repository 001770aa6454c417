"""Every format shows a finding's evidence state, its basis kinds, the cap when it lowered the
severity, and the edition note when the quoted text is a later edition than the date applied."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from safeguard_check.check import check_plan
from safeguard_check.findings.model import Report
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.report.formats import FORMATS
from safeguard_check.report.formats.json_format import SCHEMA_PATH
from safeguard_check.report.terminal import render_result
from synthetic_catalog import write_catalog

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal.yaml"

EDITIONS = [
    {
        "from": "2015-01-01",
        "until": "2021-01-01",
        "quote": None,
        "checked_against": {"source": "S1", "edition": None, "verification": "official_text"},
    },
    {
        "from": "2021-01-01",
        "until": None,
        "quote": "新しい版の本文",
        "checked_against": {"source": "S2", "edition": "2025-05-26", "verification": "official_text"},
    },
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    root = tmp_path_factory.mktemp("basis")
    catalog = load_catalog(*write_catalog(root, editions=EDITIONS))
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["measures"].append(
        {
            "implemented_by": ["ward"],
            "category": "technical",
            "text": "FWは設置しない",
            "not_done": ["network.firewall"],
        }
    )
    path = root / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = check_plan(load_declaration(path), catalog, as_of=dt.date(2020, 5, 25))
    return Report(tool_version="test", fail_on="high", results=(result,))


def test_json_carries_evidence_cap_basis_and_edition(report: Report) -> None:
    import jsonschema

    doc = json.loads(FORMATS["json"](report, "ja"))
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    findings = {f["rule_id"]: f for f in doc["results"][0]["findings"]}
    notice = findings["R-NOTICE"]
    assert notice["evidence"] == "stated_not_done"
    assert (notice["severity"], notice["rule_severity"]) == ("medium", "critical")
    assert notice["cap"] == {
        "requirement": "T-NOTICE",
        "basis_kind": "notice",
        "verification": "unverified",
        "severity": "medium",
    }
    cited = {r["id"]: r for r in findings["R-LAW"]["requirements"]}
    assert cited["T-PRACTICE"]["basis_kind"] == "practice"
    edition = cited["T-LAW"]["edition"]
    assert edition["later"] is True and edition["valid_from"] == "2021-01-01" and edition["quote"] == "新しい版の本文"
    assert edition["source"] == "S2" and edition["source_edition"] == "2025-05-26"
    assert doc["results"][0]["profile"] == "standard"


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "html"])
def test_text_formats_show_evidence_cap_basis_and_edition(report: Report, fmt: str) -> None:
    out = FORMATS[fmt](report, "ja")
    assert "行わないと記載されている" in out
    assert "重大度の上限" in out and "T-NOTICE" in out
    assert "告示" in out and "運用慣行" in out
    assert "この版の原文は未確認。以下は 2021-01-01 版: 「新しい版の本文」" in out
    english = FORMATS[fmt](report, "en")
    assert "the plan states it is not done" in english and "operating practice" in english


def test_sarif_result_properties(report: Report) -> None:
    doc = json.loads(FORMATS["sarif"](report, "en"))
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    props = results["R-NOTICE"]["properties"]
    assert props["evidence"] == "stated_not_done"
    assert props["rule_severity"] == "critical" and props["severity_cap"]["requirement"] == "T-NOTICE"
    assert results["R-NOTICE"]["level"] == "warning"  # the capped severity decides the level


def test_terminal_shows_evidence_cap_and_edition(report: Report) -> None:
    buffer = io.StringIO()
    render_result(report.results[0], Console(file=buffer, width=200, color_system=None), "ja")
    out = buffer.getvalue()
    assert "記載の状況" in out and "行わないと記載されている" in out
    assert "重大度の上限" in out and "告示" in out
    assert "この版の原文は未確認。以下は 2021-01-01 版: 「新しい版の本文」" in out
    assert "行政機関等（推定）" in out  # the party's legal status, and that it was inferred
