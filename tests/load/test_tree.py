"""Tests for safeguard_check.load.tree: plain values with positions, and everything unsafe rejected."""

from __future__ import annotations

import json

import pytest

from safeguard_check.errors import InputError, InputIssue, render
from safeguard_check.load.tree import Limits, Position, read_tree


def _issue(text: str, fmt: str = "yaml", **kwargs: object) -> InputIssue:
    """The single issue ``read_tree`` raises for ``text``."""
    with pytest.raises(InputError) as info:
        read_tree(text, f"doc.{fmt}", fmt, **kwargs)  # type: ignore[arg-type]
    assert len(info.value.issues) == 1, info.value.issues
    issue = info.value.issues[0]
    assert issue.file == f"doc.{fmt}"
    return issue


# --- values and positions --------------------------------------------------------------------------

NESTED = """\
plan:
  title: 件名
  period:
    start: 令和2年5月25日
parties:
  - id: ward
    tasks: [a, b]
  -   id: jlis
      name: 機構
"""


def test_values_are_plain_python() -> None:
    value, _ = read_tree(NESTED, "doc.yaml")
    assert value == {
        "plan": {"title": "件名", "period": {"start": "令和2年5月25日"}},
        "parties": [{"id": "ward", "tasks": ["a", "b"]}, {"id": "jlis", "name": "機構"}],
    }


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        ((), 1, 1),
        (("plan",), 1, 1),
        (("plan", "title"), 2, 3),
        (("plan", "period"), 3, 3),
        (("plan", "period", "start"), 4, 5),
        (("parties",), 5, 1),
        (("parties", 0), 6, 5),  # a list item is where its value starts, after "- "
        (("parties", 0, "id"), 6, 5),
        (("parties", 0, "tasks"), 7, 5),
        (("parties", 0, "tasks", 0), 7, 13),
        (("parties", 0, "tasks", 1), 7, 16),
        (("parties", 1), 8, 7),
        (("parties", 1, "name"), 9, 7),
    ],
)
def test_positions_are_one_based(path: tuple[str | int, ...], line: int, column: int) -> None:
    _, smap = read_tree(NESTED, "doc.yaml")
    assert smap.positions[path] == Position(line, column)
    assert smap.file == "doc.yaml"


def test_locate_falls_back_to_nearest_ancestor() -> None:
    _, smap = read_tree(NESTED, "doc.yaml")
    assert smap.locate(("plan", "period", "end")) == Position(3, 3)
    assert smap.locate(("parties", 1, "role", "x")) == Position(8, 7)
    assert smap.locate(("nowhere",)) == Position(1, 1)


def test_aliases_are_expanded_and_keep_the_anchor_position() -> None:
    value, smap = read_tree("a: &x [1, 2]\nb: *x\n", "doc.yaml")
    assert value == {"a": [1, 2], "b": [1, 2]}
    assert smap.positions[("b",)] == Position(2, 1)
    assert smap.positions[("b", 1)] == Position(1, 11)


def test_keys_are_nfkc_normalised() -> None:
    value, smap = read_tree("ｔｉｔｌｅ: x\n　ＩＤ　: y\n", "doc.yaml")
    assert value == {"title": "x", "ID": "y"}
    assert smap.positions[("ID",)] == Position(2, 1)


def test_scalars_follow_yaml_core_types() -> None:
    value, _ = read_tree("a: 1\nb: 1.5\nc: true\nd: null\ne: '1'\nf: 2020-05-25\n", "doc.yaml")
    assert value["a"] == 1 and value["b"] == 1.5 and value["c"] is True and value["d"] is None
    assert value["e"] == "1"
    assert str(value["f"]) == "2020-05-25"


# --- duplicate keys --------------------------------------------------------------------------------


def test_duplicate_top_level_key() -> None:
    issue = _issue("title: a\nplan: {}\ntitle: b\n")
    assert issue.key == "syntax.duplicate_key"
    assert (issue.line, issue.column) == (3, 1)
    assert issue.params == {"key": "title", "first_line": 1}


