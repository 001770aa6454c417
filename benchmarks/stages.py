"""Where one plan's time goes on the batch path, stage by stage (issue #6's profile).

The stages are the real functions that ``check DIR --format sarif`` runs for each file, timed by
wrapping them in place (nothing of the pipeline is re-implemented here, so the figures cannot drift
from what the CLI does): a worker's load, validation, evaluation and packing
(``batch._check_one``), the trip of the result to the parent (pickle), and the parent's unpacking
and SARIF serialisation. "other" is the part of a worker's plan not inside any wrapped stage.

The budget lines put the sum beside the targets of issue #6: 1,000 plans/s end to end with two jobs
on this 2-core machine leaves ≈ 2,000 µs of CPU per plan for everything (both workers and the parent
share the two cores), and 5,000 plans/s of evaluation leaves 200 µs for facts + engine + findings.

Usage:  python benchmarks/stages.py [--plans 300] [--rounds 3]
Prints the median over rounds of the per-plan mean of each stage (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus

STAGES: list[tuple[str, str]] = [
    ("read", "read + decode the file"),
    ("guard_text", "leak guard over the text"),
    ("compose", "YAML composer (PyYAML, libyaml C)"),
    ("build", "values + positions from the nodes"),
    ("guard_tree", "leak guard over values (prefilter + guard)"),
    ("validate", "pydantic validation of the declaration"),
    ("references", "cross-references"),
    ("facts", "facts"),
    ("engine", "engine (durable-rules, memo)"),
    ("findings", "findings"),
    ("law", "law in force on the plan's date"),
    ("summary", "plan summary + applied instruments"),
    ("result", "result model (pydantic)"),
    ("pack", "pack the result for the parent"),
    ("other", "other (worker, outside the stages above)"),
    ("pickle", "pickle + unpickle (worker → parent)"),
    ("unpack", "parent: unpack"),
    ("sarif", "parent: SARIF serialisation"),
]
EVALUATION = ("facts", "engine", "findings")


class Clock:
    """Per-stage accumulated seconds; wraps callables so that each call adds its wall time."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, stage: str, fn: Callable[..., Any], *, consume: bool = False) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            value = fn(*args, **kwargs)
            if consume:  # a generator's work happens while it is consumed
                value = iter(list(value))
            self.spent[stage] += time.perf_counter() - start
            return value

        return timed


def instrument(clock: Clock) -> None:
    """Wrap the pipeline's stages where the modules that call them look them up."""
    import yaml

    from safeguard_check import batch, check
    from safeguard_check.engine import durable
    from safeguard_check.load import declaration, tree

    declaration.read_text = clock.wrap("read", declaration.read_text)
    declaration.guard_text = clock.wrap("guard_text", declaration.guard_text)
    yaml.compose_all = clock.wrap("compose", yaml.compose_all, consume=True)
    tree._build = clock.wrap("build", tree._build)
    declaration._may_hold_number = clock.wrap("guard_tree", declaration._may_hold_number)
    declaration.guard_tree = clock.wrap("guard_tree", declaration.guard_tree)

    class _Validating:
        # parse_declaration reads Declaration.model_validate; the model class itself is left alone.
        model_validate = staticmethod(clock.wrap("validate", declaration.Declaration.model_validate))

    declaration.Declaration = _Validating  # type: ignore[assignment,misc]
    declaration.check_references = clock.wrap("references", declaration.check_references)
    check.build_facts = clock.wrap("facts", check.build_facts)
    durable.evaluate = clock.wrap("engine", durable.evaluate)
    check.build_findings = clock.wrap("findings", check.build_findings)
    check.law_in_force = clock.wrap("law", check.law_in_force)
    check.CheckResult = clock.wrap("result", check.CheckResult)
    check.plan_summary = clock.wrap("summary", check.plan_summary)
    check.applied_instruments = clock.wrap("summary", check.applied_instruments)
    batch.pack = clock.wrap("pack", batch.pack)


