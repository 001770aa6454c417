"""Without durable-rules (no compiler to build it) the reference evaluator takes over and says so once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
NOTE_EN = "durable-rules is not installed; using the reference evaluator"

# A None entry in sys.modules makes `import durable` raise ImportError, as on an install without it.
WITHOUT_DURABLE = (
    "import sys; sys.modules['durable'] = None; sys.modules['durable.lang'] = None; "
    "sys.argv = ['safeguard-check', *sys.argv[1:]]; "
    "from safeguard_check.cli import main; main()"
)


def _run(*args: str, cwd: Path, blocked: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", WITHOUT_DURABLE] if blocked else [sys.executable, "-m", "safeguard_check"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_block_really_hides_durable(tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", WITHOUT_DURABLE.split("sys.argv")[0] + "from safeguard_check.engine import "
         "durable_available; print(durable_available())"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert probe.stdout.strip() == "False", probe.stderr


def test_reference_takes_over_and_says_so_once(tmp_path: Path) -> None:
    args = ("check", str(SHINJUKU), "--no-summary", "--lang", "en", "--fail-on", "medium")
    fallback = _run(*args, cwd=tmp_path)
    normal = _run(*args, cwd=tmp_path, blocked=False)
    assert fallback.returncode == normal.returncode == 1, fallback.stderr
    assert fallback.stderr.count(NOTE_EN) == 1 and NOTE_EN not in normal.stderr
    assert fallback.stdout == normal.stdout  # the same findings, word for word


def test_once_for_a_batch_with_worker_processes(tmp_path: Path) -> None:
    for index in range(3):
        shutil.copy(SHINJUKU, tmp_path / f"plan{index}.yaml")
    result = _run("check", str(tmp_path), "-j", "2", "--lang", "en", "--fail-on", "never", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(NOTE_EN) == 1


@pytest.mark.parametrize("command", [["check", str(SHINJUKU)], ["diff", str(SHINJUKU), str(SHINJUKU)]])
def test_asking_for_durable_explicitly_is_a_usage_error(command: list[str], tmp_path: Path) -> None:
    result = _run(*command, "--engine", "durable", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2 and "durable-rules cannot be imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_diff_falls_back_too(tmp_path: Path) -> None:
    result = _run("diff", str(SHINJUKU), str(SHINJUKU), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr.count(NOTE_EN) == 1
