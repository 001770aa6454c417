"""Checking many plans: finding them, evaluating them in parallel, keeping the output order fixed.

Workers are separate processes (durable-rules holds process-global state and a host thread, and
evaluation is CPU-bound, so threads would not help). Each worker loads the catalogue once and
compiles its rulesets on first use.
Outcomes come back in input order whatever the number of jobs, and one unreadable file becomes an
outcome with issues instead of stopping the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.findings.compact import PackedResult, pack, unpack
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import DEFAULT_MAX_BYTES, EXTENSIONS, LoadedPlan, load_declaration
from safeguard_check.model.profile import Profile

EngineName = Literal["durable", "reference"]
# A top-level `plan:` / `計画:` key (YAML) or a "plan" member (JSON); waivers also say `plan:`, but indented.
_PLAN_KEY = re.compile(r'^(?:plan|計画)\s*:|"(?:plan|計画)"\s*:', re.MULTILINE)
DOCUMENT_SUFFIXES = (".txt", ".pdf")
"""Council documents (read through ``ingest``) are checked too when ingest is available."""


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a result, or the issues that stopped it.

    From a worker process the result travels packed (``findings/compact.py``) and ``run`` unpacks it.
    """

    path: str
    result: CheckResult | None
    issues: tuple[InputIssue, ...] = ()
    packed: PackedResult | None = None
    internal: bool = False
    """The plan met a bug (``issues`` says which): the batch goes on, the run ends with exit code 3."""


