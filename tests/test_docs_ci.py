"""The snippets of docs/ci.md that this project's CLI half owns work as written (#16)."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from cli_process import run_cli
from safeguard_check.api import Check, options_with_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
CI = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def _section(title: str) -> str:
    start = CI.index(f"## {title}")
    end = CI.find("\n## ", start + 1)
    return CI[start : end if end != -1 else None]


def test_config_example_is_valid_and_applies(tmp_path: Path) -> None:
    (example,) = re.findall(r"```toml\n(.*?)```", _section("設定ファイル"), re.DOTALL)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "waivers.yaml").write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")
    (tmp_path / "plans" / "plan.yaml").write_bytes(SHINJUKU.read_bytes())
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    options = options_with_config([tmp_path / "plans" / "plan.yaml"], {})
    assert options.fail_on == "medium" and options.select == ("SGC",)
    run = Check(options)
    run.load()  # the selection matches rules and the waivers file is found relative to the config
    assert run.profile is not None and run.profile.severity["SGC-CONTRACT-BIZ-CONFIDENTIALITY"] == "low"


def test_selection_examples_run(tmp_path: Path) -> None:
    (block,) = re.findall(r"```sh\n(.*?)```", _section("規則の選択"), re.DOTALL)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plan.yaml").write_bytes(SHINJUKU.read_bytes())
    for line in block.splitlines():
        words = shlex.split(line.split("#")[0])
        assert words[0] == "safeguard-check"
        result = run_cli(*words[1:], cwd=tmp_path)
        assert result.returncode in (0, 1), (line, result.stderr)


def test_no_compiler_install_lists_every_dependency_but_durable() -> None:
    section = _section("コンパイラのない環境へのインストール")
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    first, second = block.strip().splitlines()
    assert second == "pip install --no-deps ."
    listed = shlex.split(first)[2:]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [dep.replace(" ", "") for dep in project["dependencies"] if not dep.startswith("durable-rules")]
    assert sorted(d.replace(" ", "") for d in listed) == sorted(wanted)
    assert any(dep.startswith("durable-rules") and "platform_system" in dep for dep in project["dependencies"])
    assert project["optional-dependencies"]["durable"] == ["durable-rules==2.0.28"]


@pytest.mark.parametrize("rule", ["SGC-NOTICE-LETTER-BEFORE-2020", "SGC-CONTRACT-BIZ"])
def test_rule_ids_named_in_the_docs_exist(rule: str) -> None:
    from safeguard_check.load.catalog import load_catalog

    assert any(r.id.startswith(rule) for r in load_catalog().rules)
