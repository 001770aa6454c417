"""The Python API: check plans as ``safeguard-check check`` does, without the command line.

    from safeguard_check.api import CheckOptions, check

    run = check(CheckOptions(paths=(Path("plans"),), fail_on="medium"))
    run.report          # findings per plan (safeguard_check.findings.model.Report)
    run.failures        # inputs that could not be checked, with their located issues
    run.exit_code       # 0, 1, 2 or 3, exactly as the command line would exit

The command line builds a :class:`CheckOptions` (from its arguments over the configuration file, see
:mod:`safeguard_check.config`), runs a :class:`Check` step by step so it can print each plan as it
comes, and renders; integrators call :func:`check`. Nothing here prints or exits. Errors in what was
given (a missing waivers file, an unknown rule in ``select``, a broken catalogue) raise
:class:`~safeguard_check.errors.InputError` with located issues; a plan that cannot be read is a
failure of the run, the others are still checked. See ``docs/api.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from safeguard_check.engine import EngineChoice, EngineName, resolve
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.model.rule import SEVERITIES, Severity

if TYPE_CHECKING:
    from safeguard_check.batch import Outcome
    from safeguard_check.findings.model import CheckResult, Report
    from safeguard_check.load.catalog import Catalog
    from safeguard_check.model.profile import Profile
    from safeguard_check.waivers.model import WaiverSet

FailOn = Literal["critical", "high", "medium", "low", "info", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("critical", "high", "medium", "low", "info", "never")
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
STDIN = Path("-")
"""A path of ``-`` reads one declaration from standard input (named ``<stdin>`` in findings)."""


@dataclass(frozen=True)
class CheckOptions:
    """Everything a check run depends on (the command line's options, the configuration's keys).

    ``paths``: declaration files (.yaml/.yml/.json), council documents (.txt/.pdf), directories
    (searched for plans; one holding none is an error) or ``-`` (standard input).
    ``select``/``ignore``/``severity``: rule ids or prefixes, narrowing ``profile`` (see
    :func:`safeguard_check.load.profile.tailor`). ``engine``: ``auto`` uses durable-rules when it is
    installed, else the reference evaluator (same findings). ``detail``: compute the coverage matrix
    and the examined pairs (the JSON, JUnit, Markdown and HTML reports show them; findings do not
    depend on it). ``sources`` names where each option came from (an option or a configuration
    file), for error messages.
    """

    paths: tuple[Path, ...]
    as_of: dt.date | None = None
    fail_on: FailOn = "high"
    engine: EngineChoice = "auto"
    profile: str = "standard"
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    baselines: Path | None = None
    rules: Path | None = None
    waivers: Path | None = None
    use_waivers: bool = True
    baseline: Path | None = None
    today: dt.date | None = None
    jobs: int | None = None
    detail: bool = True
    sources: Mapping[str, str] = field(default_factory=dict)

    def replace(self, **changes: object) -> CheckOptions:
        """A copy with ``changes``."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CheckRun:
    """The outcome of a run: the report, the inputs that failed, and the exit code it implies."""

    report: Report
    failures: tuple[Outcome, ...]
    """Inputs that could not be checked (``issues`` says why; ``internal``: a bug, exit 3)."""
    skipped: tuple[Path, ...] = ()
    """Files under the directories given that are not plans (no top-level ``plan:``)."""
    engine: EngineName = "durable"
    engine_fell_back: bool = False
    """``engine="auto"`` and durable-rules is not installed: the reference evaluator ran."""

    @property
    def exit_code(self) -> int:
        """0 nothing at or above ``fail_on``; 1 findings at or above it; 2 an input failed; 3 a bug."""
        if any(f.internal for f in self.failures):
            return EXIT_INTERNAL
        if self.failures:
            return EXIT_INPUT
        return EXIT_FINDINGS if fails(self.report.results, self.report.fail_on) else EXIT_OK


def fails(results: Sequence[CheckResult], fail_on: str) -> bool:
    """Whether an open finding of ``results`` is at or above ``fail_on`` (never for ``never``)."""
    if fail_on == "never":
        return False
    worst = min(
        (SEVERITIES.index(f.severity) for r in results for f in r.findings if f.status == "open"),
        default=len(SEVERITIES),
    )
    return worst <= SEVERITIES.index(fail_on)


