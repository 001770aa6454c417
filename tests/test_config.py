"""Configuration files: [tool.safeguard-check] in pyproject.toml or .safeguard-check.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_process import run_cli
from safeguard_check.api import options_with_config
from safeguard_check.config import config_for, find_config, read_config
from safeguard_check.errors import InputError, render

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    plans = tmp_path / "project" / "plans"
    plans.mkdir(parents=True)
    shutil.copy(SHINJUKU, plans / "shinjuku.yaml")
    return tmp_path / "project"


def test_found_upward_from_the_plan(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.safeguard-check]\nfail-on = "medium"\nselect = ["SGC-CONTRACT"]\n',
        encoding="utf-8",
    )
    config = find_config(project / "plans" / "shinjuku.yaml")
    assert config is not None and config.path == (project / "pyproject.toml").resolve()
    assert config.values.fail_on == "medium" and config.values.select == ("SGC-CONTRACT",)


def test_dot_file_wins_and_pyproject_without_table_is_passed(project: Path) -> None:
    (project / "plans" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.safeguard-check]\nprofile = "standard"\n', encoding="utf-8")
    (project / ".safeguard-check.toml").write_text('profile = "law"\n', encoding="utf-8")
    config = find_config(project / "plans" / "shinjuku.yaml")
    assert config is not None and config.path.name == ".safeguard-check.toml" and config.values.profile == "law"


def test_unknown_key_is_located_in_both_languages(project: Path) -> None:
    path = project / ".safeguard-check.toml"
    path.write_text('fail-on = "high"\n\nslect = ["SGC"]\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_config(path)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.key) == (str(path), 3, "config.unknown_key")
    assert "slect" in render(issue, "en") and "slect" in render(issue, "ja")
    assert "unknown configuration key" in render(issue, "en") and "不明なキー" in render(issue, "ja")


def test_cli_reports_config_errors_with_exit_2(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.safeguard-check]\nfail_on = "high"\n', encoding="utf-8")
    result = run_cli("check", "plans/shinjuku.yaml", "--lang", "en", cwd=project)
    assert result.returncode == 2, result.stderr
    assert "pyproject.toml:2: error: unknown configuration key 'fail_on'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "needle"),
    [('fail-on = "urgent"\n', "fail-on"), ("select = 3\n", "select"), ("fail-on = \n", "TOML")],
)
def test_bad_values_are_errors(project: Path, text: str, needle: str) -> None:
    (project / ".safeguard-check.toml").write_text(text, encoding="utf-8")
    result = run_cli("check", "plans/shinjuku.yaml", "--lang", "en", cwd=project)
    assert result.returncode == 2 and needle in result.stderr and ".safeguard-check.toml:1" in result.stderr


def test_command_line_overrides_the_config(project: Path) -> None:
    (project / ".safeguard-check.toml").write_text(
        'fail-on = "medium"\nseverity = { "SGC-CONTRACT" = "low" }\n', encoding="utf-8"
    )
    assert run_cli("check", "plans/shinjuku.yaml", cwd=project).returncode == 1  # medium findings
    assert run_cli("check", "plans/shinjuku.yaml", "--fail-on", "high", cwd=project).returncode == 0
    assert run_cli("check", "plans/shinjuku.yaml", "--no-config", cwd=project).returncode == 0
    options = options_with_config(
        [project / "plans" / "shinjuku.yaml"], {"severity": {"SGC-CONTRACT-BIZ": "info"}, "fail_on": "low"}
    )
    assert options.fail_on == "low"
    assert options.severity == {"SGC-CONTRACT": "low", "SGC-CONTRACT-BIZ": "info"}  # merged, CLI wins per rule
    assert options.sources["severity"] == "--severity"


def test_paths_in_the_config_are_relative_to_it(project: Path) -> None:
    (project / ".safeguard-check.toml").write_text('waivers = "waivers.yaml"\n', encoding="utf-8")
    options = options_with_config([project / "plans" / "shinjuku.yaml"], {})
    assert options.waivers == (project / "waivers.yaml").resolve()


def test_plans_under_two_configs_are_refused(project: Path, tmp_path: Path) -> None:
    (project / ".safeguard-check.toml").write_text('fail-on = "low"\n', encoding="utf-8")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / ".safeguard-check.toml").write_text('fail-on = "high"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        config_for([project / "plans" / "shinjuku.yaml", other / "x.yaml"])
    assert caught.value.issues[0].key == "config.conflict"


def test_selection_errors_point_at_the_config_line(project: Path) -> None:
    (project / ".safeguard-check.toml").write_text(
        'fail-on = "low"\nignore = [\n  "SGC-CONTRACT",\n  "SGC-LEAK-MYNUMBER",\n]\nselect = ["SGC-NOPE"]\n',
        encoding="utf-8",
    )
    result = run_cli("check", "plans/shinjuku.yaml", "--lang", "en", cwd=project)
    assert result.returncode == 2
    assert ".safeguard-check.toml:4: error: rule SGC-LEAK-MYNUMBER" in result.stderr
    assert ".safeguard-check.toml:6: error: select: no rule matches 'SGC-NOPE'" in result.stderr
