"""The single-walk reader (``load/tree.py``) against the two-pass reader it replaced (``reference_tree``).

Same values (types and written forms of numbers included), same positions in the same order, same
issues — for the Shinjuku plan (pinned in ``tests/data/shinjuku-positions.json``, captured with the old
reader and checked here against positions derived independently from PyYAML's composer) and for
generated documents full of what the reader must refuse: aliases (shared, recursive, exploding), tags,
merge keys, non-string and duplicate keys, under node and depth limits small enough to be reached.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.errors import InputError
from safeguard_check.load import tree as tree_module
from safeguard_check.load.declaration import load_declaration
from safeguard_check.load.tree import Limits, read_tree
from safeguard_check.model.declaration import JA_KEY_ALIASES

from .reference_tree import reference_read_tree

REPO = Path(__file__).resolve().parents[2]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
FIXTURE = REPO / "tests" / "data" / "shinjuku-positions.json"


def _ja(key: str) -> str:
    return JA_KEY_ALIASES.get(key, key)


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type (and written form) spelled out, so 1 ≠ True ≠ RawInt(1)."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan", type(value).__name__, getattr(value, "raw", None))
    return (type(value).__name__, value, getattr(value, "raw", None))


def _outcome(reader: Any, text: str, fmt: str, limits: Limits | None) -> Any:
    try:
        value, smap = reader(text, f"doc.{fmt}", fmt, limits=limits, key_map=_ja)
    except InputError as exc:
        return ("error", exc.issues)
    return ("ok", _typed(value), list(smap.positions.items()), smap.file)


def _same(text: str, fmt: str = "yaml", limits: Limits | None = None) -> None:
    assert _outcome(read_tree, text, fmt, limits) == _outcome(reference_read_tree, text, fmt, limits)


# --- the Shinjuku plan -------------------------------------------------------------------------------


def _fixture() -> list[tuple[tuple[str | int, ...], int, int]]:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["positions"]
    return [(tuple(path), line, column) for path, line, column in rows]


def test_shinjuku_positions_match_the_old_reader() -> None:
    _, smap = read_tree(SHINJUKU.read_text(encoding="utf-8"), str(SHINJUKU), key_map=_ja)
    assert [(path, pos.line, pos.column) for path, pos in smap.positions.items()] == _fixture()


def _positions_from_pyyaml_composer(text: str) -> list[tuple[tuple[str | int, ...], int, int]]:
    """Positions derived without our reader: PyYAML's pure-Python composer and its node marks.

    A mapping entry is located at its key, a sequence item at the item, the root at its first node —
    the convention the reader documents. This is the independent argument behind the pinned fixture.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: list[tuple[tuple[str | int, ...], int, int]] = []

    def walk(node: yaml.Node, path: tuple[str | int, ...], mark: Any) -> None:
        out.append((path, mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value), key.start_mark)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index), item.start_mark)

    walk(root, (), root.start_mark)
    return out


def test_shinjuku_fixture_agrees_with_an_independent_derivation() -> None:
    # The fixture was captured from the old reader; this pins it to PyYAML's composer, which shares
    # no code with load/tree.py, so the fixture is not merely "what our code once printed".
    assert _positions_from_pyyaml_composer(SHINJUKU.read_text(encoding="utf-8")) == _fixture()


def test_loaded_shinjuku_keeps_every_position() -> None:
    plan = load_declaration(SHINJUKU)
    assert [(path, pos.line, pos.column) for path, pos in plan.source.positions.items()] == _fixture()
    for path, line, column in _fixture():
        located = plan.source.locate(path)
        assert located is not None and (located.line, located.column) == (line, column)


def test_shinjuku_equals_the_old_reader() -> None:
    _same(SHINJUKU.read_text(encoding="utf-8"))


# --- generated documents -----------------------------------------------------------------------------

