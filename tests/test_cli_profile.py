"""`check --profile`: named and custom profiles, caps deciding --fail-on, batches under a profile."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from cli_process import run_cli
from synthetic_catalog import write_catalog

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.yaml"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, env={"SAFEGUARD_CHECK_CACHE_DIR": str(cwd / "cache")})


def test_fail_on_uses_the_capped_severity(tmp_path: Path) -> None:
    baselines, rules = write_catalog(tmp_path / "catalog")
    only_notice = tmp_path / "only-notice.yaml"
    only_notice.write_text(
        "schema_version: 1\nid: only-notice\ntitle: {ja: 告示, en: Notice}\ndescription: {ja: 説明, en: text}\n"
        "basis_kinds: [law, notice]\nselect: [R-NOTICE]\n",
        encoding="utf-8",
    )
    common = (
        "check",
        str(MINIMAL),
        "--baselines",
        str(baselines),
        "--rules",
        str(rules),
        "--profile",
        str(only_notice),
    )
    # R-NOTICE is critical as written, but rests only on an unverified 告示: medium.
    assert run(*common, "--fail-on", "high", cwd=tmp_path).returncode == 0
    assert run(*common, "--fail-on", "medium", cwd=tmp_path).returncode == 1
    shown = run(*common, "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(shown.stdout)["results"][0]["findings"]
    assert (finding["severity"], finding["rule_severity"]) == ("medium", "critical")


def test_unknown_profile_exits_2_in_both_languages(tmp_path: Path) -> None:
    result = run("check", str(MINIMAL), "--profile", "lawful", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "プロファイル「lawful」はありません" in result.stderr
    assert "unknown profile 'lawful' (available: law, standard" in result.stderr
    missing = run("check", str(MINIMAL), "--profile", str(tmp_path / "none.yaml"), cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_batch_workers_apply_the_profile(tmp_path: Path) -> None:
    baselines, rules = write_catalog(tmp_path / "catalog")
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        shutil.copy(MINIMAL, plans / name)
    result = run(
        "check", str(plans), "--baselines", str(baselines), "--rules", str(rules),
        "--profile", "law", "--jobs", "2", "--format", "json", "--fail-on", "never", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["results"]) == 3
    for plan in report["results"]:
        assert plan["profile"] == "law"
        rules_found = {f["rule_id"] for f in plan["findings"]}
        assert "R-PRACTICE" not in rules_found and "R-LAW" in rules_found
        guideline = next(f for f in plan["findings"] if f["rule_id"] == "R-GUIDELINE")
        assert guideline["severity"] == "medium"  # only the unverified 告示 counts under `law`


def test_reports_name_the_profile(tmp_path: Path) -> None:
    baselines, rules = write_catalog(tmp_path / "catalog")
    common = ("check", str(MINIMAL), "--baselines", str(baselines), "--rules", str(rules), "--fail-on", "never")
    text = run(*common, "--profile", "law", "--no-summary", cwd=tmp_path).stdout
    assert "プロファイル" in text and "law（法令のみ" in text
    assert "プロファイルlawにより1件を除外" in "".join(text.split())  # the line wraps
    markdown = run(*common, "--profile", "law", "--format", "markdown", cwd=tmp_path).stdout
    assert "**プロファイル**: law（法令のみ" in markdown
    assert "**プロファイル law により除外した規則**: `R-PRACTICE`" in markdown
    junit = run(*common, "--profile", "law", "--format", "junit", "--lang", "en", cwd=tmp_path).stdout
    assert 'classname="R-PRACTICE"' in junit and "left out by profile law" in junit
