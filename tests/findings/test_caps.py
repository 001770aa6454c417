"""Severity caps: a finding is no more severe than its best-supported requirement allows (weights.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguard_check.check import check_plan
from safeguard_check.findings.model import Finding
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.load.profile import load_profile
from synthetic_catalog import write_catalog

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal.yaml"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    baselines, rules = write_catalog(tmp_path_factory.mktemp("caps"))
    return load_catalog(baselines, rules)


def _by_rule(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    out = {f.rule_id: f for f in findings}
    assert len(out) == len(findings)  # one principal: one finding per rule
    return out


def _check(catalog: Catalog, engine: str = "durable", profile: str | None = None) -> dict[str, Finding]:
    plan = load_declaration(MINIMAL)
    chosen = load_profile(profile, catalog) if profile else None
    result = check_plan(plan, catalog, engine=engine, profile=chosen)  # type: ignore[arg-type]
    return _by_rule(result.findings)


def test_severity_is_capped_by_the_best_requirement(catalog: Catalog) -> None:
    found = _check(catalog)
    expected = {
        "R-LAW": ("critical", "critical", "T-LAW"),  # the law outweighs the practice listed first
        "R-NOTICE": ("medium", "critical", "T-NOTICE"),  # an unverified 告示 alone: at most medium
        "R-GUIDELINE": ("high", "critical", "T-GUIDELINE"),  # guideline official: high
        "R-PRACTICE": ("medium", "high", "T-PRACTICE"),
        "R-LOW": ("low", "low", "T-LAW"),  # a cap never raises a severity
        "R-SECONDARY": ("high", "critical", "T-LAW-SECONDARY"),  # a statute read second-hand: high
    }
    for rule_id, (severity, rule_severity, requirement) in expected.items():
        finding = found[rule_id]
        assert (finding.severity, finding.rule_severity) == (severity, rule_severity), rule_id
        assert finding.cap is not None and finding.cap.requirement == requirement, rule_id
        assert finding.capped == (severity != rule_severity)


def test_cap_reason_names_basis_and_verification(catalog: Catalog) -> None:
    cap = _check(catalog)["R-NOTICE"].cap
    assert cap is not None
    assert (cap.basis_kind, cap.verification, cap.severity) == ("notice", "unverified", "medium")


@pytest.mark.parametrize("profile", [None, "law"])
def test_both_engines_give_the_same_capped_findings(catalog: Catalog, profile: str | None) -> None:
    assert _check(catalog, "durable", profile) == _check(catalog, "reference", profile)


def test_law_profile_counts_only_binding_requirements(catalog: Catalog) -> None:
    found = _check(catalog, profile="law")
    assert "R-PRACTICE" not in found  # rests only on practice: not run
    # Without the guideline, R-GUIDELINE rests on an unverified 告示 only.
    assert found["R-GUIDELINE"].severity == "medium"
    assert found["R-GUIDELINE"].cap is not None and found["R-GUIDELINE"].cap.requirement == "T-NOTICE"
    assert [r.id for r in found["R-LAW"].requirements] == ["T-LAW"]


def test_result_records_the_profile(catalog: Catalog) -> None:
    plan = load_declaration(MINIMAL)
    law = load_profile("law", catalog)
    result = check_plan(plan, catalog, profile=law)
    assert result.profile == "law"
    # In force on the date but left out by the profile: reported apart from rules not in force.
    assert result.rules_excluded == ("R-PRACTICE",) and "R-PRACTICE" not in result.rules_inactive
    assert check_plan(plan, catalog).profile == "standard"


def test_verification_of_the_edition_in_force_decides_the_cap(tmp_path: Path) -> None:
    editions = [
        {
            "from": "2015-01-01",
            "until": "2021-01-01",
            "quote": "旧文",
            "checked_against": {"source": "S2", "edition": "2015", "verification": "unverified"},
        },
        {
            "from": "2021-01-01",
            "until": None,
            "quote": "新文",
            "checked_against": {"source": "S1", "edition": "2025-05-26", "verification": "official_text"},
        },
    ]
    baselines, rules = write_catalog(tmp_path, editions=editions)
    catalog = load_catalog(baselines, rules)
    plan = load_declaration(MINIMAL)
    old = _by_rule(check_plan(plan, catalog, as_of=dt.date(2020, 5, 25)).findings)["R-LOW"]
    new = _by_rule(check_plan(plan, catalog, as_of=dt.date(2021, 5, 25)).findings)["R-LAW"]
    assert new.severity == "critical"
    old_law = _by_rule(check_plan(plan, catalog, as_of=dt.date(2020, 5, 25)).findings)["R-LAW"]
    assert old_law.severity == "high"  # law, but its 2020 text is unverified
    cited = {r.id: r for r in old.requirements}["T-LAW"]
    assert cited.edition is not None and cited.edition.quote == "旧文" and not cited.edition.later
    assert cited.basis_kind == "law"