class Check:
    """One run, step by step: :meth:`inputs` (nothing read yet), :meth:`load`, :meth:`outcomes`,
    :meth:`finish`. The command line uses the steps to refuse unsafe outputs before reading anything
    and to print plans as they are checked; :func:`check` chains them."""

    def __init__(self, options: CheckOptions) -> None:
        """Find the plans (directories are searched); :class:`InputError` when a directory given
        holds no plan, or ``-`` is given twice."""
        from safeguard_check import batch

        self.options = options
        files: list[Path] = []
        skipped: list[Path] = []
        issues: list[InputIssue] = []
        if sum(1 for p in options.paths if p == STDIN) > 1:
            issues.append(InputIssue("-", None, None, "input.stdin_twice", {}))
        for path in options.paths:
            if path == STDIN or not path.is_dir():
                files.append(path)
                continue
            found, passed = batch.discover([path])
            files.extend(found)
            skipped.extend(passed)
            if not found:  # a CI job pointed at the wrong folder must not pass
                issues.append(InputIssue(str(path), None, None, "input.no_plans", {"path": str(path)}))
        if not options.paths:
            issues.append(InputIssue("-", None, None, "cli.no_paths", {}))
        if issues:
            raise InputError(issues)
        self.files: tuple[Path, ...] = tuple(files)
        self.skipped: tuple[Path, ...] = tuple(skipped)
        choice = resolve(options.engine)
        self.engine: EngineName = choice.name
        self.engine_fell_back = choice.fell_back
        self.catalog: Catalog | None = None
        self.profile: Profile | None = None
        self.waivers: WaiverSet | None = None
        self.known: frozenset[str] | set[str] | None = None

    def inputs(self) -> list[Path]:
        """Every file the run reads (plans, waivers, baseline, catalogue files): outputs must not be one."""
        from safeguard_check.load.catalog import catalog_files

        opts = self.options
        return [
            *(f for f in self.files if f != STDIN),
            *([opts.waivers] if opts.waivers is not None else []),
            *([opts.baseline] if opts.baseline is not None else []),
            *catalog_files(opts.baselines, opts.rules),
        ]

    def load(self) -> None:
        """Read the catalogue, the profile narrowed by the selection, the waivers and the baseline."""
        from safeguard_check.baseline_file import read_baseline
        from safeguard_check.load.catalog import load_catalog
        from safeguard_check.load.declaration import max_bytes_limit
        from safeguard_check.load.profile import Selection, load_profile, tailor
        from safeguard_check.waivers import load_waivers

        opts = self.options
        self.catalog = load_catalog(opts.baselines, opts.rules)
        selection = Selection(opts.select, opts.ignore, opts.severity, opts.sources)
        try:
            self.profile = tailor(load_profile(opts.profile, self.catalog, opts.rules), self.catalog, selection)
        except InputError as exc:
            from safeguard_check.config import locate

            raise InputError([locate(issue) for issue in exc.issues]) from None
        if opts.waivers is not None and opts.use_waivers:
            self.waivers = load_waivers(opts.waivers, self.catalog, max_bytes=max_bytes_limit())
        self.known = read_baseline(opts.baseline) if opts.baseline is not None else None

    def outcomes(
        self,
        *,
        detail: bool | None = None,
        progress: Callable[[int], None] | None = None,
        settle: bool = False,
        debug: bool = False,
    ) -> Iterator[Outcome]:
        """Check the plans, yielding each outcome in input order, waivers and baseline applied.

        ``detail`` overrides the options' (the command line computes it from the outputs asked for);
        ``settle``: for a process that exits after the run (see :func:`safeguard_check.batch.settled`);
        ``debug``: a bug met on a plan propagates. Raises
        :class:`~safeguard_check.engine.durable.EngineUnavailable` when ``engine="durable"`` was asked
        for and durable-rules is not installed.
        """
        from safeguard_check import batch
        from safeguard_check.baseline_file import filter_new
        from safeguard_check.waivers import apply_waivers

        if self.catalog is None:
            self.load()
        assert self.catalog is not None
        opts = self.options
        files = list(self.files)
        # Standard input belongs to this process: a worker process could not read it.
        jobs = 1 if STDIN in files else opts.jobs or batch.default_jobs(len(files))
        if settle and len(files) > 1:
            batch.settle_heap()
        run = batch.run(
            files,
            catalog=self.catalog,
            baselines=opts.baselines,
            rules=opts.rules,
            as_of=opts.as_of,
            engine=self.engine,
            jobs=jobs,
            progress=progress,
            detail=opts.detail if detail is None else detail,
            debug=debug,
            profile=self.profile,
        )
        today = opts.today or dt.date.today()
        for outcome in batch.settled(run) if settle else run:
            if outcome.result is None:
                yield outcome
                continue
            result = outcome.result
            if self.waivers is not None:
                result = apply_waivers(result, self.waivers, today)
            if self.known is not None:
                result = filter_new(result, self.known)
            yield dataclasses.replace(outcome, result=result)

    def finish(self, outcomes: Sequence[Outcome]) -> CheckRun:
        """The report of ``outcomes`` (as :meth:`outcomes` yielded them) and the run's result."""
        from safeguard_check import __version__
        from safeguard_check.findings.model import Report
        from safeguard_check.report.failed import failed_inputs

        results = unmatched_across_plans([o.result for o in outcomes if o.result is not None])
        # Inputs that failed to load go into every report format, never silently left out (#16).
        failed = [e for o in outcomes if o.result is None for e in failed_inputs(o.path, o.issues, o.internal)]
        report = Report(
            tool_version=__version__,
            fail_on=self.options.fail_on,
            waivers_file=str(self.options.waivers) if self.options.waivers is not None else None,
            waivers_applied=self.waivers is not None,
            results=tuple(results),
            errors=tuple(failed),
        )
        return CheckRun(
            report=report,
            failures=tuple(o for o in outcomes if o.result is None),
            skipped=self.skipped,
            engine=self.engine,
            engine_fell_back=self.engine_fell_back,
        )