def _looks_like_declaration(path: Path) -> bool:
    # A plans directory also holds waivers, baselines and notes; only files that declare a `plan`
    # are plans. A regex over the bytes costs far less than a parse (keys may be sorted, so the
    # `plan` key can stand anywhere in the file).
    try:
        with path.open("rb") as handle:
            head = handle.read(DEFAULT_MAX_BYTES)
    except OSError:
        return True  # let the loader report the problem with its proper message
    for encoding in ("utf-8", "cp932", "utf-16"):
        text = head.decode(encoding, errors="ignore")
        if _PLAN_KEY.search(text):
            return True
    return False


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to check (named files always; plans found under directories) and files skipped."""
    found: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            suffix = child.suffix.lower()
            if suffix in EXTENSIONS:
                (found if _looks_like_declaration(child) else skipped).append(child)
            elif suffix in DOCUMENT_SUFFIXES and _ingest_available():
                found.append(child)
    return found, skipped


def _ingest_available() -> bool:
    try:
        import safeguard_check.ingest.api  # noqa: F401
    except ImportError:
        return False
    return True


def load_plan(path: Path) -> LoadedPlan:
    """A declaration file, or a council document read through ingest (``.txt`` / ``.pdf``); ``-`` is
    a declaration read from standard input."""
    if str(path) == "-":
        from safeguard_check.load.stdin import load_stdin

        return load_stdin()
    if not path.exists():  # said before the extension is looked at: "not found", not "unsupported"
        raise InputError([InputIssue(str(path), None, None, "io.not_found", {"path": str(path)})])
    if path.suffix.lower() in DOCUMENT_SUFFIXES and _ingest_available():
        from safeguard_check.ingest.api import load_document

        return load_document(path)
    return load_declaration(path)


class _Worker:
    catalog: Catalog | None = None
    as_of: dt.date | None = None
    engine: EngineName = "durable"
    detail: bool = True
    pack: bool = False  # in a worker process whose catalogue is the parent's: send results packed
    debug: bool = False  # let a bug met on a plan propagate (with its traceback) instead of reporting it
    profile: Profile | None = None


def _init_worker(
    baselines: Path | None,
    rules: Path | None,
    as_of: dt.date | None,
    engine: EngineName,
    detail: bool,
    parent_digest: str,
    debug: bool = False,
    profile: Profile | None = None,
) -> None:
    _Worker.catalog = load_catalog(baselines, rules)
    # The parent loaded and checked the profile against the same catalogue; it travels as data.
    _Worker.profile = profile
    _Worker.as_of = as_of
    _Worker.engine = engine
    _Worker.detail = detail
    _Worker.debug = debug
    # The parent rebuilds packed results from its own catalogue: only when both read the same files.
    _Worker.pack = _Worker.catalog.digest == parent_digest
    settle_heap()


def settle_heap() -> None:
    """Exempt what is alive now (modules, catalogue, compiled rules) from the cyclic collector.

    Loading a plan allocates tens of thousands of objects, and every collection of the oldest
    generation walked the long-lived ones again; freezing them saved ~8 % of the time per plan
    (measured in benchmarks). Garbage is collected first so nothing unreachable is frozen forever.
    For a process that checks plans and exits (the CLI, a worker), not for library callers.
    """
    gc.collect()
    gc.freeze()
    # Fewer young collections: a plan's parse tree is alive for most of its loading, so each young
    # collection promoted much of it, feeding full collections (1,500 plans: 17.7 s instead of 27 s).
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 20_000), max(gen1, 20), max(gen2, 20))


def settled(outcomes: Iterable[Outcome], every: int = 128) -> Iterator[Outcome]:
    """``outcomes``, freezing the heap every ``every`` of them, for a process that keeps them all.

    The results a batch accumulates are long-lived, and each plan's loading promotes enough objects
    to trigger a full collection every few dozen plans; every full collection walked all results
    kept so far, so a run grew quadratic (3,000 plans: 98 s; 58 s with this alone). Frozen objects are
    skipped by the collector. No collection runs first here (that would be the cost avoided), so the
    rare cyclic garbage alive at that moment stays (measured: under one object per plan). For a
    process that checks plans and exits, like :func:`settle_heap`.
    """
    for count, outcome in enumerate(outcomes, 1):
        if count % every == 0:
            gc.freeze()
        yield outcome


def _check_one(path: Path) -> Outcome:
    from safeguard_check.engine.durable import EngineUnavailable

    try:
        return _checked(path)
    except InputError as exc:
        return Outcome(str(path), None, tuple(exc.issues))
    except EngineUnavailable:
        raise  # not about this plan: the CLI reports it once, as a usage error
    except Exception as exc:
        # A bug met on one plan must not throw away the other plans of an archive (nor, from a
        # worker, break the whole pool): it is reported for this file and the run ends with exit 3.
        if _Worker.debug:
            raise
        from safeguard_check.leakguard import redact_issue

        detail = f"{type(exc).__name__}: {exc}"
        # The message may quote the plan: masked like every other message about it.
        issue = redact_issue(InputIssue(str(path), None, None, "batch.internal_error", {"detail": detail}))
        return Outcome(str(path), None, (issue,), internal=True)


def _checked(path: Path) -> Outcome:
    from safeguard_check.check import check_plan

    assert _Worker.catalog is not None
    plan = load_plan(path)
    result = check_plan(
        plan,
        _Worker.catalog,
        as_of=_Worker.as_of,
        engine=_Worker.engine,
        detail=_Worker.detail,
        profile=_Worker.profile,
    )
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        # The report must say the plan is a draft read from a document, not a reviewed declaration.
        result = result.model_copy(update={"source_kind": "document"})
    if _Worker.pack:
        packed = pack(result, _Worker.catalog, _Worker.profile)
        if packed is not None:
            return Outcome(str(path), None, packed=packed)
    return Outcome(str(path), result)


def run(
    paths: list[Path],
    *,
    catalog: Catalog,
    baselines: Path | None,
    rules: Path | None,
    as_of: dt.date | None,
    engine: EngineName,
    jobs: int,
    progress: Callable[[int], None] | None = None,
    detail: bool = True,
    debug: bool = False,
    profile: Profile | None = None,
) -> Iterator[Outcome]:
    """Check ``paths``, yielding outcomes in input order; ``progress(n)`` after each one.

    ``detail``: see :func:`safeguard_check.check.check_plan` (False when no output reads coverage).
    ``debug``: a bug met on a plan propagates instead of becoming that plan's ``internal`` outcome.
    ``profile``: which legal bases count (``None``: all, the ``standard`` profile), in every worker.
    """
    if jobs <= 1 or len(paths) <= 1:
        _Worker.catalog, _Worker.as_of, _Worker.engine, _Worker.detail = catalog, as_of, engine, detail
        _Worker.pack, _Worker.debug, _Worker.profile = False, debug, profile
        for path in paths:
            yield _check_one(path)
            if progress:
                progress(1)
        return
    # Big chunks keep inter-process traffic low; small enough that the progress bar moves.
    chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
    # forkserver, not fork: a parent that already ran durable-rules (tests, library use) has its host
    # thread and locks, which a forked child would inherit half-held.
    # Imported here: a single-plan run (the usual cold start) never needs them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver")
    initargs = (baselines, rules, as_of, engine, detail, catalog.digest, debug, profile)

    def pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=initargs)

    def isolated(window: list[Path]) -> Iterator[Outcome]:
        # One worker, one plan at a time: the plan whose check kills the worker is the one submitted.
        with pool(1) as single:
            # A worker that dies before checking anything (in its start-up) is no plan's fault: the
            # BrokenProcessPool of this first, empty task stops the run, as it did before.
            single.submit(_started).result()
            for path in window:
                try:
                    yield single.submit(_check_one, path).result()
                except BrokenProcessPool:
                    issue = InputIssue(str(path), None, None, "batch.worker_died", {})
                    yield Outcome(str(path), None, (issue,), internal=True)
                    return

    done = 0
    while done < len(paths):
        try:
            with pool(jobs) as executor:
                for outcome in executor.map(_check_one, paths[done:], chunksize=chunk):
                    done += 1
                    yield _received(outcome, catalog, progress, profile)
        except BrokenProcessPool:
            # A worker process died (a crash inside a native library, or killed for memory). The plan
            # that killed it is among those being checked or queued then (a chunk per worker and one
            # more): they are checked again one at a time until it is found and reported as an
            # internal error, and the rest goes on in parallel. If it was not among them after all,
            # the next break starts the search again from there.
            if debug:
                raise
            for outcome in isolated(paths[done : done + (jobs + 1) * chunk]):
                done += 1
                yield _received(outcome, catalog, progress, profile)


def _started() -> bool:
    """An empty task: its result says a worker process got through its start-up."""
    return True


def _received(
    outcome: Outcome, catalog: Catalog, progress: Callable[[int], None] | None, profile: Profile | None = None
) -> Outcome:
    # A worker's packed result rebuilt with the parent's catalogue; the progress bar moves once per plan.
    if outcome.packed is not None:
        outcome = Outcome(outcome.path, unpack(outcome.packed, catalog, profile))
    if progress:
        progress(1)
    return outcome


WORKER_START_SECONDS = 0.8
"""What starting the worker processes adds to a batch: each imports the package, loads the catalogue
and compiles the rules (measured on 2 cores: 5 plans 0.5 s in one process, 1.1 s with two workers)."""
PLAN_SECONDS = 0.015
"""Loading and checking one typical plan (≈ 50 KB) on one core (docs/performance.md, figure 3)."""


def default_jobs(plans: int | None = None) -> int:
    """Workers for a batch of ``plans`` files: the CPUs available, or 1 when ``plans`` is too small for
    worker processes to pay for their start-up (about 100 plans on 2 cores; measured break-even
    between 64 and 128). ``plans=None``: the CPUs available."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    if plans is None:
        return cpus
    return cpus if workers_pay_off(plans, cpus) else 1


def workers_pay_off(plans: int, cpus: int) -> bool:
    """Whether ``cpus`` workers save more time on ``plans`` plans than starting them costs."""
    if cpus <= 1:
        return False
    saved = plans * PLAN_SECONDS * (1 - 1 / cpus)
    return saved > WORKER_START_SECONDS
