"""Speed and memory of safeguard-check, measured (never asserted in tests: machines are shared).

Prints five figures (issue #6), each with what it includes:
1. cold start: median wall time of `safeguard-check check` on the Shinjuku case vs. the median of
   importing the same runtime dependencies (the floor), and their ratio — with the catalogue cache
   warm (every run after the first) and disabled (the very first run on a machine);
2. evaluation only (plans already loaded), one core: findings only (what `check` computes when no
   output needs coverage), with coverage and examined pairs (JSON/JUnit/Markdown/HTML outputs), and
   the raw engine (every fact through durable-rules, nothing remembered);
3. end to end: `check DIR --format sarif` over N generated files with --jobs 1 and --jobs 2, plans/s,
   and whether the two outputs are byte-identical;
4. scaling: evaluation time for one plan with 10, 100, 1,000 parties;
5. peak RSS after 1,000 and after 100,000 evaluations in one fresh process (200 corpus plans in turn).

Usage:  python benchmarks/bench_check.py [--plans 10000] [--quick]
The corpus (benchmarks/corpus.py) is generated from the Shinjuku case into a temporary directory.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CASE, corpus

RUNTIME_IMPORTS = "import pydantic, durable.lang, rich, typer, yaml, charset_normalizer, orjson"
"""The floor of figure 1, as the issue words it: importing the runtime dependencies."""
RUNTIME_IMPORTS_AS_USED = RUNTIME_IMPORTS + "; import rich.console; from pydantic import BaseModel, TypeAdapter"
"""The same dependencies as `check` uses them: ``import pydantic`` alone defers nearly all of pydantic
(its ``__getattr__`` imports on first use), and ``import rich`` does not load the console."""


def median_wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of ``cmd`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaled_plan(parties: int) -> dict[str, Any]:
    base = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    template = next(p for p in base["parties"] if p["id"] == "npb")
    contractor_measures = [m for m in base["measures"] if "npb" in m["implemented_by"]]
    base["parties"] = [p for p in base["parties"] if p["role"] != "contractor"]
    base["transfers"] = [t for t in base["transfers"] if t["from"] == "shinjuku"]
    base["terminals"] = [t for t in base["terminals"] if t["owner"] in ("shinjuku", "jlis")]
    base["measures"] = [
        m for m in base["measures"] if m not in contractor_measures and "npb" not in m.get("covers", [])
    ]
    base["contracts"] = []
    ids = []
    for i in range(parties - 2):
        pid = f"c{i}"
        ids.append(pid)
        base["parties"].append({**template, "id": pid, "name": f"委託先{i}"})
        base["transfers"].append(
            {"id": f"t{i}", "from": "jlis", "to": pid, "method": "dedicated_line", "encrypted": True}
        )
        base["terminals"].append(
            {
                "id": f"k{i}",
                "owner": pid,
                "system": "card_production_terminal",
                "auth_factors": ["operator_card", "password"],
            }
        )
    for m in contractor_measures:
        base["measures"].append({**m, "implemented_by": ids, "covers": []})
    base["contracts"].append(
        {
            "id": "k",
            "client": "jlis",
            "contractors": ids,
            "clauses": [{"code": "contract.confidentiality", "text": "秘密保持"}],
        }
    )
    return base


def rate(plans: list[Any], check: Any, repeat: int = 1) -> float:
    """Plans per second of ``check`` over ``plans`` (after a warm-up pass over the first 50)."""
    for plan in plans[:50]:
        check(plan)
    start = time.perf_counter()
    for _ in range(repeat):
        for plan in plans:
            check(plan)
    return repeat * len(plans) / (time.perf_counter() - start)


def memory_child(directory: str, many: int) -> None:
    """Print peak RSS (MB) after 1,000 and after ``many`` evaluations of the plans in ``directory``."""
    from safeguard_check.check import check_plan
    from safeguard_check.load.catalog import load_catalog
    from safeguard_check.load.declaration import load_declaration

    catalog = load_catalog()
    plans = [load_declaration(p) for p in sorted(Path(directory).glob("*.yaml"))]
    peaks = []
    for count in range(many):
        check_plan(plans[count % len(plans)], catalog)
        if count + 1 in (1000, many):
            peaks.append(peak_rss_mb())
    print(*peaks)


def peak_rss_mb() -> float:
    """This process's peak resident set, MB (VmHWM: ru_maxrss is inherited from the parent on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--evaluations", type=int, default=100_000, help="for the memory figure (5)")
    parser.add_argument("--quick", action="store_true", help="500 plans, 10,000 evaluations: a smoke test")
    parser.add_argument("--memory-child", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.evaluations)
        return
    n = 500 if args.quick else args.plans
    runs = 3 if args.quick else 7

    from safeguard_check.check import check_plan
    from safeguard_check.engine import durable
    from safeguard_check.facts.build import build_facts
    from safeguard_check.load.catalog import load_catalog
    from safeguard_check.load.declaration import load_declaration, parse_declaration

    rows: list[tuple[str, str]] = []
    # 1. cold start
    command = [sys.executable, "-m", "safeguard_check", "check", str(CASE), "--no-summary"]
    # The first run fills the catalogue cache and writes our bytecode. PYTHONDONTWRITEBYTECODE (set on
    # some machines, this one included) would otherwise make every run recompile our ~150 modules,
    # which an installed wheel never does (pip compiles at install); the dependencies' bytecode in
    # site-packages is there either way, so the floor would not pay that cost.
    compile_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, capture_output=True, check=False, env=compile_env)
    cli = median_wall(command, runs)
    no_cache = median_wall(command, runs, env={**os.environ, "SAFEGUARD_CHECK_NO_CACHE": "1"})
    floor = median_wall([sys.executable, "-c", RUNTIME_IMPORTS], runs)
    floor_used = median_wall([sys.executable, "-c", RUNTIME_IMPORTS_AS_USED], runs)
    rows.append(
        (
            "1. cold start (check Shinjuku) / import floor",
            f"{cli * 1000:.0f} ms / {floor * 1000:.0f} ms = ratio {cli / floor:.2f} (target ≤ 1.3); "
            f"without the catalogue cache {no_cache * 1000:.0f} ms = {no_cache / floor:.2f}; "
            f"against the dependencies as used ({floor_used * 1000:.0f} ms) {cli / floor_used:.2f}",
        )
    )

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        paths = corpus(Path(tmp), n)
        # 2. evaluation only, one core
        plans = [load_declaration(p) for p in paths[: min(n, 2000)]]
        facts = [f for plan in plans for f in build_facts(plan.declaration, plan.leaks)]
        # The loaded corpus (GBs of objects) is not what a check allocates; keep the cyclic collector
        # from walking it during the timings, as a batch worker never holds it.
        gc.collect()
        gc.freeze()
        distinct = len({f.key for f in facts})
        findings_only = rate(plans, lambda p: check_plan(p, catalog, detail=False), repeat=3)
        detailed = rate(plans, lambda p: check_plan(p, catalog))
        original = durable.evaluate
        try:  # the raw engine: no fact content remembered, every fact asserted into durable-rules
            durable.evaluate = lambda f, r, memo=True: original(f, r, memo=False)  # type: ignore[assignment]
            raw = rate(plans[:500], lambda p: check_plan(p, catalog, detail=False))
        finally:
            durable.evaluate = original  # type: ignore[assignment]
        # Where a findings-only check spends its time, stage by stage (µs per plan).
        from safeguard_check.engine.selection import law_in_force
        from safeguard_check.findings.build import build_findings

        laws = [law_in_force(catalog, p.declaration.plan.effective_date) for p in plans]
        fact_lists = [build_facts(p.declaration, p.leaks) for p in plans]
        hit_sets = [durable.evaluate(f, law.rules) for f, law in zip(fact_lists, laws, strict=True)]

        def per_plan(step: Any) -> float:
            start = time.perf_counter()
            for i in range(len(plans)):
                step(i)
            return (time.perf_counter() - start) / len(plans) * 1e6

        stages = {
            "facts": per_plan(lambda i: build_facts(plans[i].declaration, plans[i].leaks)),
            "engine (memo)": per_plan(lambda i: durable.evaluate(fact_lists[i], laws[i].rules)),
            "findings": per_plan(lambda i: build_findings(hit_sets[i], fact_lists[i], laws[i], catalog, plans[i])),
        }
        rows.append(
            (
                f"2. evaluation only ({len(plans):,} loaded plans, 1 core)",
                f"{findings_only:,.0f} plans/s findings only (target ≥ 5,000); {detailed:,.0f} with coverage; "
                f"{raw:,.0f} raw engine without memo ({len(facts):,} facts, {distinct:,} distinct)",
            )
        )
        rows.append(
            (
                "   stages of a findings-only check",
                " · ".join(f"{k} {v:,.0f} µs" for k, v in stages.items()) + " per plan",
            )
        )
        # 3. end to end, SARIF on stdout (as a CI job would upload it)
        outputs = []
        peaks = tempfile.mkdtemp()
        for jobs in (1, 2):
            # Not in the corpus directory: `check` would read a .txt there as a council document.
            peak_file = Path(peaks) / f"peak-{jobs}.txt"
            start = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).with_name("cli_peak.py")),
                    "check",
                    tmp,
                    "--jobs",
                    str(jobs),
                    "--format",
                    "sarif",
                    "--fail-on",
                    "never",
                ],
                capture_output=True,
                check=False,
                env={**os.environ, "SGC_PEAK_FILE": str(peak_file)},
            )
            elapsed = time.perf_counter() - start
            outputs.append(done.stdout)
            peak = peak_file.read_text().strip() if peak_file.exists() else "?"
            rows.append(
                (
                    f"3. end to end, {n:,} files, --jobs {jobs}",
                    f"{n / elapsed:,.0f} plans/s ({elapsed:.1f} s, exit {done.returncode}; "
                    f"target ≥ 1,000 with 2 jobs); peak RSS of the checking process {peak} MB",
                )
            )
        rows.append(("   same SARIF with --jobs 1 and --jobs 2", "yes" if outputs[0] == outputs[1] else "NO"))

    # 4. scaling
    timings = []
    for parties in (10, 100, 1000):
        text = yaml.safe_dump(scaled_plan(parties), allow_unicode=True, sort_keys=False)
        plan = parse_declaration(text, f"scaled-{parties}.yaml")
        check_plan(plan, catalog)
        reps = 20 if parties < 1000 else 3
        start = time.perf_counter()
        for _ in range(reps):
            check_plan(plan, catalog)
        timings.append((parties, (time.perf_counter() - start) / reps))
    rows.append(
        (
            "4. one plan with 10 / 100 / 1,000 parties",
            " / ".join(f"{t * 1000:.1f} ms" for _, t in timings)
            + f" (per party: {' / '.join(f'{t / p * 1e6:.0f} µs' for p, t in timings)})",
        )
    )

    # 5. memory, in a fresh process: 200 corpus plans loaded, evaluated in turn, coverage included
    many = 10_000 if args.quick else max(args.evaluations, 2000)
    with tempfile.TemporaryDirectory() as tmp:
        corpus(Path(tmp), 200, seed=11)
        child = subprocess.run(
            [sys.executable, __file__, "--memory-child", tmp, "--evaluations", str(many)],
            capture_output=True,
            text=True,
            check=True,
        )
    after_1k, after_many = (float(x) for x in child.stdout.split())
    rows.append(
        (
            f"5. peak RSS after 1,000 / {many:,} evaluations",
            f"{after_1k:.1f} MB / {after_many:.1f} MB (growth {100 * (after_many / after_1k - 1):.1f}%; target ≤ 5%)",
        )
    )

    width = max(len(k) for k, _ in rows)
    print(f"safeguard-check benchmarks (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {n:,} plans)")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