def test_duplicate_nested_key() -> None:
    issue = _issue("plan:\n  title: a\n  department: x\n  title: b\n")
    assert issue.key == "syntax.duplicate_key"
    assert (issue.line, issue.column) == (4, 3)
    assert issue.params["first_line"] == 2
    assert issue.path == ("plan",)


def test_duplicate_key_in_list_item_mapping() -> None:
    issue = _issue("parties:\n  - id: a\n    name: x\n    id: b\n")
    assert issue.key == "syntax.duplicate_key"
    assert (issue.line, issue.params["first_line"]) == (4, 2)
    assert issue.path == ("parties", 0)


def test_duplicate_after_nfkc() -> None:
    issue = _issue("ＩＤ: 1\nID: 2\n")
    assert issue.key == "syntax.duplicate_key"
    assert issue.params == {"key": "ID", "first_line": 1}


def test_same_key_in_different_mappings_is_fine() -> None:
    value, _ = read_tree("a: {id: 1}\nb: {id: 2}\n", "doc.yaml")
    assert value == {"a": {"id": 1}, "b": {"id": 2}}


def test_duplicate_key_renders_both_lines_in_both_languages() -> None:
    issue = _issue("title: a\ntitle: b\n")
    ja, en = render(issue, "ja"), render(issue, "en")
    assert ja.startswith("doc.yaml:2:1:") and en.startswith("doc.yaml:2:1:")
    assert "title" in ja and "1" in ja
    assert "duplicate key 'title' (first at line 1)" in en
    assert ja != en


# --- unsafe or unsupported YAML --------------------------------------------------------------------


def test_merge_key_rejected() -> None:
    issue = _issue("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert issue.key == "syntax.merge_key"
    assert (issue.line, issue.column) == (3, 3)
    assert issue.path == ("other",)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object:os.system {}\n", "tag:yaml.org,2002:python/object:os.system"),
        ("a: !!python/object/apply:os.system [ls]\n", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("a: !!python/name:os.system ''\n", "tag:yaml.org,2002:python/name:os.system"),
        ("a: !!set {x, y}\n", "tag:yaml.org,2002:set"),
        ("a: !!omap [b: 1]\n", "tag:yaml.org,2002:omap"),
        ("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary"),
        ("a: !custom x\n", "!custom"),
    ],
)
def test_tags_rejected(text: str, tag: str) -> None:
    issue = _issue(text)
    assert issue.key == "syntax.tag"
    assert issue.params == {"tag": tag}
    assert (issue.line, issue.column) == (1, 4)


def test_tag_on_nested_value_is_located() -> None:
    issue = _issue("plan:\n  parties:\n    - !!set {a}\n")
    assert issue.key == "syntax.tag"
    assert (issue.line, issue.column) == (3, 7)
    assert issue.path == ("plan", "parties", 0)


def test_harmless_standard_tags_accepted() -> None:
    value, _ = read_tree("a: !!str 1\nb: !!map {c: !!int '2'}\n", "doc.yaml")
    assert value == {"a": "1", "b": {"c": 2}}


@pytest.mark.parametrize(
    ("text", "found", "column"),
    [
        ("1: x\n", "1", 1),
        ("null: x\n", "null", 1),
        ("yes: x\n", "yes", 1),
        ("2020-05-25: x\n", "2020-05-25", 1),
        ("? [a]\n: x\n", "SequenceNode", 3),
        ("? {a: 1}\n: x\n", "MappingNode", 3),
    ],
)
def test_non_string_keys_rejected(text: str, found: str, column: int) -> None:
    issue = _issue(text)
    assert issue.key == "syntax.non_string_key"
    assert issue.params == {"found": found}
    assert (issue.line, issue.column) == (1, column)


def test_quoted_number_key_is_a_string() -> None:
    value, _ = read_tree("'1': x\n", "doc.yaml")
    assert value == {"1": "x"}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n# a\n\n"])
