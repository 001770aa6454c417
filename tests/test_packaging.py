"""The wheel ships the data the package reads at run time (baselines, rules, vocabulary, messages)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PACKAGE_DATA = (
    "safeguard_check/data/vocabulary.yaml",
    "safeguard_check/data/template.yaml",
    "safeguard_check/messages/catalog.yaml",
)


@pytest.fixture(scope="module")
def wheel(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(repo_root)]
    if importlib.util.find_spec("hatchling") is not None:
        # Build with what is installed when the backend is there; otherwise pip fetches it (isolation).
        command.insert(4, "--no-build-isolation")
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(out.glob("safeguard_check-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _yaml_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")} if folder.is_dir() else set()


def _bundled(names: list[str], kind: str) -> set[str]:
    prefix = f"safeguard_check/_bundled/{kind}/"
    return {n[len(prefix) :] for n in names if n.startswith(prefix) and n.endswith(".yaml")}


@pytest.mark.parametrize("kind", ["baselines", "rules"])
def test_wheel_bundles_every_catalogue_file(wheel: Path, repo_root: Path, kind: str) -> None:
    expected = _yaml_files(repo_root / kind)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert _bundled(names, kind) == expected
        for name in expected:
            packed = archive.read(f"safeguard_check/_bundled/{kind}/{name}")
            assert packed == (repo_root / kind / name).read_bytes(), name


def test_wheel_contains_package_data(wheel: Path, repo_root: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in PACKAGE_DATA:
            assert name in names, name
            assert archive.read(name) == (repo_root / "src" / name).read_bytes(), name
        assert "safeguard_check/__main__.py" in names
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "safeguard-check = safeguard_check.cli:main" in archive.read(entry_points).decode()


def test_wheel_contains_no_test_or_case_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        tops = {n.split("/", 1)[0] for n in archive.namelist()}
    others = tops - {"safeguard_check"}
    assert len(others) == 1 and others.pop().endswith(".dist-info"), tops


def test_unpacked_wheel_runs_outside_the_checkout(wheel: Path, repo_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    where = run("-c", "import safeguard_check; print(safeguard_check.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(site)  # the wheel's copy, not the checkout
    bundled = run("-c", "from safeguard_check.load.catalog import bundled_dir; print(bundled_dir('baselines'))")
    assert bundled.returncode == 0, bundled.stderr
    assert Path(bundled.stdout.strip()).is_relative_to(site)
    plan = repo_root / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
    result = run("-m", "safeguard_check", "check", str(plan), "--fail-on", "never", "--engine", "reference")
    assert "Traceback" not in result.stderr
    assert result.returncode not in (2, 3), result.stderr  # 2 would mean the bundled catalogue is unusable
