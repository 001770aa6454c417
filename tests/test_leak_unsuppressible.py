"""A leaked 個人番号 can be neither waived nor hidden by a baseline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeguard_check.baseline_file import filter_new
from safeguard_check.check import check_plan
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import parse_declaration
from safeguard_check.waivers import apply_waivers, parse_waivers

CASE = Path(__file__).resolve().parents[1] / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def _leaky_result():  # type: ignore[no-untyped-def]
    text = CASE.read_text(encoding="utf-8").replace(
        "    department: 戸籍住民課\n", "    department: 戸籍住民課\n    note: 個人番号 1234 5678 9018\n", 1
    )
    result = check_plan(parse_declaration(text, "leaky.yaml"), load_catalog())
    leaks = [f for f in result.findings if f.rule_id == "SGC-LEAK-MYNUMBER"]
    assert leaks, "the leak guard must flag the number"
    return result, leaks


def test_a_waiver_cannot_hide_a_leak() -> None:
    result, leaks = _leaky_result()
    waivers = parse_waivers(
        "schema_version: 1\nwaivers:\n  - id: W-LEAK\n    rule: SGC-LEAK-MYNUMBER\n    subject: '*'\n"
        "    justification: x\n    approved_by: y\n    granted_on: 2020-01-01\n    expires: 2030-01-01\n",
        "w.yaml",
        load_catalog(),
    )
    waived = apply_waivers(result, waivers, dt.date(2020, 6, 1))
    for f in waived.findings:
        if f.rule_id == "SGC-LEAK-MYNUMBER":
            assert f.status == "open" and f.waiver is None
    assert len([f for f in waived.findings if f.rule_id == "SGC-LEAK-MYNUMBER"]) == len(leaks)


def test_a_baseline_cannot_hide_a_leak() -> None:
    result, leaks = _leaky_result()
    everything = {f.fingerprint for f in result.findings}
    filtered = filter_new(result, everything)
    assert [f.rule_id for f in filtered.findings] == ["SGC-LEAK-MYNUMBER"] * len(leaks)


def test_max_bytes_option_limits_input(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", str(CASE), "--max-bytes", "1000"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert result.returncode == 2
    assert "1000" in result.stderr and "Traceback" not in result.stderr
