"""The hostile corpus: every file in ``tests/hostile`` is refused with exit 2 and a located ja/en message.

``manifest.yaml`` lists each file with the message key it must produce and the line that message
must name. Each case is checked twice:

- in process, through the loader a user's file goes through (``load_declaration``, ``load_waivers``,
  ``load_catalog``), for the key, the line, bounded time and memory for the bombs;
- through the CLI in a subprocess (``NO_COLOR=1``), in Japanese and in English: exit code 2, the
  located message on stderr, no traceback, no real My Number. The subprocesses of all cases run
  concurrently once per session (they are the slow part), and each case then asserts on its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from safeguard_check.errors import InputError, InputIssue, render
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, load_declaration
from safeguard_check.load.tree import Limits
from safeguard_check.waivers import load_waivers

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MINIMAL = REPO / "tests" / "data" / "minimal.yaml"
MANIFEST = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))
CATALOG = load_catalog()


@dataclass(frozen=True)
class Case:
    file: str
    key: str
    line: int | None
    kind: str = "plan"  # plan | waivers | rules | baselines
    env: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    limit: str | None = None  # nodes | depth: the resource limit that must stop it
    note: str = ""

    @property
    def id(self) -> str:
        return self.file.replace("/", ":")


CASES = [
    Case(**{**entry, "also": tuple(entry.get("also", ())), "absent": tuple(entry.get("absent", ()))})
    for entry in MANIFEST["cases"]
]


@pytest.fixture(scope="session")
def catalog_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """For rules/baselines cases: a copy of the bundled directory with the hostile file added."""
    out: dict[str, Path] = {}
    for case in CASES:
        if case.kind not in ("rules", "baselines"):
            continue
        target = tmp_path_factory.mktemp(case.kind)
        for source in sorted((REPO / case.kind).glob("*.yaml")):
            shutil.copy(source, target / source.name)
        shutil.copy(HERE / case.file, target / Path(case.file).name)
        out[case.file] = target
    return out


def _target(case: Case, dirs: dict[str, Path]) -> str:
    """The path the messages must name: the hostile file (in its catalogue copy for rules/baselines)."""
    if case.kind in ("rules", "baselines"):
        return str(dirs[case.file] / Path(case.file).name)
    return str(HERE / case.file)


def _load(case: Case, dirs: dict[str, Path]) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        if case.kind == "plan":
            load_declaration(HERE / case.file)
        elif case.kind == "waivers":
            load_waivers(HERE / case.file, CATALOG)
        elif case.kind == "rules":
            load_catalog(None, dirs[case.file])
        else:
            load_catalog(dirs[case.file], None)
    return info.value.issues


def _cli_args(case: Case, dirs: dict[str, Path]) -> list[str]:
    if case.kind == "plan":
        return ["check", str(HERE / case.file)]
    if case.kind == "waivers":
        return ["check", str(MINIMAL), "--waivers", str(HERE / case.file)]
    return ["check", str(MINIMAL), f"--{case.kind}", str(dirs[case.file])]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


# `python -m safeguard_check`, reporting its own peak RSS at exit. The child's ru_maxrss (wait4) is no
# use: on Linux it includes the parent's RSS when the child was spawned (vfork shares the parent's
# memory until exec), so a big pytest process would make every run look big. VmHWM is the new image's.
_LAUNCH = """
import atexit, os, runpy, sys
def _peak():
    try:
        with open("/proc/self/status") as status:
            kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return
    with open(os.environ["SGC_TEST_PEAK_FILE"], "w") as out:
        out.write(kb)
