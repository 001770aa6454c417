"""Command-line conventions CI users expect (#16): -h, completion, choices, --quiet, --no-color,
standard input, and a wrong path or an empty folder never passing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_process import run_cli

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
DOCUMENT = REPO / "cases" / "layouts" / "01-city-subcontractor-line-under-contractor" / "document.txt"


@pytest.mark.parametrize("command", [["check"], ["diff"], ["rules", "list"], ["explain"], []])
def test_short_help(command: list[str], tmp_path: Path) -> None:
    result = run_cli(*command, "-h", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_help_lists_the_choices(tmp_path: Path) -> None:
    out = run_cli("check", "--help", cwd=tmp_path, env={"COLUMNS": "300"}).stdout
    for listed in ("[critical|high|medium|low|info|never]", "[ja|en]", "[auto|durable|reference]", "sarif", "junit"):
        assert listed in out, listed
    assert "[standard|law|PATH.yaml]" in out


def test_shell_completion_offers_choices_and_profiles(tmp_path: Path) -> None:
    script = shutil.which("safeguard-check")
    if script is None:
        pytest.skip("the safeguard-check command is not installed in this environment")

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_SAFEGUARD_CHECK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        done = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
        return done.stdout.split()

    assert complete("safeguard-check check x --fail-on ") == ["critical", "high", "medium", "low", "info", "never"]
    assert "law" in complete("safeguard-check check x --profile ")
    assert "markdown" in complete("safeguard-check check x --format ")
    assert complete("safeguard-check ch") == ["check"]
    shown = run_cli("--show-completion", "bash", cwd=tmp_path)
    assert shown.returncode == 0 and "_SAFEGUARD_CHECK_COMPLETE" in shown.stdout.upper().replace("-", "_")


@pytest.mark.parametrize(
    "args",
    [["--fail-on", "urgent"], ["--format", "pdf"], ["--lang", "fr"], ["--engine", "fast"]],
)
def test_a_wrong_choice_is_a_usage_error_in_both_languages(args: list[str], tmp_path: Path) -> None:
    result = run_cli("check", str(SHINJUKU), *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    # click draws the message in a box wrapped at the terminal width: compare without frame and spaces.
    flat = "".join(ch for ch in result.stderr if not ch.isspace() and ch not in "│╭╮╰╯─")
    assert args[0] in flat and "のいずれかです" in flat and "mustbeoneof" in flat


def test_quiet_prints_no_terminal_report_but_keeps_the_exit_code(tmp_path: Path) -> None:
    loud = run_cli("check", str(SHINJUKU), "--fail-on", "medium", cwd=tmp_path)
    quiet = run_cli("check", str(SHINJUKU), "--fail-on", "medium", "-q", cwd=tmp_path)
    assert loud.returncode == quiet.returncode == 1
    assert loud.stdout and quiet.stdout == "" and quiet.stderr == ""
    machine = run_cli("check", str(SHINJUKU), "--quiet", "-f", "json", cwd=tmp_path)
    assert machine.stdout.startswith("{") and machine.stderr == ""


def _coloured(*args: str, cwd: Path, no_color_env: str | None = None) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "100"})
    if no_color_env is not None:
        env["NO_COLOR"] = no_color_env
    done = subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    return done.stdout, done.stderr


@pytest.mark.parametrize(
    "command",
    [["check", str(SHINJUKU)], ["diff", str(SHINJUKU), str(SHINJUKU)], ["rules", "list"], ["ingest", str(DOCUMENT)]],
    ids=["check", "diff", "rules", "ingest"],
)
def test_no_color_option_beside_the_environment(command: list[str], tmp_path: Path) -> None:
    # ingest prints its notes on stderr (stdout is the draft), the others their report on stdout.
    stream = 1 if command[0] == "ingest" else 0
    assert "\x1b[" in _coloured(*command, cwd=tmp_path)[stream]
    assert "\x1b[" not in _coloured(*command, "--no-color", cwd=tmp_path)[stream]
    assert "\x1b[" not in _coloured(*command, cwd=tmp_path, no_color_env="1")[stream]


def test_a_plan_from_standard_input(tmp_path: Path) -> None:
    text = SHINJUKU.read_text(encoding="utf-8")
    piped = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", "-", "--fail-on", "medium", "--lang", "en"],
        input=text, cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    from_file = run_cli("check", str(SHINJUKU), "--fail-on", "medium", "--lang", "en", cwd=tmp_path)
    assert piped.returncode == from_file.returncode == 1, piped.stderr
    assert "<stdin>:" in piped.stdout and "Plan summary" in piped.stdout
    assert piped.stdout.count("SGC-") == from_file.stdout.count("SGC-")
    broken = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", "-", "--lang", "en"],
        input="plan:\n  title: [\n", cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert broken.returncode == 2 and broken.stderr.startswith("<stdin>:")


def test_an_empty_folder_or_one_without_plans_fails(tmp_path: Path) -> None:
    empty = tmp_path / "plans"
    empty.mkdir()
    result = run_cli("check", "plans", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2 and "no plans found in plans" in result.stderr
    (empty / "waivers.yaml").write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")
    result = run_cli("check", "plans", cwd=tmp_path)
    assert result.returncode == 2 and "計画が見つかりません" in result.stderr


def test_a_missing_path_is_not_found_whatever_its_name(tmp_path: Path) -> None:
    for name in ("plans", "plan.docx", "plan.yaml"):
        result = run_cli("check", name, "--lang", "en", cwd=tmp_path)
        assert result.returncode == 2 and f"file not found: {name}" in result.stderr, result.stderr


def test_unsupported_extension_lists_documents_too(tmp_path: Path) -> None:
    (tmp_path / "plan.docx").write_bytes(b"PK")
    result = run_cli("check", "plan.docx", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2 and ".txt / .pdf" in result.stderr and ".yaml" in result.stderr


def test_diff_accepts_council_documents(tmp_path: Path) -> None:
    result = run_cli("diff", str(DOCUMENT), str(DOCUMENT), "--lang", "en", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["changes"] == 0 and data["summary"]["fails"] is False
    assert str(DOCUMENT) in result.stdout
