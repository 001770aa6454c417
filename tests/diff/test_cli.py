"""`safeguard-check diff` on the command line: exit codes, formats, languages, located input errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from safeguard_check.commands.diff import register

from .helpers import SHINJUKU, patched, variant_ops
from .test_changes import COUNCIL_CHANGES

ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SAFEGUARD_CHECK_LANG": ""}


def make_app() -> typer.Typer:
    """An app with ``diff`` registered the way cli.py registers its command modules."""
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    register(app)
    return app


APP = make_app()
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(APP, ["diff", *args], env=ENV)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("plans")
    broken = d / "broken.yaml"
    broken.write_text("plan:\n  title: [unclosed\n", encoding="utf-8")
    return {
        "council": patched(d, "council.yaml", COUNCIL_CHANGES),
        "usb": patched(d, "usb.yaml", variant_ops("05-usb-not-blocked")),  # introduces two high gaps
        "low": patched(d, "low.yaml", variant_ops("06-no-logoff")),
        "broken": broken,
    }


def test_identical_exit_0(files: dict[str, Path]) -> None:
    code, out, err = run(str(SHINJUKU), str(SHINJUKU))
    assert code == 0, err
    assert "変更はありません。" in out and "Traceback" not in out + err


def test_introduced_high_gap_exit_1_and_fail_on(files: dict[str, Path]) -> None:
    usb = str(files["usb"])
    assert run(str(SHINJUKU), usb)[0] == 1
    assert run(str(SHINJUKU), usb, "--fail-on", "medium")[0] == 1
    assert run(str(SHINJUKU), usb, "--fail-on", "critical")[0] == 0
    assert run(str(SHINJUKU), usb, "--fail-on", "never")[0] == 0
    assert run(usb, str(SHINJUKU))[0] == 0  # only resolved gaps


def test_fail_on_counts_only_what_is_introduced(files: dict[str, Path]) -> None:
    # The plan keeps 15 existing gaps (4 of them high): only the new ones decide the exit code.
    code, out, _ = run(str(SHINJUKU), str(files["low"]), "--fail-on", "high")
    assert code == 0 and "SGC-" in out
    assert run(str(SHINJUKU), str(files["low"]), "--fail-on", "info")[0] == 1


def test_json_stdout_is_parseable_and_language_independent(files: dict[str, Path]) -> None:
    code, ja, _ = run(str(SHINJUKU), str(files["council"]), "--format", "json")
    assert code == 1
    _, en, _ = run(str(SHINJUKU), str(files["council"]), "--format", "json", "--lang", "en")
    assert ja == en
    assert json.loads(ja)["summary"]["changes"] == 7
    assert run(str(SHINJUKU), str(files["council"]), "-f", "json")[1] == ja


def test_markdown_stdout(files: dict[str, Path]) -> None:
    code, out, _ = run(str(SHINJUKU), str(files["council"]), "--format", "markdown", "--lang", "en")
    assert code == 1
    assert out.startswith("# Changes to the plan") and "| ~ | Party | `npb`" in out


def test_both_languages(files: dict[str, Path]) -> None:
    _, ja, _ = run(str(SHINJUKU), str(files["council"]))
    _, en, _ = run(str(SHINJUKU), str(files["council"]), "--lang", "en")
    assert "変更箇所（7 件）" in ja and "新たに生じた指摘（3 件）" in ja
    assert "Changes (7)" in en and "Gaps introduced (3)" in en and "変更箇所" not in en


def test_as_of_applies_to_both(files: dict[str, Path]) -> None:
    later = files["council"]
    _, out, _ = run(str(SHINJUKU), str(later), "--as-of", "R2.5.25", "--format", "json")
    data = json.loads(out)
    assert data["old"]["as_of"] == data["new"]["as_of"] == "2020-05-25"
    assert data["new"]["as_of_source"] == "option"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "sarif"], "--format"),
        (["--lang", "fr"], "--lang"),
        (["--fail-on", "urgent"], "--fail-on"),
        (["--as-of", "平成31年5月1日"], "--as-of"),
        (["--engine", "fast"], "--engine"),
    ],
)
def test_bad_options_exit_2_in_both_languages(args: list[str], needle: str) -> None:
    code, out, err = run(str(SHINJUKU), str(SHINJUKU), *args)
    assert code == 2 and out == ""
    assert needle in err and " / " in err and "Traceback" not in err


def test_bad_input_exit_2_located(files: dict[str, Path], tmp_path: Path) -> None:
    code, out, err = run(str(SHINJUKU), str(files["broken"]))
    assert code == 2 and out == ""
    assert f"{files['broken']}:" in err and "エラー" in err
    code, _, err = run(str(files["broken"]), str(tmp_path / "missing.yaml"), "--lang", "en")
    assert code == 2
    assert f"{files['broken']}:" in err and "missing.yaml" in err and "error:" in err and "file not found" in err
    bad_rules = tmp_path / "rules"
    bad_rules.mkdir()
    assert run(str(SHINJUKU), str(SHINJUKU), "--rules", str(bad_rules / "none"))[0] == 2


def test_reference_engine_gives_the_same_result(files: dict[str, Path]) -> None:
    durable = run(str(SHINJUKU), str(files["council"]), "-f", "json")[1]
    reference = run(str(SHINJUKU), str(files["council"]), "-f", "json", "--engine", "reference")[1]

    def strip(text: str) -> dict[str, object]:
        return {k: v for k, v in json.loads(text).items() if k != "engine"}

    assert strip(durable) == strip(reference)


_SCRIPT = """
import sys, typer
from safeguard_check.commands.diff import register
app = typer.Typer()
@app.callback()
def _root() -> None:
    "root"
register(app)
app()
"""


def test_subprocess_exit_codes_and_plain_stderr(files: dict[str, Path], tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", _SCRIPT, "diff", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert call(str(SHINJUKU), str(SHINJUKU)).returncode == 0
    introduced = call(str(SHINJUKU), str(files["usb"]))
    assert introduced.returncode == 1 and "SGC-TERMINAL-REMOVABLE-MEDIA" in introduced.stdout
    broken = call(str(SHINJUKU), str(files["broken"]))
    assert broken.returncode == 2 and broken.stderr.startswith(f"{files['broken']}:")
