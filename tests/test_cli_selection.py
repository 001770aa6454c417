"""--select / --ignore / --severity on the command line (docs/ci.md, "Rule selection")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_process import run_cli

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def _rules(*args: str, cwd: Path) -> set[str]:
    result = run_cli("check", str(SHINJUKU), "-f", "json", "--no-config", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return {f["rule_id"] for r in json.loads(result.stdout)["results"] for f in r["findings"]}


def test_select_ignore_and_severity(tmp_path: Path) -> None:
    everything = _rules(cwd=tmp_path)
    contract = _rules("--select", "SGC-CONTRACT", cwd=tmp_path)
    assert contract == {r for r in everything if r.startswith("SGC-CONTRACT")} and contract
    assert _rules("--ignore", "SGC-CONTRACT", cwd=tmp_path) == everything - contract
    # Raising a rule's severity is capped by its legal basis; lowering it always applies.
    low = run_cli("check", str(SHINJUKU), "--severity", "SGC=info", "--fail-on", "low", cwd=tmp_path)
    assert low.returncode == 0, low.stderr
    assert run_cli("check", str(SHINJUKU), "--fail-on", "low", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--ignore", "SGC-LEAK-MYNUMBER"], "can be neither deselected nor downgraded"),
        (["--severity", "SGC-LEAK-MYNUMBER=low"], "can be neither deselected nor downgraded"),
        (["--select", "SGC-CONTRCT"], "no rule matches 'SGC-CONTRCT'"),
        (["--severity", "SGC-CONTRACT"], "--severity takes RULE=LEVEL"),
        (["--severity", "SGC-CONTRACT=urgent"], "--severity takes RULE=LEVEL"),
    ],
)
def test_selection_errors_exit_2_in_both_languages(args: list[str], needle: str, tmp_path: Path) -> None:
    result = run_cli("check", str(SHINJUKU), *args, cwd=tmp_path)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
    assert any("\u3040" <= ch <= "\u30ff" for ch in result.stderr)  # Japanese too