_KEYS = (
    "id",
    "name",
    "ID",
    "ＩＤ",  # the same key as ID after NFKC
    "件名",
    "title",  # the same key as 件名 after renaming
    "'1'",
    "1",
    "null",
    "yes",
    "2020-05-25",
    "<<",
    "!!str 2",
    "!!merge x",
    "[a]",
    "&k key",
)
_SCALARS = (
    "x",
    "新宿区",
    "''",
    "'quoted'",
    '"\\u0031\\u0032"',
    "1",
    "0120",
    "1_000",
    "0x1F",
    "1.5",
    "1e3",
    ".inf",
    ".nan",
    "true",
    "No",
    "~",
    "null",
    "2020-05-25",
    "2020-02-30",
    "2020-05-25 10:00:00",
    "=",
    "!!str 1",
    "!!int '2'",
    "!!float '1.5'",
    "!!null ''",
    "!!binary aGVsbG8=",
    "!custom x",
    "!!python/name:os.system ''",
)
_PLAIN_SCALARS = ("x", "新宿区", "'quoted'", "1", "0120", "true", "~", "2020-05-25")
_PROPERTIES = ("",) * 16 + ("&c ", "!!map ", "!!seq ", "!!set ", "!x ")


_LEAVES = st.sampled_from(_PLAIN_SCALARS) | st.sampled_from(_SCALARS)


def _with_property(parts: tuple[str, str]) -> str:
    prop, node = parts
    return node if node.startswith("*") else prop + node  # an alias cannot carry an anchor or a tag


def _containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    child = st.tuples(st.sampled_from(_PROPERTIES), children).map(_with_property)
    sequence = st.lists(child, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    mapping = st.lists(st.tuples(st.sampled_from(_KEYS), child), max_size=4).map(
        lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"
    )
    return sequence | mapping


_NODES = st.recursive(_LEAVES | st.sampled_from(("*a", "*b")), _containers, max_leaves=30)
_DEFINITIONS = st.recursive(_LEAVES | st.just("*a"), _containers, max_leaves=20).filter(lambda n: n != "*a")
# Aliases appear only under a mapping that defines their anchors first (*a may also occur inside the
# definition of &a: a recursive alias), so that they resolve instead of failing as undefined.
_DOCUMENTS = st.tuples(st.sampled_from(_PROPERTIES), st.recursive(_LEAVES, _containers, max_leaves=30)).map(
    _with_property
) | st.tuples(_DEFINITIONS, _DEFINITIONS, _NODES).map(
    lambda parts: f"{{defs: [&a {parts[0]}, &b {parts[1]}], body: {parts[2]}}}"
)
_LIMITS = st.none() | st.builds(Limits, max_nodes=st.integers(1, 80), max_depth=st.integers(0, 8))


@settings(max_examples=600)
@given(_DOCUMENTS, _LIMITS)
def test_generated_documents_read_as_before(text: str, limits: Limits | None) -> None:
    _same(text, "yaml", limits)


@settings(max_examples=200)
@given(_DOCUMENTS, _LIMITS)
def test_generated_block_documents_read_as_before(text: str, limits: Limits | None) -> None:
    # The same graphs in block style, when PyYAML can write them, for positions across lines.
    try:
        block = yaml.safe_dump(yaml.safe_load(text), allow_unicode=True, default_flow_style=False)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return
    _same(block, "yaml", limits)


class _BlockMapping(list[tuple[str, Any]]):
    """Key/value pairs of a block mapping, duplicates kept."""


def _block_containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.lists(st.tuples(st.sampled_from(_KEYS), children), max_size=4).map(
        _BlockMapping
    )


def _render_block(node: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(node, str):
        return node + "\n"
    if not node:
        return ("{}" if isinstance(node, _BlockMapping) else "[]") + "\n"
    lines = []
    for entry in node:
        head, value = (f"{entry[0]}:", entry[1]) if isinstance(node, _BlockMapping) else ("-", entry)
        if isinstance(value, str) or not value:
            lines.append(f"{pad}{head} {_render_block(value)}")
        else:
            lines.append(f"{pad}{head}\n{_render_block(value, indent + 2)}")
    return "".join(lines)


@settings(max_examples=300)
@given(st.recursive(_LEAVES, _block_containers, max_leaves=30).filter(lambda n: not isinstance(n, str)), _LIMITS)
def test_generated_block_mappings_read_as_before(node: Any, limits: Limits | None) -> None:
    # Keys over several lines, so that a duplicate's first line differs from its own.
    _same(_render_block(node), "yaml", limits)


_JSON_KEYS = st.sampled_from(['"a"', '"a"', '"ID"', '"ＩＤ"', '"件名"', '"title"', '"\\u0031"', '"\\ud842\\udfb7"'])
# Surrogate escapes come in pairs here: a lone one is refused since #15 (text.lone_surrogate, see
# tests/hostile/test_inputs.py), which the reference reader predates.
_JSON_SCALARS = st.sampled_from(["1", "-0", "1e5", "2.5E-3", "true", "null", '"x"', '"\\ud83d\\ude00"', '"2020-05-25"'])


def _json_containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    array = st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    obj = st.lists(st.tuples(_JSON_KEYS, children), max_size=4).map(
        lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"
    )
    return array | obj


@settings(max_examples=300)
@given(st.recursive(_JSON_SCALARS, _json_containers, max_leaves=30), _LIMITS)
def test_generated_json_reads_as_before(text: str, limits: Limits | None) -> None:
    _same(text, "json", limits)


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@settings(max_examples=100)
@given(st.integers(1, 8), st.integers(1, 4), _LIMITS)
def test_alias_fans_read_as_before(levels: int, width: int, limits: Limits | None) -> None:
    _same(_bomb(levels, width), "yaml", limits)


def test_large_plain_document_over_the_node_limit() -> None:
    # No alias: the limit is found by the build, and the reported node is still the budget pass's.
    text = "items:\n" + "".join(f"  - [{i}, {i}]\n" for i in range(300))
    _same(text, "yaml", Limits(max_nodes=500))
    _same(text, "yaml", Limits(max_nodes=500, max_depth=1))


def test_scalar_tags_are_resolved_as_by_pyyaml() -> None:
    # The composer's shortcut for scalars no implicit resolver claims must give PyYAML's tags.
    plains = [*_SCALARS, "yes", "Off", "on", "n", "y", "-1", "+1", ".5", "-.inf", "<<", "12:30", "1:30:00"]
    plains += ["0b101", "0o17", "NaN", "Null", "TRUE", "ｙｅｓ", "１", "- x", "a b", "", "tag:yaml.org"]
    for plain in plains:
        text = f"- {plain}\n- '{plain}'\n" if "'" not in plain else f"- {plain}\n"
        _same(text)


# --- the shortcuts themselves --------------------------------------------------------------------------


def test_plain_documents_skip_the_budget_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(root: object, limit: int) -> None:
        raise AssertionError("the budget pass ran for a document without aliases")

    monkeypatch.setattr(tree_module, "_first_over_budget", unexpected)
    read_tree(SHINJUKU.read_text(encoding="utf-8"), str(SHINJUKU), key_map=_ja)


def test_alias_bomb_is_refused_before_building_much(monkeypatch: pytest.MonkeyPatch) -> None:
    built = 0
    build = tree_module._Builder.build

    def counting(self: Any, node: Any, path: Any, depth: int) -> Any:
        nonlocal built
        built += 1
        return build(self, node, path, depth)

    monkeypatch.setattr(tree_module._Builder, "build", counting)
    with pytest.raises(InputError) as info:
        read_tree(_bomb(9, 9), "doc.yaml")
    assert info.value.issues[0].key == "syntax.too_many_nodes"
    assert built < 100  # the fast walk stops at the first alias; the budget pass refuses the rest


def test_long_documents_read_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the size where the reader runs the budget pass first, as the old reader always did.
    long_value = "新宿区" * 1000
    text = "".join(f"k{i}: {long_value}\n" for i in range(100))
    assert len(text) > tree_module._FAST_WALK_MAX_CHARS
    _same(text)
    _same(text + "bad: !!set {a}\n")
    _same(text, limits=Limits(max_nodes=150))
    monkeypatch.setattr(tree_module, "_FAST_WALK_MAX_CHARS", 10)  # the same answers for short ones
    _same(SHINJUKU.read_text(encoding="utf-8"))
    _same(_bomb(9, 9))
    _same("a: {b: {c: 1}}\n", limits=Limits(max_depth=2))