def test_empty_document(text: str) -> None:
    issue = _issue(text)
    assert issue.key == "syntax.empty"
    assert (issue.line, issue.column) == (1, 1)


@pytest.mark.parametrize("text", ["---\n", "---\n...\n", "~\n", "null\n"])
def test_explicit_empty_document_is_empty(text: str) -> None:
    # A document holding only null says nothing: report it as empty, like an empty file.
    with pytest.raises(InputError) as info:
        read_tree(text, "doc.yaml")
    assert info.value.issues[0].key == "syntax.empty"


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\n---\nb: 2\n", 3), ("---\na: 1\n...\n---\nb: 2\n", 5), ("a: 1\n--- x\n", 2)],
)
def test_two_documents(text: str, line: int) -> None:
    issue = _issue(text)
    assert issue.key == "syntax.multiple_documents"
    assert issue.line == line


def test_yaml_syntax_error_is_located() -> None:
    issue = _issue("plan:\n  title: [unclosed\n  department: x\n")
    assert issue.key == "syntax.yaml"
    assert issue.line is not None and issue.line >= 2
    assert issue.column is not None
    assert issue.params["detail"]


def test_tab_indentation_is_a_located_syntax_error() -> None:
    issue = _issue("a:\n\t- b\n")
    assert issue.key == "syntax.yaml"
    assert (issue.line, issue.column) == (2, 1)


def test_control_character_is_located() -> None:
    issue = _issue("a: 1\nb: x\x07y\n")
    assert issue.key == "syntax.yaml"
    assert (issue.line, issue.column) == (2, 5)


# --- resource limits -------------------------------------------------------------------------------


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        prev, name = names[level - 1], names[level]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_rejected() -> None:
    # 9 ** 9 ≈ 387 million nodes once expanded; the node budget stops it long before that.
    issue = _issue(_billion_laughs())
    assert issue.key == "syntax.too_many_nodes"
    assert issue.params == {"limit": Limits().max_nodes}
    assert issue.line is not None


def test_node_limit_applies_to_plain_documents_too() -> None:
    text = "items: [" + ", ".join(str(i) for i in range(50)) + "]\n"
    issue = _issue(text, limits=Limits(max_nodes=20))
    assert issue.key == "syntax.too_many_nodes"
    assert issue.params == {"limit": 20}
    read_tree(text, "doc.yaml", limits=Limits(max_nodes=52))  # root + key value list + 50 items


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100 + "]" * 100 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "x\n",
        "".join("  " * i + "- \n" for i in range(99)) + "  " * 99 + "- x\n",
    ],
    ids=["flow", "block-mapping", "block-sequence"],
)
def test_nesting_100_deep_rejected(text: str) -> None:
    issue = _issue(text)
    assert issue.key == "syntax.too_deep"
    assert issue.params == {"limit": Limits().max_depth}
    assert issue.line is not None


def test_nesting_at_the_limit_accepted() -> None:
    depth = Limits().max_depth  # the root is depth 0
    value, _ = read_tree("[" * (depth + 1) + "]" * (depth + 1), "doc.yaml")
    assert isinstance(value, list)
    issue = _issue("[" * (depth + 2) + "]" * (depth + 2))
    assert issue.key == "syntax.too_deep"


def test_custom_depth_limit() -> None:
    issue = _issue("a: {b: {c: 1}}\n", limits=Limits(max_depth=2))
    assert issue.key == "syntax.too_deep"
    assert issue.path == ("a", "b", "c")


# --- JSON ------------------------------------------------------------------------------------------


def test_json_syntax_error_is_located() -> None:
    issue = _issue('{\n  "a": 1,\n  "b": [1, 2,]\n}\n', "json")
    assert issue.key == "syntax.json"
    # CPython ≤ 3.12 points after the trailing comma ("Expecting value"); 3.13 at the comma itself
    # ("Illegal trailing comma before end of array"). Both name the right place.
    assert issue.line == 3 and issue.column in (13, 14)
    assert issue.params["detail"] in ("Expecting value", "Illegal trailing comma before end of array")


