"""A reader that stops early (``… | head``) gets a clear end: a message and exit code 2, never click's
silent exit 1 (which reads as "findings") nor a BrokenPipeError traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard_check.closed_output import message

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def _three_plans(tmp_path: Path) -> Path:
    # Three plans' JSON (≈ 0.5 MB) cannot fit in a pipe's buffer: the writer must meet the closed end.
    root = tmp_path / "plans"
    root.mkdir()
    for k in range(3):
        shutil.copy(SHINJUKU, root / f"plan{k}.yaml")
    return root


def _read_then_close(args: list[str], cwd: Path, keep: int) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "safeguard_check", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(keep)
    proc.stdout.close()
    err = proc.stderr.read()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("fmt", ["json", "terminal"])
def test_a_reader_that_leaves_early_ends_the_run_with_exit_2_and_says_so(tmp_path: Path, fmt: str) -> None:
    args = ["check", str(_three_plans(tmp_path)), "--format", fmt, "--fail-on", "never", "--jobs", "1"]
    if fmt == "terminal":
        args.append("--details")  # three full reports: more than a pipe holds
    code, err = _read_then_close(args, tmp_path, keep=10)
    assert code == 2, err
    assert message() in err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_reader_that_reads_everything_sees_no_change(tmp_path: Path) -> None:
    args = ["check", str(_three_plans(tmp_path)), "--format", "json", "--fail-on", "never", "--jobs", "1"]
    run = subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert message() not in run.stderr
    assert run.stdout.rstrip().endswith("}")


_BUFFERED_THEN_EXIT = """
import sys
from safeguard_check import cli

def app():
    sys.stdout.write("a short report\\n")  # stays in the stream's buffer: no flush yet
    sys.stdin.readline()  # the test closes the reading end, then lets the command end
    raise SystemExit(0)

cli.app = app
cli.main()
"""


def test_a_reader_gone_before_the_last_buffered_output_is_flushed(tmp_path: Path) -> None:
    # The closed pipe is met only at the final flush, after the command has ended with exit code 0.
    # Standard output buffered, as in a user's shell (this machine and CI set PYTHONUNBUFFERED).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _BUFFERED_THEN_EXIT],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stdin.write("go\n")
    proc.stdin.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 2, err
    assert message() in err
    assert "Traceback" not in err and "Exception ignored" not in err
