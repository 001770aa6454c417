"""Nothing lost, nothing random.

- Every party, transfer, terminal, measure and contract of a generated valid plan, written as YAML or
  JSON, is in the loaded model and counted in the JSON report's plan summary.
- The same input gives byte-identical JSON and SARIF within a process (checked twice) and across two
  processes (with different hash seeds, so set or dict ordering that depends on hashing would show).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastplans import random_plan
from safeguard_check import __version__
from safeguard_check.check import check_plan
from safeguard_check.findings.model import Report
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import load_declaration, parse_declaration
from safeguard_check.model.declaration import Declaration
from safeguard_check.report.formats import render_json, render_sarif
from strategies import declarations

REPO = Path(__file__).resolve().parent.parent
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
MINIMAL = REPO / "tests" / "data" / "minimal.yaml"
CATALOG = load_catalog()
COLLECTIONS = ("parties", "transfers", "terminals", "measures", "contracts", "sheets", "data_items", "media")
IDS = ("parties", "transfers", "terminals", "contracts")


def _text(decl: Declaration, fmt: str) -> str:
    data = decl.model_dump(mode="json", by_alias=True, exclude_none=True)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _assert_nothing_lost(decl: Declaration, fmt: str) -> None:
    loaded = parse_declaration(_text(decl, fmt), f"generated.{fmt}", fmt)  # type: ignore[arg-type]
    for name in COLLECTIONS:
        assert len(getattr(loaded.declaration, name)) == len(getattr(decl, name)), name
    for name in IDS:
        assert [x.id for x in getattr(loaded.declaration, name)] == [x.id for x in getattr(decl, name)], name
    assert [m.codes for m in loaded.declaration.measures] == [m.codes for m in decl.measures]
    result = check_plan(loaded, CATALOG, engine="reference")
    report = json.loads(render_json(Report(tool_version=__version__, fail_on="high", results=(result,))))
    summary = report["results"][0]["plan"]
    for name in COLLECTIONS:
        assert summary[name] == len(getattr(decl, name)), name
    assert [p["id"] for p in summary["chain"]] == [p.id for p in decl.parties]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(["yaml", "json"]))
def test_nothing_lost_on_generated_chains(rnd: random.Random, fmt: str) -> None:
    _assert_nothing_lost(random_plan(rnd, max_parties=12), fmt)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations(), st.sampled_from(["yaml", "json"]))
def test_nothing_lost_on_hostile_texts(decl: Declaration, fmt: str) -> None:
    _assert_nothing_lost(decl, fmt)


def test_nothing_lost_in_shinjuku() -> None:
    loaded = load_declaration(SHINJUKU)
    raw = yaml.safe_load(SHINJUKU.read_text(encoding="utf-8"))
    for name in COLLECTIONS:
        assert len(getattr(loaded.declaration, name)) == len(raw.get(name, [])), name
    _assert_nothing_lost(loaded.declaration, "yaml")


# --- determinism -----------------------------------------------------------------------------------

LEAKY = MINIMAL.read_text(encoding="utf-8") + "# 1234 5678 9018\n"


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_same_input_same_bytes_within_a_process(engine: str) -> None:
    for path in (SHINJUKU, MINIMAL):
        outputs = []
        for _ in range(2):
            result = check_plan(load_declaration(path), CATALOG, engine=engine)  # type: ignore[arg-type]
            report = Report(tool_version=__version__, fail_on="high", results=(result,))
            outputs.append((render_json(report, "ja"), render_sarif(report, "ja"), render_sarif(report, "en")))
        assert outputs[0] == outputs[1]
    leaky = [
        render_json(
            Report(
                tool_version=__version__,
                fail_on="high",
                results=(check_plan(parse_declaration(LEAKY, "leak.yaml"), CATALOG, engine=engine),),  # type: ignore[arg-type]
            )
        )
        for _ in range(2)
    ]
    assert leaky[0] == leaky[1]


def _cli_reports(workdir: Path, seed: str, plans: list[str]) -> dict[str, bytes]:
    out = workdir / f"run-{seed}"
    out.mkdir()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard_check",
            "check",
            *plans,
            "--fail-on",
            "never",
            "-o",
            f"json={out / 'report.json'}",
            "-o",
            f"sarif={out / 'report.sarif'}",
            "--format",
            "json",
        ],
        env={**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": seed},
        capture_output=True,
        timeout=180,
        cwd=workdir,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return {
        "stdout": proc.stdout,
        "json": (out / "report.json").read_bytes(),
        "sarif": (out / "report.sarif").read_bytes(),
    }


def test_same_input_same_bytes_across_processes(tmp_path: Path) -> None:
    (tmp_path / "leak.yaml").write_text(LEAKY, encoding="utf-8")
    (tmp_path / "shinjuku.yaml").write_bytes(SHINJUKU.read_bytes())
    (tmp_path / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    plans = ["shinjuku.yaml", "minimal.yaml", "leak.yaml"]
    first = _cli_reports(tmp_path, "1", plans)
    second = _cli_reports(tmp_path, "2", plans)
    assert first == second
    assert b"SGC-LEAK-MYNUMBER" in first["json"] and b"123456789018" not in first["json"] + first["sarif"]
    assert json.loads(first["json"]) == json.loads(first["stdout"])