def test_json_missing_comma_is_located() -> None:
    issue = _issue('{\n  "a": 1\n  "b": 2\n}\n', "json")
    assert issue.key == "syntax.json"
    assert (issue.line, issue.column) == (3, 3)


def test_json_positions() -> None:
    text = '{\n  "plan": {"title": "x"},\n  "parties": [\n    {"id": "ward"},\n    {"id": "jlis"}\n  ]\n}\n'
    value, smap = read_tree(text, "doc.json", "json")
    assert value == json.loads(text)
    assert smap.positions[("plan",)] == Position(2, 3)
    assert smap.positions[("plan", "title")] == Position(2, 12)
    assert smap.positions[("parties", 0)] == Position(4, 5)
    assert smap.positions[("parties", 1, "id")] == Position(5, 6)


def test_json_duplicate_key() -> None:
    issue = _issue('{\n  "a": 1,\n  "a": 2\n}\n', "json")
    assert issue.key == "syntax.duplicate_key"
    assert (issue.line, issue.params["first_line"]) == (3, 2)


def test_json_empty_is_a_syntax_error() -> None:
    assert _issue("", "json").key == "syntax.json"


def test_json_very_deep_nesting() -> None:
    issue = _issue("[" * 100_000 + "]" * 100_000, "json")
    assert issue.key == "syntax.too_deep"


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1,"b":[1,2]}',
        '{\t"a":\t"x\\/y"}',
        json.dumps({"a": "新宿\u3000区", "b": None, "c": True, "d": 2.5}),
        json.dumps({"a": "新宿\u3000区"}, ensure_ascii=False),
    ],
)
def test_json_values_match_the_json_module(text: str) -> None:
    value, _ = read_tree(text, "doc.json", "json")
    assert value == json.loads(text)


def test_json_surrogate_pair_escape() -> None:
    text = json.dumps({"name": "𠮷野家"})  # {"name": "\ud842\udfb7\u91ce\u5bb6"}
    value, _ = read_tree(text, "doc.json", "json")
    assert value == {"name": "𠮷野家"}


def test_json_exponent_numbers() -> None:
    text = '{"a": 1e5, "b": 2.5E-3}'
    value, _ = read_tree(text, "doc.json", "json")
    assert value == {"a": 100000.0, "b": 0.0025}


# --- key_map ---------------------------------------------------------------------------------------

ALIASES = {"件名": "title", "計画": "plan"}


def _key_map(key: str) -> str:
    return ALIASES.get(key, key)


def test_key_map_renames_keys_at_every_level() -> None:
    value, smap = read_tree("計画:\n  件名: x\nlist:\n  - 件名: y\n", "doc.yaml", key_map=_key_map)
    assert value == {"plan": {"title": "x"}, "list": [{"title": "y"}]}
    assert smap.positions[("plan", "title")] == Position(2, 3)
    assert smap.positions[("list", 0, "title")] == Position(4, 5)


def test_key_map_sees_nfkc_keys() -> None:
    seen: list[str] = []

    def record(key: str) -> str:
        seen.append(key)
        return key

    read_tree("ｔｉｔｌｅ: x\n", "doc.yaml", key_map=record)
    assert seen == ["title"]


def test_duplicate_after_renaming() -> None:
    issue = _issue("plan:\n  件名: x\n  title: y\n", key_map=_key_map)
    assert issue.key == "syntax.duplicate_key"
    assert issue.params == {"key": "title", "first_line": 2}
    assert (issue.line, issue.column) == (3, 3)


def test_duplicate_after_renaming_reverse_order() -> None:
    issue = _issue("title: y\n件名: x\n", key_map=_key_map)
    assert issue.key == "syntax.duplicate_key"
    assert issue.params == {"key": "title", "first_line": 1}
    assert issue.line == 2