def one_round(paths: list[Path], catalog: Any) -> dict[str, float]:
    """Per-plan mean seconds of each stage over ``paths``, as a worker and the parent spend them."""
    from safeguard_check import __version__, batch
    from safeguard_check.findings.model import Report
    from safeguard_check.report.formats import stream_sarif

    clock = Clock()
    saved = _module_dicts()
    worker = dict(vars(batch._Worker))
    try:
        instrument(clock)
        batch._Worker.catalog = catalog
        batch._Worker.detail = False  # SARIF needs neither coverage nor examined pairs
        batch._Worker.pack = True
        worker_total, received = _through_workers(paths, catalog, clock)
        report = Report(tool_version=__version__, fail_on="never", results=tuple(received))
        start = time.perf_counter()
        written = sum(len(piece) for piece in stream_sarif(report, "ja"))
        clock.spent["sarif"] += time.perf_counter() - start
        assert written > 0
    finally:
        for name, values in saved.items():
            vars(sys.modules[name]).update(values)
        for key, value in worker.items():
            if not key.startswith("__"):
                setattr(batch._Worker, key, value)
    inside = sum(v for k, v in clock.spent.items() if k not in ("pickle", "unpack", "sarif"))
    clock.spent["other"] = worker_total - inside
    return {stage: clock.spent[stage] / len(paths) for stage, _ in STAGES}


def _through_workers(paths: list[Path], catalog: Any, clock: Clock) -> tuple[float, list[Any]]:
    # Each plan as a worker checks it and the parent receives it; returns the worker's seconds.
    from safeguard_check import batch

    worker_total = 0.0
    received = []
    for path in paths:
        start = time.perf_counter()
        outcome = batch._check_one(path)
        worker_total += time.perf_counter() - start
        assert outcome.packed is not None, outcome.issues
        start = time.perf_counter()
        outcome = pickle.loads(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
        clock.spent["pickle"] += time.perf_counter() - start
        start = time.perf_counter()
        received.append(batch._received(outcome, catalog, None).result)
        clock.spent["unpack"] += time.perf_counter() - start
    return worker_total, received


def _module_dicts() -> dict[str, dict[str, Any]]:
    # What instrument() replaces, to put back afterwards (the test runs a round inside pytest).
    import yaml

    from safeguard_check import batch, check
    from safeguard_check.engine import durable
    from safeguard_check.load import declaration, tree

    return {module.__name__: dict(vars(module)) for module in (yaml, batch, check, durable, declaration, tree)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from safeguard_check.batch import settle_heap
    from safeguard_check.load.catalog import load_catalog

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        paths = corpus(Path(tmp), args.plans)
        size = statistics.mean(p.stat().st_size for p in paths)
        one_round(paths[:20], catalog)  # warm: rules compiled, memo filled as in a running worker
        settle_heap()  # as a worker does after its start-up
        rounds = [one_round(paths, catalog) for _ in range(args.rounds)]
        gc.unfreeze()
    median = {stage: statistics.median(r[stage] for r in rounds) for stage, _ in STAGES}
    total = sum(median.values())
    print(f"one plan on the batch path ({args.plans} generated plans of {size / 1024:.0f} KB, median of {args.rounds})")
    for stage, label in STAGES:
        print(f"  {label:<46} {median[stage] * 1e6:>8,.0f} µs  {median[stage] / total:>5.1%}")
    print(f"  {'total':<46} {total * 1e6:>8,.0f} µs  → {1 / total:,.0f} plans/s per core")
    evaluation = sum(median[s] for s in EVALUATION)
    parsing = median["compose"]
    print(
        f"target 3 (1,000 plans/s, two jobs on 2 cores) leaves ≈ 2,000 µs per plan: "
        f"total is {total * 1e6 / 2000:.1f}×; without the YAML composer {(total - parsing) * 1e6 / 2000:.1f}×"
    )
    print(
        f"target 2 (5,000 plans/s of evaluation) leaves 200 µs for facts + engine + findings: "
        f"they take {evaluation * 1e6:,.0f} µs ({evaluation * 1e6 / 200:.1f}×); the engine alone "
        f"{median['engine'] * 1e6:,.0f} µs"
    )


if __name__ == "__main__":
    main()
