"""SARIF 2.1.0: valid against the official schema, one run, rules, results, suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from jsonschema import Draft4Validator

from safeguard_check.findings.model import Report
from safeguard_check.report.formats.sarif import FINGERPRINT_KEY, artifact_uri, render_sarif

from .helpers import SHINJUKU, SHINJUKU_FINDINGS, WAIVED_RULE, checked, report_of

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is Draft4Validator  # the official schema is draft-04
    cls.check_schema(schema)
    return cls(schema)


def sarif(report: Report, lang: str = "ja") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(report, lang))  # type: ignore[arg-type]
    return data


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_report_validates_against_the_official_schema(
    all_reports: dict[str, Report], validator: jsonschema.protocols.Validator, lang: str
) -> None:
    for name, report in all_reports.items():
        errors = sorted(validator.iter_errors(sarif(report, lang)), key=str)
        assert not errors, f"{name}: {errors[0]}"


def test_one_run_one_result_per_finding(shinjuku: Report) -> None:
    log = sarif(shinjuku)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    result = shinjuku.results[0]
    assert len(run["results"]) == SHINJUKU_FINDINGS
    for got, f in zip(run["results"], result.findings, strict=True):
        assert got["ruleId"] == f.rule_id
        assert run["tool"]["driver"]["rules"][got["ruleIndex"]]["id"] == f.rule_id
        assert got["level"] == LEVEL[f.severity]
        assert got["partialFingerprints"] == {FINGERPRINT_KEY: f.fingerprint}
        (loc,) = got["locations"]
        physical = loc["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == SHINJUKU
        assert physical["region"]["startLine"] == f.line
        assert run["artifacts"][physical["artifactLocation"]["index"]]["location"]["uri"] == SHINJUKU
        (logical,) = loc["logicalLocations"]
        assert (logical["kind"], logical["name"]) == (f.subject_kind, f.subject_name)
        assert logical["properties"]["id"] == f.subject_id
        assert f.message.ja in got["message"]["text"]
        for m in f.missing:
            assert m.label.ja in got["message"]["text"]
        assert got["properties"]["severity"] == f.severity
        assert got["properties"]["missing"] == [m.code for m in f.missing]
        assert "suppressions" not in got


def test_rules_are_the_rules_with_findings(shinjuku: Report) -> None:
    driver = sarif(shinjuku)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "safeguard-check" and driver["version"] == shinjuku.tool_version
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted({f.rule_id for f in shinjuku.results[0].findings})
    by_id = {r["id"]: r for r in driver["rules"]}
    for f in shinjuku.results[0].findings:
        rule = by_id[f.rule_id]
        assert rule["defaultConfiguration"]["level"] == LEVEL[f.severity]
        assert rule["properties"]["severity"] == f.severity
        assert rule["properties"]["requirements"] == [r.id for r in f.requirements]
        assert rule["properties"]["citations"] == [r.label.ja for r in f.requirements]
        assert rule["properties"]["verification"] == {r.id: r.verification for r in f.requirements}
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert f.remediation.ja in rule["help"]["text"]
        for r in f.requirements:
            assert r.label.ja in rule["help"]["text"]
    assert by_id["SGC-CONTRACT-BIZ-NO-TAKEOUT"]["name"] == "ContractBizNoTakeout"


def test_language_switches_descriptions(shinjuku: Report) -> None:
    ja, en = sarif(shinjuku, "ja")["runs"][0], sarif(shinjuku, "en")["runs"][0]
    f = shinjuku.results[0].findings[0]
    assert (
        ja["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
        != en["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
    )
    assert f.message.en in en["results"][0]["message"]["text"]
    assert (ja["language"], en["language"]) == ("ja-JP", "en-US")


def test_no_links_needing_the_network(waived: Report) -> None:
    text = render_sarif(waived)
    assert "informationUri" not in text and "helpUri" not in text
    log = json.loads(text)
    del log["$schema"]
    assert "http" not in json.dumps(log)


def test_waived_finding_is_suppressed_not_dropped(waived: Report) -> None:
    results = sarif(waived, "en")["runs"][0]["results"]
    assert len(results) == SHINJUKU_FINDINGS
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == [WAIVED_RULE]
    (s,) = suppressed[0]["suppressions"]
    assert (s["kind"], s["status"]) == ("external", "accepted")
    assert "多要素認証" in s["justification"]
    assert s["properties"]["waiver"] == "W-001" and s["properties"]["expires"] == "2021-03-31"
    assert s["location"]["physicalLocation"]["artifactLocation"]["uri"] == "waivers.yaml"
    assert suppressed[0]["properties"]["status"] == "waived"


def test_run_properties_give_the_law_applied(waived: Report) -> None:
    props = sarif(waived, "en")["runs"][0]["properties"]
    result = waived.results[0]
    assert props["as_of"] == "2020-05-25"
    assert props["catalog_digest"] == result.catalog_digest
    (plan,) = props["plans"]
    assert plan["as_of"] == "2020-05-25" and plan["as_of_source"] == "effective_date"
    assert plan["catalog_digest"] == result.catalog_digest
    assert {i["id"] for i in plan["instruments"]} == {i.id for i in result.instruments if i.requirements_in_force}
    assert all(i["requirements_in_force"] > 0 for i in plan["instruments"])
    assert plan["rules_inactive"] == list(result.rules_inactive)
    assert (plan["waivers_expired"], plan["waivers_unmatched"]) == (["W-OLD"], ["W-GONE"])


def test_several_plans_make_one_run(two_plans: Report) -> None:
    log = sarif(two_plans)
    (run,) = log["runs"]
    files = [r.file for r in two_plans.results]
    assert [a["location"]["uri"] for a in run["artifacts"]] == files
    assert len(run["results"]) == sum(len(r.findings) for r in two_plans.results)
    for got in run["results"]:
        loc = got["locations"][0]["physicalLocation"]["artifactLocation"]
        assert run["artifacts"][loc["index"]]["location"]["uri"] == loc["uri"]
    assert [p["file"] for p in run["properties"]["plans"]] == files
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted({f.rule_id for r in two_plans.results for f in r.findings})
    assert len(rule_ids) == len(set(rule_ids))


def test_finding_without_a_line_has_no_region(validator: jsonschema.protocols.Validator) -> None:
    result = checked(SHINJUKU)
    first = result.findings[0].model_copy(update={"line": None})
    report = report_of(result.model_copy(update={"findings": (first, *result.findings[1:])}))
    log = sarif(report)
    assert validator.is_valid(log)
    assert "region" not in log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "region" in log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("cases/a/plan.yaml", "cases/a/plan.yaml"),
        ("cases\\a\\plan.yaml", "cases/a/plan.yaml"),
        ("plans/my plan.yaml", "plans/my%20plan.yaml"),
        ("計画/新宿.yaml", "%E8%A8%88%E7%94%BB/%E6%96%B0%E5%AE%BF.yaml"),
        ("/srv/plans/a.yaml", "file:///srv/plans/a.yaml"),
        ("C:\\plans\\a.yaml", "file:///C:/plans/a.yaml"),
    ],
)
def test_artifact_uris_use_forward_slashes(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri
