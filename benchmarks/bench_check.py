"""Speed and memory of safeguard-check, measured (never asserted in tests: machines are shared).

Prints five figures:
1. cold start: median wall time of `safeguard-check check` on the Shinjuku case vs. the median of
   importing the same runtime dependencies (the floor), and their ratio;
2. evaluation only (plans already loaded): plans/s on one core;
3. end to end: `check` over N generated files with --jobs 1 and --jobs 2, plans/s;
4. scaling: evaluation time for one plan with 10, 100, 1,000 parties;
5. peak RSS after 1,000 and after many more evaluations in one process.

Usage:  python benchmarks/bench_check.py [--plans 10000] [--quick]
The corpus is generated from the Shinjuku case (measures removed or added, parties renamed,
contractors added and removed, re-delegation layers) into a temporary directory.
"""

from __future__ import annotations

import argparse
import copy
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
RUNTIME_IMPORTS = "import pydantic, durable.lang, rich, typer, yaml, charset_normalizer"


def variant(base: dict[str, Any], rnd: random.Random, index: int) -> dict[str, Any]:
    """One realistic plan derived from the Shinjuku case."""
    tree = copy.deepcopy(base)
    tree["plan"]["municipality"] = f"自治体{index:05d}"
    for measure in tree["measures"]:
        if measure["codes"] and rnd.random() < 0.08:
            measure["codes"].pop(rnd.randrange(len(measure["codes"])))
    contractors = [p for p in tree["parties"] if p["role"] == "contractor"]
    for party in contractors:
        if rnd.random() < 0.3:
            party["name"] = f"{party['name']}（{index}）"
    # Drop or add contractors, and sometimes a re-delegation layer below one of them.
    if rnd.random() < 0.3 and len(contractors) > 1:
        gone = rnd.choice(contractors)["id"]
        tree["parties"] = [p for p in tree["parties"] if p["id"] != gone]
        tree["transfers"] = [t for t in tree["transfers"] if gone not in (t["from"], t["to"])]
        tree["terminals"] = [t for t in tree["terminals"] if t["owner"] != gone]
        remaining = {x["id"] for key in ("parties", "transfers", "terminals", "contracts") for x in tree[key]}
        for m in tree["measures"]:
            m["implemented_by"] = [p for p in m["implemented_by"] if p != gone] or ["jlis"]
            m["covers"] = [c for c in m.get("covers", []) if c in remaining]
        for c in tree["contracts"]:
            c["contractors"] = [p for p in c["contractors"] if p != gone] or [contractors[0]["id"]]
    if rnd.random() < 0.3:
        upstream = rnd.choice([p for p in tree["parties"] if p["role"] == "contractor"])["id"]
        sub: dict[str, Any] = {"id": f"sub{index}", "name": f"再委託先{index}", "role": "subcontractor",
                               "received_from": upstream, "tasks": ["call_center"]}
        if rnd.random() < 0.5:
            sub["permission"] = {"granted_by": "jlis"}
        tree["parties"].append(sub)
    return tree


def corpus(directory: Path, n: int, seed: int = 7) -> list[Path]:
    base = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    rnd = random.Random(seed)
    paths = []
    for i in range(n):
        path = directory / f"plan{i:05d}.yaml"
        path.write_text(yaml.safe_dump(variant(base, rnd, i), allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def median_wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaled_plan(parties: int) -> dict[str, Any]:
    base = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    template = next(p for p in base["parties"] if p["id"] == "npb")
    contractor_measures = [m for m in base["measures"] if "npb" in m["implemented_by"]]
    base["parties"] = [p for p in base["parties"] if p["role"] != "contractor"]
    base["transfers"] = [t for t in base["transfers"] if t["from"] == "shinjuku"]
    base["terminals"] = [t for t in base["terminals"] if t["owner"] in ("shinjuku", "jlis")]
    base["measures"] = [m for m in base["measures"] if m not in contractor_measures and "npb" not in m.get("covers", [])]
    base["contracts"] = []
    ids = []
    for i in range(parties - 2):
        pid = f"c{i}"
        ids.append(pid)
        base["parties"].append({**template, "id": pid, "name": f"委託先{i}"})
        base["transfers"].append({"id": f"t{i}", "from": "jlis", "to": pid, "method": "dedicated_line", "encrypted": True})
        base["terminals"].append({"id": f"k{i}", "owner": pid, "system": "card_production_terminal",
                                  "auth_factors": ["operator_card", "password"]})
    for m in contractor_measures:
        base["measures"].append({**m, "implemented_by": ids, "covers": []})
    base["contracts"].append({"id": "k", "client": "jlis", "contractors": ids,
                              "clauses": [{"code": "contract.confidentiality", "text": "秘密保持"}]})
    return base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="smaller runs for a smoke test")
    args = parser.parse_args()
    n = 500 if args.quick else args.plans
    runs = 3 if args.quick else 7

    from safeguard_check.check import check_plan
    from safeguard_check.load.catalog import load_catalog
    from safeguard_check.load.declaration import load_declaration, parse_declaration

    rows: list[tuple[str, str]] = []
    # 1. cold start
    cli = median_wall([sys.executable, "-m", "safeguard_check", "check", str(CASE), "--no-summary"], runs)
    floor = median_wall([sys.executable, "-c", RUNTIME_IMPORTS], runs)
    rows.append(("1. cold start (check Shinjuku) / import floor",
                 f"{cli * 1000:.0f} ms / {floor * 1000:.0f} ms = ratio {cli / floor:.2f} (target ≤ 1.3)"))

    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        paths = corpus(Path(tmp), n)
        # 2. evaluation only, one core
        plans = [load_declaration(p) for p in paths[: min(n, 2000)]]
        for plan in plans[:50]:
            check_plan(plan, catalog)
        start = time.perf_counter()
        for plan in plans:
            check_plan(plan, catalog)
        rate = len(plans) / (time.perf_counter() - start)
        rows.append(("2. evaluation only (loaded plans, 1 core)", f"{rate:,.0f} plans/s (target ≥ 5,000)"))
        # 3. end to end
        for jobs in (1, 2):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "safeguard_check", "check", tmp, "--jobs", str(jobs),
                            "--format", "json", "--fail-on", "never"], capture_output=True, check=False)
            elapsed = time.perf_counter() - start
            rows.append((f"3. end to end, {n:,} files, --jobs {jobs}",
                         f"{n / elapsed:,.0f} plans/s ({elapsed:.1f} s; target ≥ 1,000 with 2 jobs)"))

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
    rows.append(("4. one plan with 10 / 100 / 1,000 parties",
                 " / ".join(f"{t * 1000:.1f} ms" for _, t in timings)
                 + f" (per party: {' / '.join(f'{t / p * 1e6:.0f} µs' for p, t in timings)})"))

    # 5. memory
    plan = load_declaration(CASE)
    for _ in range(1000):
        check_plan(plan, catalog)
    after_1k = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    many = 10_000 if args.quick else 100_000
    for _ in range(many - 1000):
        check_plan(plan, catalog)
    after_many = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append((f"5. peak RSS after 1,000 / {many:,} evaluations",
                 f"{after_1k:.1f} MB / {after_many:.1f} MB (growth {100 * (after_many / after_1k - 1):.1f}%; target ≤ 5%)"))

    width = max(len(k) for k, _ in rows)
    print(f"safeguard-check benchmarks (python {sys.version.split()[0]})")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
