"""The YAML/JSON reader as it was before the single-walk rewrite of ``load/tree.py``: the oracle.

A copy of the two-pass algorithm (``_first_over_budget`` over the whole composed graph, then
a build that expands aliases, with PyYAML's own resolver and ``unicodedata`` NFKC), kept so that
``test_tree_equivalence.py`` can check that the faster reader accepts, builds, locates and refuses
exactly as this one did. It shares only the value classes (``Position``, ``SourceMap``, ``RawInt`` …)
with the real module. Do not "fix" it: it is the specification of the behaviour being preserved.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.tree import Limits, Path, Position, RawFloat, RawInt, SourceMap

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = frozenset("tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def normalize_text(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip(string.whitespace)


class _Builder:
    def __init__(self, file: str, limits: Limits, key_map: Callable[[str], str]) -> None:
        self.file = file
        self.limits = limits
        self.key_map = key_map
        self.smap = SourceMap(file)
        self.nodes = 0
        self.constructor = SafeConstructor()

    def fail(self, node: Node, message_key: str, path: Path = (), **params: object) -> InputError:
        mark = node.start_mark
        return InputError([InputIssue(self.file, mark.line + 1, mark.column + 1, message_key, dict(params), path)])

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.fail(node, "syntax.too_many_nodes", path, limit=self.limits.max_nodes)
        if depth > self.limits.max_depth:
            raise self.fail(node, "syntax.too_deep", path, limit=self.limits.max_depth)
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, "syntax.tag", path, tag=node.tag)
            out = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                self.smap.positions[item_path] = _pos(item)
                out.append(self.build(item, item_path, depth + 1))
            return out
        assert isinstance(node, ScalarNode)
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, "syntax.tag", path, tag=node.tag)
        if node.tag == _TIMESTAMP_TAG:
            # Keep the text: the model parses dates itself (ISO and 和暦 alike), so an impossible
            # date such as 2020-02-30 becomes a located schema error instead of a crash here.
            return node.value
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        # Remember how a number was written: in a text field `0120` must stay "0120", not "80".
        raw = RawInt(value) if isinstance(value, int) else RawFloat(value)
        raw.raw = node.value
        return raw

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(node, "syntax.tag", path, tag=node.tag)
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self.fail(key_node, "syntax.merge_key", path)
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                found = key_node.value if isinstance(key_node, ScalarNode) else type(key_node).__name__
                raise self.fail(key_node, "syntax.non_string_key", path, found=found)
            key = self.key_map(normalize_text(key_node.value))
            if key in out:
                raise self.fail(key_node, "syntax.duplicate_key", path, key=key, first_line=first_line[key])
            first_line[key] = key_node.start_mark.line + 1
            child = (*path, key)
            self.smap.positions[child] = _pos(key_node)
            out[key] = self.build(value_node, child, depth + 1)
        return out


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def reference_read_tree(
    text: str,
    file: str,
    fmt: Literal["yaml", "json"] = "yaml",
    *,
    limits: Limits | None = None,
    key_map: Callable[[str], str] = lambda k: k,
) -> tuple[Any, SourceMap]:
    """Parse ``text`` (YAML or JSON) into plain values and a :class:`SourceMap`.

    ``key_map`` renames mapping keys (after NFKC), e.g. Japanese aliases to field names; duplicate
    detection happens after renaming so ``件名`` and ``title`` in one mapping are caught.
    Raises :class:`InputError` with a located issue for anything that is not a single, plain,
    safe document.

    JSON values come from the json module (YAML 1.1 misreads some JSON: ``1e5`` as text, surrogate
    escapes as errors); the YAML composer still runs over it for positions and duplicate keys, with
    surrogate escapes replaced by a placeholder of the same length so columns do not move.
    """
    limits = limits or Limits()
    json_value: Any = None
    compose_text = text
    if fmt == "json":
        json_value = _parse_json(text, file)
        compose_text = _SURROGATE_ESCAPE.sub(lambda _: "\\u3013", text)
    try:
        documents = list(yaml.compose_all(compose_text, Loader=_Composer))
    except yaml.MarkedYAMLError as exc:
        if json_value is not None:
            _check_limits(json_value, limits, file)
            return _rekey(json_value, key_map, file), SourceMap(file, {(): Position(1, 1)})
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(p for p in (exc.context, exc.problem) if p)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError([InputIssue(file, line, col, "syntax.yaml", {"detail": detail})]) from None
    except yaml.YAMLError as exc:  # reader errors (e.g. control characters) carry an offset
        if json_value is not None:
            _check_limits(json_value, limits, file)
            return _rekey(json_value, key_map, file), SourceMap(file, {(): Position(1, 1)})
        position = getattr(exc, "position", None)
        if position is not None and _Composer is not yaml.SafeLoader:
            # libyaml's reader counts bytes of the UTF-8 text, not characters.
            position = len(compose_text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
        line, col = _line_col(text, position)
        raise InputError([InputIssue(file, line, col, "syntax.yaml", {"detail": str(exc).splitlines()[0]})]) from None
    documents = [d for d in documents if not _is_null(d)]
    if not documents:
        raise InputError([InputIssue(file, 1, 1, "syntax.empty")])
    if len(documents) > 1:
        mark = documents[1].start_mark
        raise InputError([InputIssue(file, mark.line + 1, mark.column + 1, "syntax.multiple_documents")])
    builder = _Builder(file, limits, key_map)
    root = documents[0]
    exploding = _first_over_budget(root, limits.max_nodes)
    if exploding is not None:  # an alias bomb: refused before anything is built
        raise builder.fail(exploding, "syntax.too_many_nodes", limit=limits.max_nodes)
    builder.smap.positions[()] = _pos(root)
    value = builder.build(root, (), 0)
    if json_value is not None:
        value = _rekey(json_value, key_map, file)
    return value, builder.smap


def _first_over_budget(root: Node, limit: int) -> Node | None:
    """The first node (in post-order) whose expansion would build more than ``limit`` nodes.

    Counts as :class:`_Builder` does (a node, its mapping values and its sequence items; aliases
    expanded each time they are used), but over the composed graph, where an alias is one shared
    node: each node is sized once, so a billion-laughs document of a few hundred bytes is refused in
    microseconds instead of after building ``limit`` nodes. A recursive alias is left to the depth limit.
    """
    size: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            in_progress.discard(key)
            total = 1 + sum(size.get(id(child), 0) for child in _children(node))
            if total > limit:
                return node
            size[key] = total
        elif key not in size and key not in in_progress:
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    return None


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null")


def _line_col(text: str, position: int | None) -> tuple[int | None, int | None]:
    if position is None:
        return None, None
    position = min(position, len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


def _parse_json(text: str, file: str) -> Any:
    # The json module names JSON mistakes (trailing commas …) in JSON's own terms. Duplicate keys
    # are left to the YAML pass, which knows their lines; `_rekey` still refuses them if that pass
    # could not run.
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise InputError([InputIssue(file, exc.lineno, exc.colno, "syntax.json", {"detail": exc.msg})]) from None
    except RecursionError:
        raise InputError([InputIssue(file, 1, 1, "syntax.too_deep", {"limit": Limits().max_depth})]) from None


def _check_limits(value: Any, limits: Limits, file: str) -> None:
    """The node and depth limits for a JSON value the YAML pass could not position.

    libyaml refuses nesting beyond 1000 levels, while the json module (since CPython 3.13) accepts much
    deeper documents; without this check `_rekey` would then recurse past Python's limit.
    """
    nodes = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise InputError([InputIssue(file, 1, 1, "syntax.too_many_nodes", {"limit": limits.max_nodes})])
        if depth > limits.max_depth:
            raise InputError([InputIssue(file, 1, 1, "syntax.too_deep", {"limit": limits.max_depth})])
        if isinstance(node, _Pairs):
            stack.extend((item, depth + 1) for _, item in node)
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)


class _Pairs(list[tuple[str, Any]]):
    """Key/value pairs of a JSON object, kept in order with duplicates (for `_rekey` to judge)."""


def _pairs(items: list[tuple[str, Any]]) -> _Pairs:
    return _Pairs(items)


def _rekey(value: Any, key_map: Callable[[str], str], file: str) -> Any:
    if isinstance(value, _Pairs):
        out: dict[str, Any] = {}
        for key, item in value:
            new = key_map(normalize_text(key))
            if new in out:
                raise InputError(
                    [InputIssue(file, None, None, "syntax.duplicate_key", {"key": new, "first_line": "?"})]
                )
            out[new] = _rekey(item, key_map, file)
        return out
    if isinstance(value, list):
        return [_rekey(item, key_map, file) for item in value]
    return value