atexit.register(_peak)
sys.argv[0] = "safeguard-check"
runpy.run_module("safeguard_check", run_name="__main__", alter_sys=True)
"""


def _run(args: list[str], env: dict[str, str]) -> Run:
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        proc = subprocess.run(
            [sys.executable, "-c", _LAUNCH, *args],
            env={**os.environ, "NO_COLOR": "1", "SGC_TEST_PEAK_FILE": str(peak_file), **env},
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        peak_mb = int(peak_file.read_text()) / 1024 if peak_file.exists() else 0.0
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start, peak_mb)


@pytest.fixture(scope="session")
def cli_runs(catalog_dirs: dict[str, Path]) -> dict[tuple[str, str], Run]:
    """Every case through the CLI in ja and en, run concurrently."""
    jobs = {
        (case.file, lang): ([*_cli_args(case, catalog_dirs), "--lang", lang], case.env)
        for case in CASES
        for lang in ("ja", "en")
    }
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2) * 2)) as pool:
        futures = {job: pool.submit(_run, *spec) for job, spec in jobs.items()}
        return {job: future.result() for job, future in futures.items()}


# --- the manifest ----------------------------------------------------------------------------------


def test_manifest_lists_every_file_once() -> None:
    listed = [c.file for c in CASES]
    assert len(listed) == len(set(listed))
    on_disk = sorted(
        str(p.relative_to(HERE)) for p in HERE.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
    )
    on_disk.remove("manifest.yaml")
    assert sorted(listed) == on_disk


def test_manifest_covers_the_hostile_kinds() -> None:
    keys = {c.key for c in CASES}
    assert {
        "syntax.too_many_nodes",
        "syntax.too_deep",
        "io.too_large",
        "decode.binary",
        "decode.undecodable",
        "decode.mixed",
        "syntax.duplicate_key",
        "syntax.tag",
        "syntax.merge_key",
        "syntax.non_string_key",
        "syntax.empty",
        "syntax.multiple_documents",
        "number.too_many_digits",
        "text.lone_surrogate",
    } <= keys
    assert {c.kind for c in CASES} == {"plan", "waivers", "rules", "baselines"}


# --- in process ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_in_process_with_key_and_line(
    case: Case, catalog_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    issues = _load(case, catalog_dirs)
    target = _target(case, catalog_dirs)
    main = [i for i in issues if i.key == case.key]
    assert len(main) == 1, [(i.file, i.key, i.line) for i in issues]
    issue = main[0]
    assert issue.file == target
    assert issue.line == case.line
    assert sorted(i.key for i in issues) == sorted((case.key, *case.also)), [(i.key, i.line) for i in issues]
    if case.limit == "nodes":
        assert issue.params["limit"] == Limits().max_nodes
    if case.limit == "depth":
        assert issue.params["limit"] == Limits().max_depth
    for lang in ("ja", "en"):
        text = "\n".join(render(i, lang) for i in issues)  # type: ignore[arg-type]
        prefix = f"{target}:{case.line}:" if case.line is not None else f"{target}: "
        assert render(issue, lang).startswith(prefix)  # type: ignore[arg-type]
        for secret in case.absent:
            assert secret not in text


BOMBS = [c for c in CASES if c.limit is not None]


@pytest.mark.parametrize("case", BOMBS, ids=[c.id for c in BOMBS])
def test_bombs_are_stopped_quickly(case: Case, catalog_dirs: dict[str, Path]) -> None:
    # Alias bombs are sized on the composed graph (each anchor once) and refused before anything is
    # built: milliseconds. Deep nesting stops at 64 levels. The 2 s bound leaves a loaded CI machine
    # plenty of room. Memory: see the CLI test (peak RSS).
    start = time.perf_counter()
    issues = _load(case, catalog_dirs)
    assert time.perf_counter() - start < 2.0
    if case.limit == "nodes":
        assert issues[0].path == ()  # refused by the graph check, not after building 200 000 nodes


def test_node_limit_holds_for_json_only_yaml_cannot_read(tmp_path: Path) -> None:
    # YAML refuses the C1 control character, so positions come from nowhere and the json module's
    # value is used as is: the node limit must still apply (generated here: the file is 500 kB).
    path = tmp_path / "many.json"
    path.write_text('{"note": "\u0080", "plan": [' + ",".join(["1"] * 250_000) + "]}\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_declaration(path)
    assert [i.key for i in info.value.issues] == ["syntax.too_many_nodes"]
    assert time.perf_counter() - start < 2.0


def test_size_limit_defaults_to_5_mib_and_reads_nothing_when_exceeded(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: the limit is checked on the size before reading
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(InputError) as info:
        load_declaration(path)
    (issue,) = info.value.issues
    assert issue.key == "io.too_large"
    assert issue.params == {"size": DEFAULT_MAX_BYTES + 1, "limit": DEFAULT_MAX_BYTES}


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_bad_size_limit_in_the_environment_is_an_input_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MAX_BYTES_ENV, value)
    with pytest.raises(InputError) as info:
        load_declaration(MINIMAL)
    (issue,) = info.value.issues
    assert issue.key == "hostile.bad_max_bytes"
    assert value in render(issue, "en") and MAX_BYTES_ENV in render(issue, "ja")


def test_size_limit_from_the_environment_and_the_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    size = MINIMAL.stat().st_size
    monkeypatch.setenv(MAX_BYTES_ENV, str(size))
    load_declaration(MINIMAL)
    monkeypatch.setenv(MAX_BYTES_ENV, str(size - 1))
    with pytest.raises(InputError):
        load_declaration(MINIMAL)
    load_declaration(MINIMAL, max_bytes=size)  # an explicit limit wins over the environment


# --- through the CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_by_the_cli_in_both_languages(
    case: Case, cli_runs: dict[tuple[str, str], Run], catalog_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    issue = next(i for i in _load(case, catalog_dirs) if i.key == case.key)
    for lang in ("ja", "en"):
        run = cli_runs[(case.file, lang)]
        output = run.stdout + run.stderr
        assert run.returncode == 2, (lang, output[-2000:])
        assert "Traceback" not in output
        assert "internal error" not in output and "内部エラー" not in output
        head = render(issue, lang).splitlines()[0]  # type: ignore[arg-type]
        assert head in run.stderr, (lang, head, run.stderr[-2000:])
        for secret in case.absent:
            assert secret not in output
        assert run.seconds < 60, run.seconds
        # The whole CLI (Python, pydantic, durable-rules, the catalogue) peaks near 100 MB; a bomb that
        # got through would need gigabytes. (0 when /proc is not there to tell.)
        assert run.max_rss_mb < 400, run.max_rss_mb


def test_messages_differ_between_languages(cli_runs: dict[tuple[str, str], Run]) -> None:
    for case in CASES:
        assert cli_runs[(case.file, "ja")].stderr != cli_runs[(case.file, "en")].stderr, case.file


# --- an interpreter without durable-rules ----------------------------------------------------------


def test_missing_durable_rules_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on CPython 3.13 without the build flag, when durable-rules is asked for by name: exit 2, the reason,
    and the way out (--engine reference). The default ``--engine auto`` falls back instead
    (tests/engine/test_fallback.py)."""
    import builtins

    from typer.testing import CliRunner

    from safeguard_check.cli import app
    from safeguard_check.engine import durable

    real_import = builtins.__import__

    def no_durable(name: str, *args: object, **kwargs: object) -> object:
        if name == "durable" or name.startswith("durable."):
            raise ImportError("undefined symbol: PyEval_CallObject (simulated)")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_durable)
    monkeypatch.setattr(durable.CompiledRuleset, "_cache", {})
    monkeypatch.setattr(durable.CompiledRuleset, "_by_identity", {})
    runner = CliRunner()
    for lang in ("ja", "en"):
        result = runner.invoke(app, ["check", str(MINIMAL), "--engine", "durable", "--lang", lang])
        assert result.exit_code == 2, result.output
        assert "--engine reference" in result.stderr
        assert "PyEval_CallObject" in result.stderr
        assert "Traceback" not in result.output
    fallback = runner.invoke(app, ["check", str(MINIMAL), "--engine", "reference"])
    assert fallback.exit_code == 1, fallback.output  # the minimal plan has findings at or above high
