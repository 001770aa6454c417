"""A realistic archive of plans derived from the Shinjuku case, for benchmarks and batch tests.

Each plan: another municipality; measure codes removed at random; contractors renamed, removed, or
given a re-delegation layer (with or without the permission 番号法第10条 requires). Deterministic for
a seed, so a benchmark run and a test see the same corpus.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"


def variant(base: dict[str, Any], rnd: random.Random, index: int) -> dict[str, Any]:
    """One realistic plan derived from the Shinjuku case."""
    tree = copy.deepcopy(base)
    tree["plan"]["municipality"] = f"自治体{index:05d}"
    for measure in tree["measures"]:
        if measure["codes"] and rnd.random() < 0.08:
            measure["codes"].pop(rnd.randrange(len(measure["codes"])))
    if rnd.random() < 0.15:
        # A measure added: codes the plan uses elsewhere, now also promised by one contractor.
        used = sorted({c for m in tree["measures"] for c in m["codes"]})
        who = rnd.choice([p["id"] for p in tree["parties"] if p["role"] == "contractor"])
        tree["measures"].append(
            {
                "id": f"added{index}",
                "text": "追加の安全管理措置",
                "codes": rnd.sample(used, k=min(3, len(used))),
                "implemented_by": [who],
                "imposed_by": "jlis",
                "category": "operational",
            }
        )
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
        sub: dict[str, Any] = {
            "id": f"sub{index}",
            "name": f"再委託先{index}",
            "role": "subcontractor",
            "received_from": upstream,
            "tasks": ["call_center"],
        }
        if rnd.random() < 0.5:
            sub["permission"] = {"granted_by": "jlis"}
        tree["parties"].append(sub)
    return tree


def corpus(directory: Path, n: int, seed: int = 7) -> list[Path]:
    """Write ``n`` plans (plan00000.yaml …) into ``directory``; returns their paths in order."""
    base = yaml.load(CASE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10,000 plans in seconds, not minutes
    rnd = random.Random(seed)
    paths = []
    for i in range(n):
        path = directory / f"plan{i:05d}.yaml"
        path.write_text(
            yaml.dump(variant(base, rnd, i), Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        paths.append(path)
    return paths
