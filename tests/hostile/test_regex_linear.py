"""#15 item 8: reading a document costs time linear in its length, whatever its text.

Every pattern the reader applies to document text is driven with growing adversarial inputs (2, 4, 8
and 16 KB of a repeated unit chosen to make a backtracking pattern retry: 「(以下「」 repeated in a 委任先
line made ``parties.py`` cubic, 14 KB took 34 s). The assertion is on the growth of CPU time
(``time.process_time``), never on absolute seconds: doubling the input may at most triple the time,
above a small floor that absorbs timer noise on tiny inputs. A run that is already far too slow stops
early, so the old code fails in seconds rather than minutes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from safeguard_check.ingest import mapping, parties, plan, prose, text
from safeguard_check.ingest.api import ingest_text
from safeguard_check.ingest.context import Warnings
from safeguard_check.ingest.facts import prose_contract
from safeguard_check.ingest.patterns import patterns

SIZES = (2_000, 4_000, 8_000, 16_000)
RATIO = 3.0
FLOOR = 0.03
"""CPU seconds below which a measurement is noise: the ratio is taken against at least this."""
GIVE_UP = 3.0
"""A measurement above this, after a ratio already above RATIO, fails at once."""

REPO = Path(__file__).resolve().parents[2]
FORM = (REPO / "cases/layouts/01-city-subcontractor-line-under-contractor/document.txt").read_text(encoding="utf-8")

# Units repeated to build the adversarial text: each targets a pattern that retried a lazy or starred
# part from every occurrence (definitions, clause lists, dates, article numbers, brackets).
UNITS = (
    "(以下「",
    "株式会社Ａ(以下「Ａ」という",
    "株式会社、",
    "契約書に",
    "「契約書",
    "契約は、",
    "に関する",
    "。(1)",
    "いずれか",
    "まで(",
    "平成1年",
    "令和1年度第1回",
    "第1条(",
    "(担当部課:",
    "株式会社Ａに委託",
    "└再委託 Ａ社",
    "株式会社Ａ（受託者）\n",
    "（再委託先：Ａ）",
    "委任事務 ",
    "あ",
)


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _party_line(s: str) -> object:
    return ingest_text(FORM.replace("株式会社北原ビジネスサポート", s))


def _measure(s: str) -> object:
    return ingest_text(FORM.replace("作業場所には入退室管理を行わせる。", s + "を行わせる。"))


def _contract(s: str) -> object:
    lead = "委託先との契約において、以下の事項を定める。"
    return ingest_text(FORM.replace(lead, "委託先との契約書に" + s + "を定める。"))


def _cover(s: str) -> object:
    return ingest_text(FORM.replace("件名 マイナンバーカード交付予約コールセンター業務の委託について", "件名 " + s, 1))


def _prose(s: str) -> object:
    return ingest_text("北原市は、地方公共団体情報システム機構に委託する。\n" + s + "\n北原市は、暗号化を行う。")


def _functions(s: str) -> object:
    # The module-level readers, called directly on the text (what the pipeline calls on one field).
    return (
        parties.split_name(s),
        prose_contract(s, patterns()),
        mapping.refers_to(s),
        prose.defined_names(s),
        prose.named_before(s),
        prose.municipality_in(s),
        plan.prior_approvals(s),
        plan.legal_basis_citation([s]),
        plan.municipality_of(s),
        plan.read_period([s], Warnings(), "test"),
        text.sentences([s]),
    )


ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "party_line": _party_line,
    "measure": _measure,
    "contract": _contract,
    "cover": _cover,
    "prose": _prose,
    "functions": _functions,
}


def _cpu(entry: Callable[[str], object], s: str, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):  # the lowest of the runs: another process on the machine only ever adds time
        start = time.process_time()
        with contextlib.suppress(Exception):  # an input error on junk text is fine; only the time matters
            entry(s)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_reading_time_grows_linearly(entry: str, unit: str) -> None:
    run = ENTRY_POINTS[entry]
    run("北原市")  # load the dictionary and the data files outside the measurement
    times: list[float] = []
    for size in SIZES:
        times.append(_cpu(run, _repeat(unit, size)))
        if len(times) >= 2 and times[-1] / max(times[-2], FLOOR) > RATIO:
            # Measured once, the pair looks superlinear: measure both again, three times each, before
            # judging (a burst of load elsewhere on the machine is not the reader's growth).
            times[-2] = _cpu(run, _repeat(unit, SIZES[len(times) - 2]), runs=3)
            times[-1] = _cpu(run, _repeat(unit, size), runs=3)
        if len(times) >= 2:
            ratio = times[-1] / max(times[-2], FLOOR)
            assert ratio <= RATIO, (
                f"{entry} on {unit!r}: {SIZES[len(times) - 2]} → {size} characters took "
                f"{times[-2]:.3f} s → {times[-1]:.3f} s CPU (×{ratio:.1f}; all: {times})"
            )
        if times[-1] > GIVE_UP * 4:
            pytest.fail(f"{entry} on {unit!r}: {size} characters took {times[-1]:.1f} s CPU ({times})")
