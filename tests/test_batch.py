"""Checking many plans at once: discovery, parallel workers, fixed output order, one bad file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from safeguard_check.batch import discover

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "cases" / "shinjuku-2020-mynumber-card"


def sgc(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / "2020" / "a").mkdir(parents=True)
    (root / "2021").mkdir()
    (root / ".git").mkdir()
    tree = yaml.safe_load((CASE / "declaration.yaml").read_text(encoding="utf-8"))
    shutil.copy(CASE / "declaration.yaml", root / "2020" / "a" / "shinjuku.yaml")
    # A second municipality with one more gap, so "worst first" has something to order.
    tree["plan"]["municipality"] = "○○区"
    tree["terminals"][1]["auth_factors"] = ["user_id", "password"]
    (root / "2021" / "other.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    (root / "2021" / "other.json").write_text(json.dumps(tree, ensure_ascii=False, default=str), encoding="utf-8")
    shutil.copy(CASE / "waivers.example.yaml", root / "waivers.yaml")  # not a plan: skipped
    (root / ".git" / "config.yaml").write_text("plan: x\n", encoding="utf-8")  # hidden: ignored
    (root / "notes.md").write_text("# notes\n", encoding="utf-8")
    return root


def test_discover_walks_directories_and_skips_what_is_not_a_plan(tmp_path: Path) -> None:
    root = _archive(tmp_path)
    found, skipped = discover([root])
    assert [p.relative_to(root).as_posix() for p in found] == [
        "2020/a/shinjuku.yaml",
        "2021/other.json",
        "2021/other.yaml",
    ]
    assert [p.name for p in skipped] == ["waivers.yaml"]


def test_same_findings_with_one_and_two_jobs(tmp_path: Path) -> None:
    root = _archive(tmp_path)
    one = sgc("check", str(root), "--jobs", "1", "--format", "json", "--fail-on", "medium", cwd=tmp_path)
    two = sgc("check", str(root), "--jobs", "2", "--format", "json", "--fail-on", "medium", cwd=tmp_path)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stdout == two.stdout  # byte-identical, in input order
    data = json.loads(one.stdout)
    assert [r["file"] for r in data["results"]] == sorted(r["file"] for r in data["results"])
    assert len(data["results"]) == 3


def test_unreadable_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    root = _archive(tmp_path)
    (root / "2021" / "broken.yaml").write_text("plan: [\n", encoding="utf-8")
    result = sgc("check", str(root), "--jobs", "2", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert "broken.yaml:2" in result.stderr and "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)["results"]) == 3


def test_summary_table_lists_plans_worst_first(tmp_path: Path) -> None:
    root = _archive(tmp_path)
    result = sgc("check", str(root), "--jobs", "2", "--lang", "en", cwd=tmp_path)
    rows = [line for line in result.stdout.splitlines() if "○○区" in line or "新宿区" in line]
    assert rows and "○○区" in rows[0]  # one more high finding: listed first
    assert "Findings per plan" in result.stdout
    assert "SGC-TERMINAL-JUKINET-VEIN" not in result.stdout  # no per-plan details by default for a batch
    detailed = sgc("check", str(root), "--details", "--jobs", "2", "--lang", "en", cwd=tmp_path)
    assert "SGC-TERMINAL-JUKINET-VEIN" in detailed.stdout


def test_no_progress_bar_when_piped(tmp_path: Path) -> None:
    root = _archive(tmp_path)
    result = sgc("check", str(root), "--jobs", "2", cwd=tmp_path)
    assert "━" not in result.stderr and "%" not in result.stderr


def _generated_corpus(directory: Path, n: int) -> list[Path]:
    # The benchmark's corpus generator (benchmarks/corpus.py): the archive the speed figures are about.
    import importlib.util

    spec = importlib.util.spec_from_file_location("sgc_bench_corpus", REPO / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths: list[Path] = module.corpus(directory, n)
    return paths


def test_generated_corpus_gives_the_same_findings_with_one_and_two_jobs(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    paths = _generated_corpus(root, 40)
    one = sgc("check", str(root), "--jobs", "1", "--format", "sarif", "--fail-on", "never", cwd=tmp_path)
    two = sgc("check", str(root), "--jobs", "2", "--format", "sarif", "--fail-on", "never", cwd=tmp_path)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    results = json.loads(one.stdout)["runs"][0]["results"]
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1] for r in results}
    assert files == {p.name for p in paths}  # every generated plan has gaps, and each one was checked


def test_findings_do_not_depend_on_detail_or_on_what_was_evaluated_before(tmp_path: Path) -> None:
    # detail=False (no coverage, no examined pairs) must give the very same findings; and evaluating
    # the corpus in another order (other facts remembered first) must not change any plan's findings.
    from safeguard_check.batch import run
    from safeguard_check.load.catalog import load_catalog

    root = tmp_path / "corpus"
    root.mkdir()
    paths = _generated_corpus(root, 30)
    catalog = load_catalog()
    options: dict[str, object] = {"catalog": catalog, "baselines": None, "rules": None, "as_of": None, "jobs": 1}
    detailed = [o.result for o in run(paths, engine="durable", detail=True, **options)]  # type: ignore[arg-type]
    lean = [o.result for o in run(list(reversed(paths)), engine="durable", detail=False, **options)]  # type: ignore[arg-type]
    reference = [o.result for o in run(paths, engine="reference", detail=False, **options)]  # type: ignore[arg-type]
    lean.reverse()
    for full, small, ref in zip(detailed, lean, reference, strict=True):
        assert full is not None and small is not None and ref is not None
        assert full.findings == small.findings
        assert [f.model_dump() for f in full.findings] == [f.model_dump() for f in ref.findings]
        assert full.coverage and full.applied
        assert small.coverage == () and small.applied == ()


def test_coverage_is_computed_when_an_output_file_needs_it(tmp_path: Path) -> None:
    # stdout gets SARIF (no coverage), but the JSON file asked for with -o must carry the matrix.
    root = _archive(tmp_path)
    out = tmp_path / "report.json"
    result = sgc(
        "check", str(root), "--jobs", "2", "--format", "sarif", "-o", str(out), "--fail-on", "medium", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["results"] and all(r["coverage"] and r["applied"] for r in data["results"])


def test_settled_passes_outcomes_through_and_freezes_periodically(monkeypatch: object) -> None:
    import gc

    from safeguard_check import batch

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))  # type: ignore[attr-defined]
    outcomes = [batch.Outcome(f"p{i}", None) for i in range(10)]
    assert list(batch.settled(iter(outcomes), every=4)) == outcomes
    assert len(frozen) == 2  # after the 4th and the 8th


def test_format_names_match_the_formatters() -> None:
    # The CLI reads format_names.py without importing the formatters; the two lists must agree.
    from safeguard_check.report.format_names import DETAILED, DIRECTORIES, SUFFIXES
    from safeguard_check.report.formats import FORMATS

    # Directory outputs (sarif-dir) are written by report/sarif_dir.py, not by a formatter.
    assert [name for name in SUFFIXES if name not in DIRECTORIES] == list(FORMATS)
    assert set(DETAILED) < set(FORMATS) and "sarif" not in DETAILED


def test_default_jobs_uses_workers_only_when_they_pay_off() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from safeguard_check.batch import default_jobs, workers_pay_off

    # A handful of plans (a CI job validating one submission) runs in the checking process: starting
    # workers took longer than the whole check (5 plans: 0.5 s in-process, 1.1 s with 2 workers).
    assert not workers_pay_off(5, 2)
    assert not workers_pay_off(64, 2)
    assert workers_pay_off(1000, 2)
    assert not workers_pay_off(10**6, 1)
    # More CPUs save more, so they pay off from fewer plans.
    assert workers_pay_off(80, 8) and not workers_pay_off(80, 2)
    assert default_jobs(None) >= 1
    assert default_jobs(1) == 1

    @given(st.integers(0, 10**5), st.integers(0, 10**5), st.integers(1, 64))
    def monotonic(a: int, b: int, cpus: int) -> None:
        low, high = sorted((a, b))
        assert not (workers_pay_off(low, cpus) and not workers_pay_off(high, cpus))

    monotonic()


def test_the_default_number_of_workers_follows_the_batch_size(tmp_path: Path, monkeypatch: object) -> None:
    # The CLI asks default_jobs with the number of plans found; an explicit --jobs is used as given.
    from typer.testing import CliRunner

    from safeguard_check import batch
    from safeguard_check.cli import app

    asked: list[int | None] = []
    used: list[int] = []
    real_run, real_default = batch.run, batch.default_jobs

    def run(*args: object, **kwargs: object) -> object:
        used.append(kwargs["jobs"])  # type: ignore[arg-type]
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    def default(plans: int | None = None) -> int:
        asked.append(plans)
        return real_default(plans)

    monkeypatch.setattr(batch, "run", run)  # type: ignore[attr-defined]
    monkeypatch.setattr(batch, "default_jobs", default)  # type: ignore[attr-defined]
    root = _archive(tmp_path)
    plans = len(batch.discover([root])[0])
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(root), "--format", "json"]).exit_code in (0, 1)
    assert asked == [plans] and used == [1]  # a few plans: checked in this process
    assert runner.invoke(app, ["check", str(root), "--jobs", "2", "--format", "json"]).exit_code in (0, 1)
    assert asked == [plans] and used == [1, 2]


def _failing_on(name: str, error: Exception, monkeypatch: object) -> None:
    """Make checking the plan file called ``name`` raise ``error`` (a bug met on that plan only)."""
    import safeguard_check.check as check_module

    real = check_module.check_plan

    def check_plan(plan: object, *args: object, **kwargs: object) -> object:
        if Path(plan.path).name == name:  # type: ignore[attr-defined]
            raise error
        return real(plan, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(check_module, "check_plan", check_plan)  # type: ignore[attr-defined]


def test_a_bug_met_on_one_plan_is_reported_and_the_others_are_checked(tmp_path: Path, monkeypatch: object) -> None:
    from typer.testing import CliRunner

    from safeguard_check import batch
    from safeguard_check.cli import app

    root = _archive(tmp_path)
    files = batch.discover([root])[0]
    broken = files[0].name
    _failing_on(broken, RuntimeError("boom near 1234 5678 9018"), monkeypatch)
    result = CliRunner().invoke(app, ["check", str(root), "--jobs", "1", "--format", "json", "--lang", "en"])
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = json.loads(result.stdout)
    assert sorted(Path(r["file"]).name for r in report["results"]) == sorted(f.name for f in files[1:])
    assert f"{broken}: error: internal error while checking this plan" in result.stderr
    assert "RuntimeError: boom near" in result.stderr
    assert "1234 5678 9018" not in result.stderr  # the leak guard masks what a message quotes
    assert "--debug" in result.stderr


def test_with_debug_the_bug_propagates_and_an_unavailable_engine_stays_a_usage_error(
    tmp_path: Path, monkeypatch: object
) -> None:
    from typer.testing import CliRunner

    from safeguard_check import batch
    from safeguard_check.cli import app
    from safeguard_check.engine.durable import EngineUnavailable

    root = _archive(tmp_path)
    name = batch.discover([root])[0][0].name
    _failing_on(name, RuntimeError("boom"), monkeypatch)
    result = CliRunner().invoke(app, ["check", str(root), "--jobs", "1", "--debug"])
    assert isinstance(result.exception, RuntimeError)
    _failing_on(name, EngineUnavailable("no durable"), monkeypatch)
    result = CliRunner().invoke(app, ["check", str(root), "--jobs", "1"])
    assert result.exit_code == 2
    assert "no durable" in result.stderr


_DIE_HOOK = """
import multiprocessing, os, sys

