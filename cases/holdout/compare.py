"""Compare `safeguard-check ingest`/`check` output on cases/holdout with the hand-written expected.yaml.

Not part of the benchmark (benchmarks/ingest_quality.py is the lead's); a helper to reproduce the
per-document notes in README.md. Usage, from the worktree root with the venv active:

    python cases/holdout/compare.py RUN_DIR [--strict]

RUN_DIR holds NN-slug.draft.yaml (from `ingest -o`) and NN-slug.check.json (from `check -f json
--as-of <expected as_of>`). Without --strict, a tool party is aligned with the expected party of the
same role when each side has exactly one of that role, or when one name contains the other (the tool
often names the contractor 「受託者」); --strict compares names only after NFKC and whitespace removal.
"""

import glob
import json
import os
import sys
import unicodedata

import yaml


def norm(s: object) -> str:
    """NFKC with all spaces removed, as the expectation format compares names."""
    return unicodedata.normalize("NFKC", str(s)).replace(" ", "").replace("\u3000", "")


def main(run_dir: str, strict: bool) -> None:
    """Print parties, measures and finding recall / false positives per document."""
    here = os.path.dirname(os.path.abspath(__file__))
    tot = {"exp": 0, "hit": 0, "evidence_ok": 0, "fp": 0}
    for d in sorted(glob.glob(os.path.join(here, "0*/"))):
        n = os.path.basename(d.rstrip("/"))
        exp = yaml.safe_load(open(d + "expected.yaml", encoding="utf-8"))
        draft = yaml.safe_load(open(os.path.join(run_dir, n + ".draft.yaml"), encoding="utf-8"))
        chk = json.load(open(os.path.join(run_dir, n + ".check.json"), encoding="utf-8"))["results"][0]
        ids = {p["id"]: p["name"] for p in draft.get("parties", [])}
        print("=" * 20, n)
        print("parties tool:", [(p["name"], p["role"]) for p in draft.get("parties", [])])
        print("parties exp :", [(p["name"], p["role"]) for p in exp["parties"]])
        print("reading     :", {k: v for k, v in chk["reading"].items() if k != "missing_fields"},
              "expected sentences:", len(exp["sentences"]))
        alias: dict[str, str] = {}
        if not strict:
            for role in ("principal", "delegate", "contractor", "subcontractor"):
                tp = [p["name"] for p in draft.get("parties", []) if p["role"] == role]
                ep = [p["name"] for p in exp["parties"] if p["role"] == role]
                if len(tp) == 1 and len(ep) == 1:
                    alias[norm(tp[0])] = norm(ep[0])
                for t in tp:
                    for e in ep:
                        if norm(e) in norm(t) or norm(t) in norm(e):
                            alias.setdefault(norm(t), norm(e))
        cmap = {c["id"]: ids.get(c["client"], c["client"]) + "→" + "、".join(ids.get(x, x) for x in c.get("contractors", []))
                for c in draft.get("contracts", []) if "id" in c}
        tmap = {t["id"]: ids.get(t["from"], t["from"]) + "→" + ids.get(t["to"], t["to"])
                for t in draft.get("transfers", []) if "id" in t}

        def subject(f: dict) -> str:
            s = f.get("subject_name") or ""
            if f.get("subject_kind") == "contract":
                s = cmap.get(f.get("subject_id"), s)
            elif f.get("subject_kind") == "transfer":
                s = tmap.get(f.get("subject_id"), s)
            return "→".join(alias.get(p, p) for p in norm(s).split("→"))

        got = {(f["rule_id"], subject(f)): f for f in chk["findings"]}
        for e in exp["findings"]:
            f = got.get((e["rule"], norm(e["subject"])))
            ok = f is not None and f["evidence"] == e.get("evidence", f["evidence"])
            tot["exp"] += 1
            tot["hit"] += f is not None
            tot["evidence_ok"] += ok
            print("  expected", "HIT " if ok else ("HIT*" if f else "MISS"), e["rule"], e["subject"],
                  e.get("evidence", ""), "->", f and f["evidence"])
        for e in exp.get("absent_findings", []):
            f = got.get((e["rule"], norm(e["subject"])))
            if f is not None:
                tot["fp"] += 1
                print("  FALSE POSITIVE", e["rule"], e["subject"], f["evidence"])
    print("TOTAL", tot)


if __name__ == "__main__":
    main(sys.argv[1], "--strict" in sys.argv[2:])
