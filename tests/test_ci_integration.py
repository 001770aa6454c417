"""The CLI as a CI job runs it: in a fresh git repository of plans, producing report files.

Covers the [reports] done-when: every format produced on the Shinjuku case and validated, exit codes
follow --fail-on, an expired waiver makes its finding reappear with a note, and the baseline round
trip reports zero new findings, then exactly the ones a removed measure causes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "cases" / "shinjuku-2020-mynumber-card"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = REPO / "src" / "safeguard_check" / "report" / "schema" / "report-v1.schema.json"


def sgc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.fixture()
def plans_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "plans"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(CASE / "declaration.yaml", repo / "plans" / "shinjuku.yaml")
    shutil.copy(CASE / "waivers.example.yaml", repo / "waivers.yaml")
    (repo / "reports").mkdir()
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "plans"], cwd=repo, check=True)
    return repo


def test_ci_job_produces_every_format(plans_repo: Path) -> None:
    result = sgc(
        "check",
        "plans/shinjuku.yaml",
        "--no-summary",
        "-o",
        "reports/out.sarif",
        "-o",
        "reports/out.json",
        "-o",
        "junit=reports/out.xml",
        "-o",
        "reports/out.md",
        "-o",
        "reports/out.html",
        "--fail-on",
        "medium",
        cwd=plans_repo,
    )
    assert result.returncode == 1, result.stderr  # medium findings (REVIEW §D, caps), --fail-on medium
    assert "Traceback" not in result.stderr
    reports = plans_repo / "reports"
    sarif = json.loads((reports / "out.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    report = json.loads((reports / "out.json").read_text(encoding="utf-8"))
    findings = report["summary"]["findings"]
    assert findings >= 10
    assert len(sarif["runs"][0]["results"]) == findings
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "plans/shinjuku.yaml"
    )
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))).validate(report)
    root = ET.parse(reports / "out.xml").getroot()
    assert root.tag == "testsuites"
    assert sum(int(s.get("failures", "0")) for s in root.iter("testsuite")) == findings
    html = (reports / "out.html").read_text(encoding="utf-8")
    assert "SGC-CONTRACT-BIZ-CONFIDENTIALITY" in html and "秘密保持義務" in html
    assert "http://" not in html and "https://" not in html.replace("https://docs.oasis-open.org", "")
    assert "SGC-TERMINAL-MFA" in (reports / "out.md").read_text(encoding="utf-8")
    # The job never writes into the plans it checks.
    status = subprocess.run(
        ["git", "status", "--porcelain", "plans"], cwd=plans_repo, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_machine_format_on_stdout_stays_parseable(plans_repo: Path) -> None:
    result = sgc("check", "plans/shinjuku.yaml", "--format", "json", "--fail-on", "medium", cwd=plans_repo)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["summary"]["open"]["high"] == 0 and data["summary"]["open"]["medium"] == 6
    assert "plans/shinjuku.yaml" in result.stderr  # the human summary went to stderr


def test_exit_codes_follow_fail_on(plans_repo: Path) -> None:
    codes = {
        level: sgc("check", "plans/shinjuku.yaml", "--no-summary", "--fail-on", level, cwd=plans_repo).returncode
        for level in ("critical", "high", "medium", "low", "info", "never")
    }
    # Shinjuku's worst gaps are medium since REVIEW-2026-12 §D and the severity caps.
    assert codes == {"critical": 0, "high": 0, "medium": 1, "low": 1, "info": 1, "never": 0}


def test_waiver_applies_until_expiry_then_the_finding_reappears(plans_repo: Path) -> None:
    valid = sgc(
        "check",
        "plans/shinjuku.yaml",
        "--waivers",
        "waivers.yaml",
        "--today",
        "2021-03-31",
        "--format",
        "json",
        cwd=plans_repo,
    )
    data = json.loads(valid.stdout)
    findings = data["results"][0]["findings"]
    waived = [f for f in findings if f["status"] == "waived"]
    assert len(waived) == 4 and all(f["waiver"]["id"] == "W-2020-001" for f in waived)
    assert {f["rule_id"] for f in waived} == {
        "SGC-CONTRACT-BIZ-CONFIDENTIALITY",
        "SGC-CONTRACT-BIZ-NO-TAKEOUT",
        "SGC-CONTRACT-BIZ-BREACH-LIABILITY",
        "SGC-CONTRACT-BIZ-STAFF-SUPERVISION-TRAINING",
    }
    assert len(findings) == 11  # nothing dropped
    assert (
        sgc(
            "check",
            "plans/shinjuku.yaml",
            "--waivers",
            "waivers.yaml",
            "--today",
            "2021-03-31",
            "--fail-on",
            "low",
            cwd=plans_repo,
        ).returncode
        == 1
    )  # the other low findings are still open
    expired = sgc(
        "check",
        "plans/shinjuku.yaml",
        "--waivers",
        "waivers.yaml",
        "--today",
        "2021-04-01",
        "--no-summary",
        "--lang",
        "en",
        cwd=plans_repo,
    )
    text = " ".join(expired.stdout.split())  # the terminal report wraps at 80 columns
    assert "W-2020-001 (APPI-25 / jlis-contractors) expired on 2021-03-31" in text
    auditor = sgc(
        "check",
        "plans/shinjuku.yaml",
        "--waivers",
        "waivers.yaml",
        "--today",
        "2021-03-31",
        "--no-waivers",
        "--format",
        "json",
        cwd=plans_repo,
    )
    assert all(f["status"] == "open" for f in json.loads(auditor.stdout)["results"][0]["findings"])


def test_bad_waiver_file_exits_2_before_evaluation(plans_repo: Path) -> None:
    (plans_repo / "bad.yaml").write_text(
        "schema_version: 1\nwaivers:\n  - id: W1\n    rule: SGC-NOPE\n", encoding="utf-8"
    )
    result = sgc("check", "plans/shinjuku.yaml", "--waivers", "bad.yaml", cwd=plans_repo)
    assert result.returncode == 2
    assert "bad.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing was evaluated


def test_baseline_round_trip(plans_repo: Path) -> None:
    first = sgc(
        "check", "plans/shinjuku.yaml", "--write-baseline", "baseline.json", "--fail-on", "never", cwd=plans_repo
    )
    assert first.returncode == 0 and (plans_repo / "baseline.json").exists()
    again = sgc("check", "plans/shinjuku.yaml", "--baseline", "baseline.json", "--format", "json", cwd=plans_repo)
    assert again.returncode == 0
    assert json.loads(again.stdout)["results"][0]["findings"] == []
    plan = plans_repo / "plans" / "shinjuku.yaml"
    tree = yaml.safe_load(plan.read_text(encoding="utf-8"))
    for measure in tree["measures"]:
        if measure.get("id") in ("s1-principal-sys-6", "s2-principal-sys-6"):
            measure["codes"].remove("session.logoff")
    plan.write_text("# edited\n\n" + yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = sgc("check", "plans/shinjuku.yaml", "--baseline", "baseline.json", "--format", "json", cwd=plans_repo)
    new = json.loads(after.stdout)["results"][0]["findings"]
    assert {(f["rule_id"], f["subject_id"]) for f in new} == {
        ("SGC-SESSION-LOGOFF", "shinjuku-resident-info-terminal"),
        ("SGC-SESSION-LOGOFF", "shinjuku-jukinet-terminal"),
    }
    assert after.returncode == 0  # medium findings, default --fail-on high


def test_output_into_missing_directory_is_a_clear_error(plans_repo: Path) -> None:
    result = sgc("check", "plans/shinjuku.yaml", "-o", "nowhere/out.sarif", cwd=plans_repo)
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr


def test_failed_run_leaves_existing_report_untouched(plans_repo: Path) -> None:
    report = plans_repo / "reports" / "out.sarif"
    report.write_text("previous\n", encoding="utf-8")
    (plans_repo / "broken.yaml").write_text("plan: [\n", encoding="utf-8")
    bad_rules = plans_repo / "rules"
    bad_rules.mkdir()
    (bad_rules / "x.yaml").write_text("schema_version: 1\nrules: nope\n", encoding="utf-8")
    result = sgc("check", "plans/shinjuku.yaml", "--rules", "rules", "-o", "reports/out.sarif", cwd=plans_repo)
    assert result.returncode == 2
    assert report.read_text(encoding="utf-8") == "previous\n"


def test_pre_commit_hook_definition_runs_the_cli() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    # Two hooks: one pre-commit installs, one using the command already installed (offline).
    assert [hook["id"] for hook in hooks] == ["safeguard-check", "safeguard-check-system"]
    import re

    for hook in hooks:
        assert hook["entry"].startswith("safeguard-check check")
        pattern = re.compile(hook["files"])
        assert pattern.search("plans/declaration.yaml") and pattern.search("x/ward.plan.json")
        assert not pattern.search("waivers.yaml")


# --- #16: nothing lost in machine reports, plan identity, GitHub limits --------------------------------


def _sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_a_plan_that_fails_to_load_is_in_every_report(plans_repo: Path) -> None:
    from junitparser import Error, JUnitXml

    (plans_repo / "plans" / "typo.yaml").write_text("plan:\n  title: [unclosed\n", encoding="utf-8")
    result = sgc(
        "check",
        "plans",
        "--no-summary",
        *("-o", "sarif=reports/out.sarif", "-o", "junit=reports/out.xml", "-o", "json=reports/out.json"),
        *("-o", "gitlab=reports/gl.json", "-o", "github=reports/gh.txt", "-o", "concise=reports/c.txt"),
        *("-o", "markdown=reports/out.md"),
        cwd=plans_repo,
    )
    assert result.returncode == 2, result.stderr
    reports = plans_repo / "reports"
    sarif = json.loads((reports / "out.sarif").read_text(encoding="utf-8"))
    _sarif_validator().validate(sarif)
    (invocation,) = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plans/typo.yaml" and location["region"]["startLine"] == 3
    xml = JUnitXml.fromfile(str(reports / "out.xml"))
    assert xml.errors == 1
    errored = [c for s in xml for c in s if any(isinstance(r, Error) for r in c.result)]
    assert [c.name for c in errored] == ["plans/typo.yaml"]
    data = json.loads((reports / "out.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["line"]) for e in data["errors"]] == [("plans/typo.yaml", 3)]
    gitlab = json.loads((reports / "gl.json").read_text(encoding="utf-8"))
    assert next(i["location"]["path"] for i in gitlab if i["severity"] == "blocker") == "plans/typo.yaml"
    assert (reports / "gh.txt").read_text(encoding="utf-8").startswith("::error file=plans/typo.yaml,line=3,")
    assert (reports / "c.txt").read_text(encoding="utf-8").startswith("plans/typo.yaml:3: error ")
    assert "plans/typo.yaml" in (reports / "out.md").read_text(encoding="utf-8")
    assert "検査できなかったファイル: 1 件" in result.stdout + result.stderr  # the terminal says it too


def test_two_plans_of_one_municipality_stay_apart_and_edits_keep_fingerprints(plans_repo: Path) -> None:
    shutil.copy(plans_repo / "plans" / "shinjuku.yaml", plans_repo / "plans" / "shinjuku-2.yaml")

    def run() -> tuple[list[set[str]], list[str]]:
        out = sgc(
            "check", "plans", "--no-summary", "-o", "reports/o.sarif", "-o", "junit=reports/o.xml", cwd=plans_repo
        )
        assert out.returncode == 0, out.stderr  # Shinjuku's gaps are below --fail-on high
        log = json.loads((plans_repo / "reports" / "o.sarif").read_text(encoding="utf-8"))
        by_file: dict[str, set[str]] = {}
        for r in log["runs"][0]["results"]:
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            by_file.setdefault(uri, set()).add(r["partialFingerprints"]["safeguardCheck/v1"])
        suites = [s.get("name", "") for s in ET.parse(plans_repo / "reports" / "o.xml").getroot()]
        return [by_file["plans/shinjuku-2.yaml"], by_file["plans/shinjuku.yaml"]], suites

    (second, first), suites = run()
    assert first and second and first.isdisjoint(second)
    assert len(set(suites)) == len(suites) == 2
    edited = plans_repo / "plans" / "shinjuku.yaml"
    edited.write_text("# 令和2年6月 追記\n\n" + edited.read_text(encoding="utf-8"), encoding="utf-8")
    (_, again), _ = run()
    assert again == first


def test_sarif_dir_gives_one_log_per_plan_within_githubs_limits(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import corpus

    work = tmp_path / "w"
    (work / "plans").mkdir(parents=True)
    corpus(work / "plans", 30)
    (work / "plans" / "broken.yaml").write_text("plan: [\n", encoding="utf-8")
    result = sgc("check", "plans", "--no-summary", "-o", "sarif-dir=sarif", "-o", "one.sarif", cwd=work)
    assert result.returncode == 2, result.stderr
    files = sorted((work / "sarif").glob("*.sarif"))
    assert len(files) == 31
    validator = _sarif_validator()
    categories = set()
    total = 0
    for path in files:
        log = json.loads(path.read_text(encoding="utf-8"))
        validator.validate(log)
        (run,) = log["runs"]
        assert len(run["results"]) <= 25_000  # GitHub's hard limit per run
        categories.add(run["automationDetails"]["id"])
        total += len(run["results"])
    assert len(categories) == 31
    whole = json.loads((work / "one.sarif").read_text(encoding="utf-8"))
    assert total == len(whole["runs"][0]["results"])  # nothing lost by splitting
    broken = [p for p in files if p.name.startswith("plans__broken.yaml")]
    assert len(broken) == 1
    assert (
        json.loads(broken[0].read_text(encoding="utf-8"))["runs"][0]["invocations"][0]["executionSuccessful"] is False
    )


def test_ci_formats_name_files_from_the_repository_root(plans_repo: Path) -> None:
    # Run from a subdirectory: annotations and Code Quality paths must still be repository paths.
    out = sgc(
        "check",
        "shinjuku.yaml",
        "--no-summary",
        *("-o", "gitlab=../reports/gl.json", "-o", "github=../reports/gh.txt", "-f", "concise"),
        cwd=plans_repo / "plans",
    )
    assert out.returncode == 0, out.stderr
    issues = json.loads((plans_repo / "reports" / "gl.json").read_text(encoding="utf-8"))
    assert issues and {i["location"]["path"] for i in issues} == {"plans/shinjuku.yaml"}
    lines = (plans_repo / "reports" / "gh.txt").read_text(encoding="utf-8").splitlines()
    assert lines and all(line.split(" ", 1)[1].startswith("file=plans/shinjuku.yaml,") for line in lines)
    assert out.stdout.splitlines()[0].startswith("shinjuku.yaml:")  # concise: the path as given, like ruff
