"""`safeguard-check check` as CI runs it: a subprocess, outside the checkout, exit codes and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_process import run_cli

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


run = run_cli


def test_check_shinjuku_lists_findings_and_exits_1(tmp_path: Path) -> None:
    # Since REVIEW-2026-12 §D and the severity caps, Shinjuku's gaps are medium at most: the default
    # threshold (high) passes it, a medium one fails it.
    assert run("check", str(SHINJUKU), cwd=tmp_path).returncode == 0
    result = run("check", str(SHINJUKU), "--fail-on", "medium", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    assert "計画の概要" in out and "地方公共団体情報システム機構" in out  # plan summary
    assert "SGC-CONTRACT-BIZ-CONFIDENTIALITY" in out  # J-LIS's contracts, judged under 事業者編
    assert "PPC-JIGYOSHA-ITAKU-CONTRACT-CONFIDENTIALITY" in out  # requirement id
    assert "第4-2-(1)-1-B" in out  # citation
    assert f"{SHINJUKU}:" in out  # location
    assert "令和2年5月25日" in out and "計画の変更日による" in out


def test_fail_on_threshold(tmp_path: Path) -> None:
    assert run("check", str(SHINJUKU), "--fail-on", "never", cwd=tmp_path).returncode == 0
    assert run("check", str(SHINJUKU), "--fail-on", "critical", cwd=tmp_path).returncode == 0  # no critical
    assert run("check", str(SHINJUKU), "--fail-on", "low", cwd=tmp_path).returncode == 1
    bad = run("check", str(SHINJUKU), "--fail-on", "urgent", cwd=tmp_path)
    assert bad.returncode == 2 and "--fail-on" in bad.stderr


def test_as_of_option_changes_the_law_and_says_so(tmp_path: Path) -> None:
    result = run(
        "check", str(SHINJUKU), "--as-of", "2019-04-01", "--no-summary", "--lang", "en", "--fail-on", "medium",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "2019-04-01" in result.stdout and "set by --as-of" in result.stdout
    assert "SGC-NOTICE-LETTER-BEFORE-2020" in result.stdout
    assert "MIC Notice No. 314" in result.stdout
    wareki = run("check", str(SHINJUKU), "--as-of", "H31.4.1", "--no-summary", cwd=tmp_path)
    assert "平成31年4月1日" in wareki.stdout
    bad = run("check", str(SHINJUKU), "--as-of", "平成31年5月1日", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_engines_print_the_same_findings(engine: str, tmp_path: Path) -> None:
    base = run("check", str(SHINJUKU), "--no-summary", cwd=tmp_path).stdout
    other = run("check", str(SHINJUKU), "--no-summary", "--engine", engine, cwd=tmp_path).stdout
    assert base == other


def test_english_output(tmp_path: Path) -> None:
    result = run("check", str(SHINJUKU), "--lang", "en", cwd=tmp_path)
    assert "Plan summary" in result.stdout and "Suggested wording" in result.stdout
    assert "the plan's effective date" in result.stdout


def test_bad_rules_directory_exits_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("schema_version: 1\nrules:\n  - id: bad id\n", encoding="utf-8")
    result = run("check", str(SHINJUKU), "--rules", str(rules), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{rules / 'x.yaml'}:3" in result.stderr
    assert "Traceback" not in result.stderr


def test_input_file_is_never_modified(tmp_path: Path) -> None:
    copy = tmp_path / "plan.yaml"
    copy.write_bytes(SHINJUKU.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    run("check", str(copy), cwd=tmp_path)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


DOCUMENT = SHINJUKU.parent / "shiryo30.txt"


def test_check_of_a_text_document_points_into_the_document(tmp_path: Path) -> None:
    import json
    import re
    import shutil

    shutil.copy(DOCUMENT, tmp_path / "shiryo30.txt")
    lines = DOCUMENT.read_text(encoding="utf-8").split("\n")
    result = run("check", "shiryo30.txt", "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "箇所の行番号はshiryo30.txtの行です" in "".join(result.stdout.split())  # the note may wrap
    located = re.findall(r"shiryo30\.txt:(\d+)", result.stdout)
    reported = run("check", "shiryo30.txt", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    findings = len(json.loads(reported.stdout)["results"][0]["findings"])
    assert findings >= 10 and len(located) == findings and all(1 <= int(n) <= len(lines) for n in located)
    assert ".txt.yaml" not in result.stdout  # no draft the user never wrote

    sarif = run("check", "shiryo30.txt", "--format", "sarif", "--fail-on", "never", cwd=tmp_path)
    run_log = json.loads(sarif.stdout)["runs"][0]
    assert [a["location"]["uri"] for a in run_log["artifacts"]] == ["shiryo30.txt"]
    regions = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run_log["results"]]
    assert len(regions) == findings and all(1 <= n <= len(lines) for n in regions)
