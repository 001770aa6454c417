"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself on a clean clone.

``safeguard-check-system`` and the ``repo: local`` recipe of docs/ci.md need nothing built, so they run
offline (the index is switched off and proxies point nowhere, to prove it). The ``safeguard-check`` hook
has pre-commit build its environment with ``pip install .``: without the package index that fails with
"No matching distribution found for hatchling" (the build backend; measured in this project's sandbox),
and that test is skipped on exactly that message — any other failure fails it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
OFFLINE = {
    "PIP_NO_INDEX": "1",
    **{name: "http://127.0.0.1:9" for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
}
NEEDS_INDEX = re.compile(r"No matching distribution found for|Could not find a version that satisfies")

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None,
    reason="git or pre-commit (the test extra) is not installed",
)


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=test@example.org", "-c", "user.name=test", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    target = tmp_path_factory.mktemp("clone") / "safeguard-check"
    _git("clone", "--quiet", str(REPO), str(target), cwd=target.parent)  # committed files only
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "municipality"
    (root / "plans").mkdir(parents=True)
    shutil.copy(SHINJUKU, root / "plans" / "declaration-shinjuku.yaml")  # the hooks' naming convention
    (root / "plans" / "waivers.yaml").write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")  # not a plan
    _git("init", "--quiet", cwd=root)
    _git("add", ".", cwd=root)
    _git("commit", "--quiet", "-m", "plans", cwd=root)
    return root


def _pre_commit(*args: str, cwd: Path, offline: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    # The installed command must be found by `language: system` hooks; PYTHONPATH keeps this checkout's code.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update({"PRE_COMMIT_HOME": str(cwd.parent / "pre-commit-home"), "NO_COLOR": "1"})
    if offline:
        env.update(OFFLINE)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1500
    )


def _break_plan(project: Path) -> None:
    plan = project / "plans" / "declaration-shinjuku.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nunknown_top_level_key: 1\n", encoding="utf-8")
    _git("commit", "--quiet", "-am", "typo", cwd=project)


def test_system_hook_through_try_repo_offline(clone: Path, project: Path) -> None:
    sha = _git("rev-parse", "HEAD", cwd=clone)
    passed = _pre_commit("try-repo", str(clone), "safeguard-check-system", "--ref", sha, "--all-files", cwd=project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"safeguard-check \(installed.*Passed", passed.stdout)
    _break_plan(project)
    failed = _pre_commit("try-repo", str(clone), "safeguard-check-system", "--ref", sha, "--all-files", cwd=project)
    assert failed.returncode == 1 and "Failed" in failed.stdout
    assert "declaration-shinjuku.yaml" in failed.stdout and "unknown_top_level_key" in failed.stdout


def test_local_recipe_of_the_docs_as_written(project: Path) -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    recipe = next(block for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "repo: local" in block)
    (project / ".pre-commit-config.yaml").write_text(recipe, encoding="utf-8")
    _git("add", ".", cwd=project)
    _git("commit", "--quiet", "-m", "hooks", cwd=project)
    passed = _pre_commit("run", "--all-files", cwd=project)
    assert passed.returncode == 0 and "Passed" in passed.stdout, passed.stdout + passed.stderr
    shutil.rmtree(project / "plans")
    (project / "plans").mkdir()
    (project / "plans" / "notes.yaml").write_text("title: not a plan\n", encoding="utf-8")
    _git("add", "-A", ".", cwd=project)
    _git("commit", "--quiet", "-m", "no plans", cwd=project)
    empty = _pre_commit("run", "--all-files", cwd=project)
    assert empty.returncode == 1 and "Failed" in empty.stdout  # a folder without plans never passes


@pytest.mark.slow
def test_python_hook_through_try_repo(clone: Path, project: Path) -> None:
    # The documented recipe: `rev` is a commit SHA of this repository (no tags are published).
    sha = _git("rev-parse", "HEAD", cwd=clone)
    args = ("try-repo", str(clone), "safeguard-check", "--ref", sha, "--all-files")
    result = _pre_commit(*args, cwd=project, offline=False)
    output = result.stdout + result.stderr
    log = project.parent / "pre-commit-home" / "pre-commit.log"
    missing = NEEDS_INDEX.search(output)
    if result.returncode != 0 and "-mpip', 'install'" in output and missing is not None:
        pytest.skip(f"building the hook environment needs the package index, which is unreachable: {missing[0]}")
    assert result.returncode == 0, output + (log.read_text(encoding="utf-8") if log.exists() else "")
    assert re.search(r"safeguard-check \(個人番号.*Passed", result.stdout)
