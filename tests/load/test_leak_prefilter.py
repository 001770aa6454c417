"""The loader skips the leak guard's walk over the parsed tree only when the guard could find nothing.

``load.declaration._may_hold_number`` must answer True for every tree in which ``guard_tree`` finds an
individual number; a False is what lets the loader skip the guard. Checked string by string (as value,
key, list item and root) on texts dense in digits, separators and characters NFKC turns into digits,
and end to end: loading with the shortcut gives what loading with the guard always run gives.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.errors import InputError
from safeguard_check.leakguard import SEPARATORS, check_digit, contains_individual_number, guard_tree
from safeguard_check.load import declaration
from safeguard_check.load.declaration import parse_declaration
from safeguard_check.load.tree import RawFloat, RawInt, SourceMap

REPO = Path(__file__).resolve().parents[2]
MINIMAL = (REPO / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"

_DIGITS = "0123456789０１２３４５６７８９٣۴߅१"  # ASCII, full-width and other Nd digits
_NFKC_DIGITS = "①⑫⑳⒈⑴¹²₃㉑"  # not digits, but NFKC makes digits of them
_OTHER = "ab字（）　\n\t_.,:"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _number(first11: str) -> str:
    return first11 + str(check_digit(first11))


@st.composite
def _leaky_texts(draw: st.DrawFn) -> str:
    """Text around a valid number written in one of the forms the guard knows (or nearly)."""
    number = _number(draw(st.text(alphabet="0123456789", min_size=11, max_size=11)))
    form = draw(st.sampled_from(["plain", "full-width", "grouped", "nfkc", "mixed"]))
    if form == "full-width":
        number = number.translate(_FULL_WIDTH)
    elif form == "grouped":
        sep = draw(st.sampled_from(SEPARATORS))
        number = sep.join((number[:4], number[4:8], number[8:]))
    elif form == "nfkc":
        number = "".join("⓪①②③④⑤⑥⑦⑧⑨"[int(d)] for d in number)
    elif form == "mixed":
        number = "".join(draw(st.sampled_from([d, d.translate(_FULL_WIDTH)])) for d in number)
    around = st.text(alphabet=_DIGITS + _NFKC_DIGITS + _OTHER + SEPARATORS, max_size=8)
    return draw(around) + number + draw(around)


_TEXTS = (
    _leaky_texts() | st.text(alphabet=_DIGITS + _NFKC_DIGITS + _OTHER + SEPARATORS, max_size=60) | st.text(max_size=40)
)


def _guard_finds(tree: Any) -> bool:
    return bool(guard_tree(copy.deepcopy(tree), SourceMap("doc.yaml"))[1])  # the guard masks in place


@settings(max_examples=500)
@given(_TEXTS)
def test_a_text_the_guard_would_flag_is_never_skipped(text: str) -> None:
    for tree in ({"k": text}, {text: "v"}, [text], text, {"a": [{"b": text}]}):
        if _guard_finds(tree):
            assert declaration._may_hold_number(tree), ascii(text)
    if contains_individual_number(text):
        assert declaration._may_hold_number({"k": text})


def test_the_joint_cannot_be_part_of_a_number() -> None:
    # The texts are searched joined by this character: it must end any run of digits and separators.
    assert declaration._JOINT not in SEPARATORS
    assert not declaration._JOINT.isdecimal()
    assert unicodedata.normalize("NFKC", declaration._JOINT) == declaration._JOINT


def test_texts_without_a_digit_run_are_skipped() -> None:
    # What makes the shortcut pay: sentences with dates and article numbers hold no twelve-digit run.
    assert not declaration._may_hold_number({"text": "令和2年5月25日から第14条第1項（2020-05-25）", "n": [1, "x"]})
    assert not declaration._may_hold_number({"count": RawInt(1000)})


@pytest.mark.parametrize(
    "value",
    [
        RawInt(123456789018),
        RawInt(-123456789018),
        10**5000,  # too long for str(): the guard fails on it as before, so it must run
        RawFloat(1.5),
        1.5,
        b"123456789018",
        ("123456789018",),
    ],
    ids=["raw-int", "negative", "huge-int", "raw-float", "float", "bytes", "tuple"],
)
def test_numbers_and_unknown_values_are_never_skipped(value: Any) -> None:
    assert declaration._may_hold_number({"k": value})


def test_an_integer_written_with_a_long_run_is_not_skipped() -> None:
    small = RawInt(5)
    small.raw = "000000000005"
    assert declaration._may_hold_number({"k": small})


def _loaded(text: str, fmt: str = "yaml") -> Any:
    try:
        plan = parse_declaration(text, f"doc.{fmt}", fmt)  # type: ignore[arg-type]
    except InputError as exc:
        return ("error", exc.issues)
    return ("ok", plan.declaration, list(plan.source.positions.items()), plan.leaks)


def _same_with_and_without_shortcut(text: str, monkeypatch: pytest.MonkeyPatch, fmt: str = "yaml") -> None:
    fast = _loaded(text, fmt)
    with monkeypatch.context() as patch:
        patch.setattr(declaration, "_may_hold_number", lambda _tree: True)
        assert _loaded(text, fmt) == fast


@settings(max_examples=150)
@given(_TEXTS, st.sampled_from(["plain", "single", "double", "folded", "key"]))
def test_loading_is_the_same_with_the_guard_always_run(text: str, style: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        if style == "double":
            value = '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in text) + '"'
        elif style == "single":
            value = "'" + text.replace("'", "''") + "'"
        elif style == "folded":
            value = ">\n    " + "\n    ".join(text.splitlines() or [""])
        else:
            value = text
        line = f"  {value}: x\n" if style == "key" else f"  purpose: {value}\n"
        _same_with_and_without_shortcut(MINIMAL.replace("plan:\n", "plan:\n" + line, 1), monkeypatch)


@pytest.mark.parametrize(
    "value",
    [
        '"\\u0031\\u0032\\u0033\\u0034\\u0035\\u0036\\u0037\\u0038\\u0039\\u0030\\u0031\\u0038"',
        ">\n    1234\n    5678\n    9018",
        "①②③④⑤⑥⑦⑧⑨⓪①⑧",
        "0x1CBE991A1A",
        "123_456_789_018",
        "1234 5678 9018",
    ],
)
def test_numbers_only_parsing_reveals_are_still_found(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL.replace("plan:\n", f"plan:\n  purpose: {value}\n", 1)
    _same_with_and_without_shortcut(text, monkeypatch)
    outcome = _loaded(text)
    leaks = outcome[3] if outcome[0] == "ok" else [i for i in outcome[1] if i.key.startswith("leak.")]
    assert leaks


def test_shinjuku_loads_the_same_with_the_guard_always_run(monkeypatch: pytest.MonkeyPatch) -> None:
    _same_with_and_without_shortcut(SHINJUKU.read_text(encoding="utf-8"), monkeypatch)
