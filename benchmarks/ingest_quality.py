"""Ingest quality on the real Shinjuku document: measure-code precision/recall and findings agreement.

    python benchmarks/ingest_quality.py [--verbose]

Ingests cases/shinjuku-2020-mynumber-card/shiryo30.txt (the text extracted from the council PDF) and
compares it with the hand-written declaration.yaml of the same document:

* precision and recall of measure codes, per printed sentence (sheet, section, category, item),
  micro-averaged over (sentence, code) pairs (safeguard_check.ingest.quality);
* the findings of `check` on both, compared by rule, missing codes and what the subject is (party
  name, terminal owner + system, transfer ends + method, contract parties), not by id;
* the same for variants of the text: re-wrapped at other widths, digits of the other width, measure
  lists reordered, and a PDF made from the text (when reportlab is installed).

Exit status 1 when precision or recall is below 0.95 or any findings differ.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the text transformations the tests use

from ingest.transforms import reorder_measures, rewrap, to_half_width_digits  # noqa: E402
from safeguard_check.check import check_plan  # noqa: E402
from safeguard_check.ingest import IngestResult, ingest_bytes, ingest_text  # noqa: E402
from safeguard_check.ingest.quality import finding_identities, measure_codes, score  # noqa: E402
from safeguard_check.load.catalog import load_catalog  # noqa: E402
from safeguard_check.load.declaration import load_declaration  # noqa: E402

CASE = REPO / "cases" / "shinjuku-2020-mynumber-card"
BAR = 0.95


def main() -> int:
    verbose = "--verbose" in sys.argv
    catalog = load_catalog()
    hand = load_declaration(CASE / "declaration.yaml")
    gold_codes = measure_codes(hand.declaration)
    gold_findings = finding_identities(check_plan(hand, catalog), hand.declaration)
    text = (CASE / "shiryo30.txt").read_text(encoding="utf-8")

    variants: list[tuple[str, Callable[[], IngestResult]]] = [
        ("text", lambda: ingest_text(text)),
        ("rewrap 13", lambda: ingest_text(rewrap(text, 13))),
        ("rewrap 23", lambda: ingest_text(rewrap(text, 23))),
        ("half-width digits", lambda: ingest_text(to_half_width_digits(text))),
        ("reordered (numbers kept)", lambda: ingest_text(reorder_measures(text, renumber=False))),
    ]
    try:
        from ingest.pdfmake import make_pdf

        variants.append(("pdf", lambda: ingest_bytes(make_pdf(text), "shiryo30.pdf")))
    except ImportError:
        print("(reportlab not installed: PDF variant skipped)")

    ok = True
    print(f"{'input':<26} {'precision':>9} {'recall':>7} {'codes':>9} {'findings':>9} {'unmapped':>8} {'sec':>5}")
    for name, run in variants:
        start = time.perf_counter()
        result = run()
        plan = result.loaded_plan()
        found = finding_identities(check_plan(plan, catalog), plan.declaration)
        elapsed = time.perf_counter() - start
        s = score(measure_codes(result.declaration), gold_codes)
        same = found == gold_findings
        ok &= same and s.precision >= BAR and s.recall >= BAR
        print(
            f"{name:<26} {s.precision:>9.3f} {s.recall:>7.3f} {s.true_positives:>4}/{s.expected:<4} "
            f"{'same' if same else 'DIFFER':>9} {len(result.unmapped):>8} {elapsed:>5.2f}"
        )
        if verbose or not same:
            for key, extra, missing in s.wrong:
                print(f"    {key}: extra {extra} missing {missing}")
            for f in sorted(found - gold_findings):
                print(f"    + {f}")
            for f in sorted(gold_findings - found):
                print(f"    - {f}")
    print(f"hand-written findings: {len(gold_findings)}; bar: precision and recall >= {BAR}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