def unmatched_across_plans(results: list[CheckResult]) -> list[CheckResult]:
    """A waiver is unused only if it matched nothing in *any* plan of the run."""
    used = {f.waiver.id for r in results for f in r.findings if f.waiver is not None}
    return [
        r.model_copy(update={"waivers_unmatched": tuple(w for w in r.waivers_unmatched if w.id not in used)})
        if any(w.id in used for w in r.waivers_unmatched)
        else r
        for r in results
    ]


def check(options: CheckOptions) -> CheckRun:
    """Check the plans of ``options`` and return the report, the failed inputs and the exit code.

    :class:`~safeguard_check.errors.InputError` for a problem with the run itself (see :class:`Check`
    and :meth:`Check.load`); a plan that cannot be read is in :attr:`CheckRun.failures` instead.
    """
    run = Check(options)
    run.load()
    return run.finish(list(run.outcomes()))


def options_with_config(
    paths: Sequence[Path],
    given: Mapping[str, object],
    *,
    config_file: Path | None = None,
    use_config: bool = True,
) -> CheckOptions:
    """Options for ``paths``: the configuration file's settings (found upward from the plans, or
    ``config_file``), overridden key by key by ``given`` (what the command line was told; ``severity``
    entries are merged, the command line's winning per rule). Keys of ``given`` are
    :class:`CheckOptions` fields."""
    from safeguard_check.config import Config, config_for, read_config

    config: Config | None = None
    if config_file is not None:
        config = read_config(config_file)
        if config is None:  # a pyproject.toml without the table, named explicitly: say so
            raise InputError([InputIssue(str(config_file), None, None, "config.not_table", {})])
    elif use_config:
        config = config_for(paths)
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    if config is not None:
        v = config.values
        for key in ("select", "ignore", "severity", "fail_on", "profile"):
            if getattr(v, key) is not None:
                values[key] = getattr(v, key)
                sources[key] = str(config.path)
        for key in ("waivers", "baselines", "rules"):
            path = config.path_value(key)  # type: ignore[arg-type]
            if path is not None:
                values[key] = path
                sources[key] = str(config.path)
    for key, value in given.items():
        if key == "severity" and isinstance(value, Mapping) and isinstance(values.get("severity"), Mapping):
            values[key] = {**values["severity"], **value}  # type: ignore[dict-item]
        else:
            values[key] = value
        sources[key] = f"--{key.replace('_', '-')}"
    return CheckOptions(paths=tuple(paths), sources=sources, **values)  # type: ignore[arg-type]