_target = os.environ.get("SGC_TEST_DIE_ON", "")


_at_start = os.environ.get("SGC_TEST_DIE_AT_START")


def _die_when_a_worker_opens_the_target(event, args):
    # A worker process (never the CLI's own) dies like a native crash when it opens the target plan,
    # or, with SGC_TEST_DIE_AT_START, when it loads the catalogue in its start-up.
    if event == "open" and args and multiprocessing.parent_process() is not None:
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            name = os.fsdecode(path)
            if (_target and name.endswith(_target)) or (
                _at_start and ("catalog-" in name or os.sep + "baselines" + os.sep in name)
            ):
                os._exit(70)


if _target or _at_start:
    sys.addaudithook(_die_when_a_worker_opens_the_target)
"""


def _check_with_dying_workers(tmp_path: Path, root: Path, **hook_env: str) -> subprocess.CompletedProcess[str]:
    """``check ROOT --jobs 2 --format json`` with the dying-worker hook (``_DIE_HOOK``) on PYTHONPATH."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(_DIE_HOOK, encoding="utf-8")
    path = os.pathsep.join([str(hooks), *filter(None, [os.environ.get("PYTHONPATH")])])
    return sgc(
        "check",
        str(root),
        "--jobs",
        "2",
        "--format",
        "json",
        "--lang",
        "en",
        cwd=tmp_path,
        env={**hook_env, "PYTHONPATH": path},
    )


def test_a_worker_that_dies_on_one_plan_does_not_sink_the_batch(tmp_path: Path) -> None:
    # No hook in the package: a sitecustomize on PYTHONPATH makes worker processes die (os._exit)
    # when they open one plan, as a crash inside durable-rules' C code or an OOM kill would.
    from safeguard_check.batch import discover

    root = _archive(tmp_path)
    files = discover([root])[0]
    victim = files[1].name
    done = _check_with_dying_workers(tmp_path, root, SGC_TEST_DIE_ON=victim)
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert sorted(Path(r["file"]).name for r in report["results"]) == sorted(f.name for f in files if f.name != victim)
    assert f"{victim}: error: the process checking this plan ended abnormally" in done.stderr
    assert "Traceback" not in done.stderr


def test_workers_that_cannot_start_stop_the_run_instead_of_blaming_plans(tmp_path: Path) -> None:
    done = _check_with_dying_workers(tmp_path, _archive(tmp_path), SGC_TEST_DIE_AT_START="1")
    assert done.returncode == 3
    assert "internal error" in done.stderr and "BrokenProcessPool" in done.stderr
    assert "ended abnormally" not in done.stderr  # no plan is blamed for it
