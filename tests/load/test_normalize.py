"""Tests for safeguard_check.load.normalize."""

from __future__ import annotations

import copy
import datetime
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard_check.load import normalize
from safeguard_check.load.normalize import NormalizedKeyCollisionError, nfkc, normalize_text, normalize_tree


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＩＤ", "ID"),
        ("０１２３", "0123"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｶﾞｲﾄﾞ", "ガイド"),  # voiced marks join the preceding kana
        ("　委託先　", "委託先"),  # ideographic spaces become ASCII spaces, then are stripped
        (" \t株式会社サンプル\r\n", "株式会社サンプル"),
        ("㍻", "平成"),
        ("ｍｙ　ｎｕｍｂｅｒ", "my number"),  # inner space kept
        ("既に正規形", "既に正規形"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_keeps_non_ascii_whitespace_that_nfkc_keeps() -> None:
    # Only ASCII whitespace is stripped; U+2028 survives NFKC and stays.
    assert normalize_text("\u2028a\u2028") == "\u2028a\u2028"


@given(st.text())
def test_normalize_text_is_idempotent_nfkc(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFKC", once)


# --- nfkc: the same result as unicodedata, faster --------------------------------------------------------

_FOLDED = "".join(map(chr, normalize._FOLDED))
# Marks that compose with or reorder around what the folded characters decompose to.
_MARKS = "\u0300\u0301\u0308\u0323\u0338\u20d2\u3099\u309a\uff9e\uff9f"
_JAPANESE = "新宿区個人番号カードかがはぱハ。、・「」（）ー〜髙﨑𠮷"


def test_folded_characters_map_to_their_full_decomposition() -> None:
    # The shortcut is exact only because each replacement is already fully decomposed.
    for char in _FOLDED:
        folded = char.translate(normalize._DECOMPOSE)
        assert folded == unicodedata.normalize("NFKD", char)
        assert unicodedata.normalize("NFKD", folded) == folded


def test_nfkc_of_folded_characters_next_to_marks() -> None:
    for char in _FOLDED:
        for mark in _MARKS:
            for text in (char, char + mark, mark + char, char + char + mark, "a" + char + mark + mark):
                assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)


@given(st.text(alphabet=st.sampled_from(_FOLDED + _MARKS + _JAPANESE + "aeAE0 \n"), max_size=40))
def test_nfkc_equals_unicodedata_on_japanese_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text())
def test_nfkc_equals_unicodedata(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_tree_normalises_keys_and_values() -> None:
    tree = {"ＩＤ": "ｶﾀｶﾅ", "項目": ["０１２３", {"ｷｰ": "ＡＢＣ"}], "数": 3}
    assert normalize_tree(tree) == {"ID": "カタカナ", "項目": ["0123", {"キー": "ABC"}], "数": 3}


def test_tree_does_not_strip_strings() -> None:
    # Whitespace is content in literal block scalars; fields decide whether to trim.
    assert normalize_tree({"k": "  行1\n行2\n"}) == {"k": "  行1\n行2\n"}


def test_tree_leaves_other_types_unchanged() -> None:
    day = datetime.date(2020, 5, 25)
    marker = object()
    values: list[object] = [1, 2.5, True, None, day, marker, b"\xef\xbc\xa9", ("ＩＤ",)]
    result = normalize_tree(values)
    assert isinstance(result, list)
    assert all(a is b for a, b in zip(result, values, strict=True))


def test_tree_keeps_non_string_keys() -> None:
    assert normalize_tree({1: "１", None: "ＩＤ"}) == {1: "1", None: "ID"}


def test_tree_does_not_mutate_input() -> None:
    tree = {"ＩＤ": ["ｶﾀｶﾅ", {"ｷｰ": "０"}]}
    snapshot = copy.deepcopy(tree)
    result = normalize_tree(tree)
    assert tree == snapshot
    assert isinstance(result, dict)
    assert result is not tree
    assert result["ID"] is not tree["ＩＤ"]


def test_tree_scalar_string() -> None:
    assert normalize_tree("ＩＤ") == "ID"


def test_tree_key_collision_is_an_error() -> None:
    with pytest.raises(NormalizedKeyCollisionError) as info:
        normalize_tree({"ID": 1, "ＩＤ": 2})
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.normalized, err.first, err.second) == ("ID", "ID", "ＩＤ")


def test_tree_preserves_sharing_and_cycles() -> None:
    shared = ["ＡＢ"]
    tree: dict[str, object] = {"a": shared, "b": shared}
    loop: list[object] = ["ｶ"]
    loop.append(loop)
    tree["loop"] = loop
    result = normalize_tree(tree)
    assert isinstance(result, dict)
    assert result["a"] is result["b"]
    assert result["a"] == ["AB"]
    assert result["loop"][0] == "カ"
    assert result["loop"][1] is result["loop"]


_trees = st.recursive(
    st.text() | st.integers() | st.none() | st.booleans(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (_strings(k) + _strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@given(_trees)
def test_tree_property_every_string_is_nfkc_and_input_unchanged(tree: object) -> None:
    snapshot = copy.deepcopy(tree)
    try:
        result = normalize_tree(tree)
    except NormalizedKeyCollisionError as err:
        # Only legitimate when two distinct keys differ just in compatibility form.
        assert err.first != err.second
        assert unicodedata.normalize("NFKC", err.first) == unicodedata.normalize("NFKC", err.second)
        return
    assert tree == snapshot
    assert all(unicodedata.is_normalized("NFKC", s) for s in _strings(result))
    assert normalize_tree(result) == result
