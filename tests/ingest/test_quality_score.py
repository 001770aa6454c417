"""Hand-computed figures for ``ingest.quality.score`` (#19: planted defects in it survived the suite).

Every expected number below was worked out by hand from the two tables, not by running ``score``.
"""

from __future__ import annotations

import pytest

from safeguard_check.ingest.quality import MeasureKey, score

A: MeasureKey = ("別紙", "1", "organizational", "(1)")
B: MeasureKey = ("別紙", "1", "technical", "(2)")
C: MeasureKey = ("別紙", "2", "technical", "(1)")


def test_identical_tables_score_one() -> None:
    table = {A: frozenset({"x", "y"}), B: frozenset({"z"})}
    s = score(table, table)
    assert (s.precision, s.recall, s.true_positives, s.predicted, s.expected, s.wrong) == (1.0, 1.0, 3, 3, 3, ())


def test_extra_code_lowers_precision_only() -> None:
    # predicted 3 codes, 2 right: precision 2/3; every expected code found: recall 2/2.
    s = score({A: frozenset({"x", "y", "bogus"})}, {A: frozenset({"x", "y"})})
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == 1.0
    assert (s.true_positives, s.predicted, s.expected) == (2, 3, 2)
    assert s.wrong == ((A, ("bogus",), ()),)


def test_sentence_missing_from_the_gold_set_counts_against_precision() -> None:
    # C was predicted but the hand-written table has no such sentence: its code is a false positive.
    s = score({A: frozenset({"x"}), C: frozenset({"w"})}, {A: frozenset({"x"})})
    assert s.precision == pytest.approx(1 / 2)
    assert s.recall == 1.0
    assert s.wrong == ((C, ("w",), ()),)


def test_sentence_the_reader_missed_counts_against_recall() -> None:
    # B is expected with two codes and was not read at all: 1 of 3 expected codes found.
    s = score({A: frozenset({"x"})}, {A: frozenset({"x"}), B: frozenset({"y", "z"})})
    assert s.precision == 1.0
    assert s.recall == pytest.approx(1 / 3)
    assert s.wrong == ((B, (), ("y", "z")),)


def test_precision_and_recall_use_their_own_denominators() -> None:
    # predicted: A{x,q} B{y} C{v,w}  = 5 codes; expected: A{x} B{y,z} = 3 codes; right: x, y = 2.
    predicted = {A: frozenset({"x", "q"}), B: frozenset({"y"}), C: frozenset({"v", "w"})}
    expected = {A: frozenset({"x"}), B: frozenset({"y", "z"})}
    s = score(predicted, expected)
    assert s.precision == pytest.approx(2 / 5)
    assert s.recall == pytest.approx(2 / 3)
    assert [w[0] for w in s.wrong] == sorted([A, B, C])


def test_empty_sides() -> None:
    # Nothing predicted and nothing expected is perfect; nothing predicted against something is recall 0.
    assert (score({}, {}).precision, score({}, {}).recall) == (1.0, 1.0)
    s = score({}, {A: frozenset({"x"})})
    assert (s.precision, s.recall) == (1.0, 0.0)
    s = score({A: frozenset()}, {A: frozenset()})
    assert s.wrong == ()
