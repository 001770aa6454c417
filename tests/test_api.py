"""safeguard_check.api: the run the command line makes, as a library call (docs/api.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_check.api import STDIN, Check, CheckOptions, check
from safeguard_check.errors import InputError

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def test_the_documented_example_runs() -> None:
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    example = re.search(r"## Example.*?```python\n(.*?)```", text, re.DOTALL)
    assert example is not None
    # In a fresh interpreter from the repository root, as a reader would run it.
    result = subprocess.run([sys.executable, "-c", example[1]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "declaration.yaml" in result.stdout and "SGC-" in result.stdout


def test_api_gives_the_report_the_command_line_writes(tmp_path: Path) -> None:
    run = check(CheckOptions(paths=(SHINJUKU,), fail_on="medium", engine="reference"))
    cli = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", str(SHINJUKU), "-f", "json", "--engine", "reference",
         "--fail-on", "medium", "--no-config"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert cli.returncode == run.exit_code == 1
    printed = json.loads(cli.stdout)
    rules = sorted(f["rule_id"] for r in printed["results"] for f in r["findings"])
    assert rules == sorted(f.rule_id for r in run.report.results for f in r.findings)


def test_exit_codes_follow_fail_on_and_failures(tmp_path: Path) -> None:
    assert check(CheckOptions(paths=(SHINJUKU,), fail_on="critical")).exit_code == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("plan: [\n", encoding="utf-8")
    run = check(CheckOptions(paths=(SHINJUKU, broken), fail_on="never"))
    assert run.exit_code == 2
    assert [f.path for f in run.failures] == [str(broken)]
    assert len(run.report.results) == 1  # the readable plan is still checked


def test_selection_narrows_the_rules(tmp_path: Path) -> None:
    everything = check(CheckOptions(paths=(SHINJUKU,)))
    contract_only = check(CheckOptions(paths=(SHINJUKU,), select=("SGC-CONTRACT",)))
    found = {f.rule_id for r in contract_only.report.results for f in r.findings}
    assert found and all(rule.startswith("SGC-CONTRACT") for rule in found)
    assert found < {f.rule_id for r in everything.report.results for f in r.findings}


def test_directory_without_plans_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Check(CheckOptions(paths=(tmp_path,)))
    assert [i.key for i in caught.value.issues] == ["input.no_plans"]


def test_steps_expose_the_inputs_before_reading(tmp_path: Path) -> None:
    run = Check(CheckOptions(paths=(SHINJUKU, STDIN), waivers=tmp_path / "w.yaml"))
    inputs = run.inputs()
    assert SHINJUKU in inputs and tmp_path / "w.yaml" in inputs and STDIN not in inputs
    with pytest.raises(InputError):
        run.load()  # the waivers file does not exist
