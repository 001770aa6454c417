"""Read YAML or JSON text into plain Python values, remembering where every value stands.

PyYAML's safe *composer* (the C one when present) builds a node graph without constructing any
object; this module turns nodes into dicts, lists and scalars itself. That is where the checks live
that ``safe_load`` does not make: duplicate keys (YAML silently keeps the last), tags, merge keys,
non-string keys, alias explosions and runaway nesting. Each value's position is kept in a
:class:`SourceMap` under its path (``("parties", 2, "name")``) so errors and findings can point at it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.normalize import normalize_text

Path = tuple[str | int, ...]

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_SCALAR_TAGS = frozenset("tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_INT_TAG = "tag:yaml.org,2002:int"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_new_object = object.__new__
_FAST_WALK_MAX_CHARS = 256 * 1024
MAX_INT_DIGITS = 4300
"""The most decimal digits an integer in an input may have: CPython's default limit for converting
between ``int`` and decimal text (``sys.get_int_max_str_digits``), fixed here so that the answer does
not depend on ``PYTHONINTMAXSTRDIGITS``. Larger numbers would crash whatever prints them."""
_INT_CEILING = 10**MAX_INT_DIGITS
# A YAML integer written in another base or in base 60 (1:30:00) is built by arithmetic; beyond this
# many characters it cannot fit under the ceiling in any form (binary needs the most: 14,284 digits),
# and refusing it before construction keeps the arithmetic from running on megabytes of digits.
_MAX_INT_TEXT = 4 * MAX_INT_DIGITS
_JSON_LONG_INT = re.compile(rf"(?<=[\[:,\s])-?[0-9]{{{MAX_INT_DIGITS + 1},}}")
_JSON_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|u[dD][c-fC-F][0-9a-fA-F]{2}|.)",
    re.DOTALL,
)
"""Longer texts are read in the two passes' order (see :func:`_build`); real plans are about 50 KB."""


class _PlainComposer(_Composer):  # type: ignore[misc,valid-type]
    """The safe composer, with the tag resolution it calls for every node made cheaper.

    PyYAML's ``resolve`` (Python, called by the C composer for each node) builds the list of implicit
    resolvers for the scalar's first character before matching any; most values of a plan start with
    a character no resolver claims (Japanese text, letters other than y/n/t/f/o), so they are plain
    strings. Only used while no path resolver and no catch-all resolver is registered (PyYAML
    supports both; nothing here registers them), so every node gets the tag the base class gives it.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # Plain scalars that a resolver may claim (codes, names, yes/no …) repeat; the tag of a plain
        # scalar depends on its text alone.
        self.plain_tags: dict[str, str] = {}

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in self.yaml_implicit_resolvers):
                tag = self.plain_tags.get(value)
                if tag is None:
                    tag = self.plain_tags[value] = str(super().resolve(kind, value, implicit))
                return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _composer() -> type[Any]:
    if _Composer.yaml_path_resolvers or None in _Composer.yaml_implicit_resolvers:
        return _Composer
    return _PlainComposer


class RawInt(int):
    """An int that remembers the text it was written as (``raw``)."""

    raw: str


class RawFloat(float):
    """A float that remembers the text it was written as (``raw``)."""

    raw: str


@dataclass(frozen=True)
class Position:
    """1-based line and column."""

    line: int
    column: int


@dataclass
class SourceMap:
    """Where each path of a document starts in its file."""

    file: str
    positions: dict[Path, Position] = field(default_factory=dict)

    def locate(self, path: Path) -> Position | None:
        """Position of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            pos = self.positions.get(probe)
            if pos is not None or not probe:
                return pos
            probe = probe[:-1]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_nodes: int = 200_000
    max_depth: int = 64


class _SharedNode(Exception):
    """The fast walk met a collection node a second time (an alias): the document needs the careful path."""


class _Builder:
    """Builds plain values from the composed graph, checking every node on the way.

    ``fast`` walks assume the graph is a tree: the node and depth limits are checked inline instead of
    sizing the whole graph first, and meeting a mapping or sequence twice (an alias, hence a possible
    alias bomb or cycle) aborts with :class:`_SharedNode` so that :func:`read_tree` can take the
    careful path (:func:`_first_over_budget`, then a walk that expands aliases). Both walks visit
    nodes in the same order and raise the same issues.
    """

    def __init__(self, file: str, limits: Limits, key_map: Callable[[str], str], *, fast: bool) -> None:
        self.file = file
        self.max_nodes = limits.max_nodes
        self.max_depth = limits.max_depth
        self.key_map = key_map
        self.positions: dict[Path, Position] = {}
        self.nodes = 0
        self.seen: set[int] | None = set() if fast else None
        # Raw key → renamed key: a plan repeats a few dozen keys hundreds of times, and NFKC is not free.
        # key_map is a pure renaming, so calling it once per distinct key gives the same result.
        self.keys: dict[str, str] = {}
        self.constructor: SafeConstructor | None = None

    def fail(self, node: Node, message_key: str, path: Path = (), **params: object) -> InputError:
        mark = node.start_mark
        return InputError([InputIssue(self.file, mark.line + 1, mark.column + 1, message_key, dict(params), path)])

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.fail(node, "syntax.too_many_nodes", path, limit=self.max_nodes)
        if depth > self.max_depth:
            raise self.fail(node, "syntax.too_deep", path, limit=self.max_depth)
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag == _STR_TAG:
                return node.value
            return self._scalar(node, path)
        if self.seen is not None:
            if id(node) in self.seen:
                raise _SharedNode
            self.seen.add(id(node))
        depth += 1
        positions = self.positions
        if cls is MappingNode:
            if node.tag != _MAP_TAG:
                raise self.fail(node, "syntax.tag", path, tag=node.tag)
            out: dict[str, Any] = {}
            keys = self.keys
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode or key_node.tag != _STR_TAG:
                    raise self._bad_key(key_node, path)
                raw = key_node.value
                name = keys.get(raw)
                if name is None:
                    name = keys[raw] = self.key_map(normalize_text(raw))
                if name in out:
                    raise self._duplicate(node, key_node, name, path)
                mark = key_node.start_mark
                child = (*path, name)
                positions[child] = _position(mark.line + 1, mark.column + 1)
                out[name] = self.build(value_node, child, depth)
            return out
        if node.tag != _SEQ_TAG:
            raise self.fail(node, "syntax.tag", path, tag=node.tag)
        items = []
        for index, item in enumerate(node.value):
            mark = item.start_mark
            item_path = (*path, index)
            positions[item_path] = _position(mark.line + 1, mark.column + 1)
            items.append(self.build(item, item_path, depth))
        return items

    def _scalar(self, node: Node, path: Path) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self.fail(node, "syntax.tag", path, tag=node.tag)
        if node.tag == _TIMESTAMP_TAG:
            # Keep the text: the model parses dates itself (ISO and 和暦 alike), so an impossible
            # date such as 2020-02-30 becomes a located schema error instead of a crash here.
            return node.value
        if node.tag == _INT_TAG and _too_long_int_text(node.value):
            raise self.fail(node, "number.too_many_digits", path, limit=MAX_INT_DIGITS)
        if self.constructor is None:
            self.constructor = SafeConstructor()
        value = self.constructor.construct_object(node, deep=True)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if isinstance(value, int) and not -_INT_CEILING < value < _INT_CEILING:
            # Hexadecimal, octal, binary or base 60: short to write, too long to print in decimal.
            raise self.fail(node, "number.too_many_digits", path, limit=MAX_INT_DIGITS)
        # Remember how a number was written: in a text field `0120` must stay "0120", not "80".
        raw = RawInt(value) if isinstance(value, int) else RawFloat(value)
        raw.raw = node.value
        return raw

    def _bad_key(self, key_node: Node, path: Path) -> InputError:
        if key_node.tag == _MERGE_TAG:
            return self.fail(key_node, "syntax.merge_key", path)
        found = key_node.value if isinstance(key_node, ScalarNode) else type(key_node).__name__
        return self.fail(key_node, "syntax.non_string_key", path, found=found)

    def _duplicate(self, node: Node, key_node: Node, name: str, path: Path) -> InputError:
        # The first spelling is looked up only now: remembering every key's line costs more than this.
        first_line = next(k.start_mark.line + 1 for k, _ in node.value if self.keys[k.value] == name)
        return self.fail(key_node, "syntax.duplicate_key", path, key=name, first_line=first_line)


def _position(line: int, column: int) -> Position:
    # Position's dataclass __init__ sets each field through object.__setattr__ (it is frozen); writing
    # the instance dict directly makes the same object in about 70 % of the time, once per value.
    pos = _new_object(Position)
    fields = pos.__dict__
    fields["line"] = line
    fields["column"] = column
    return pos


def _too_long_int_text(text: str) -> bool:
    """Whether a YAML integer's text is sure to exceed :data:`MAX_INT_DIGITS` (or cannot be converted)."""
    digits = text.replace("_", "").lstrip("+-")
    if len(digits) > _MAX_INT_TEXT:
        return True
    # Plain decimal: exactly what int() would refuse (PyYAML reads a leading 0 as octal, ":" as base 60).
    return len(digits) > MAX_INT_DIGITS and digits[:1] != "0" and ":" not in digits


_DIGIT_RUN = re.compile(r"\d[\d,，]*")


def long_digit_run(text: str) -> tuple[int, int, int] | None:
    """(line, column, digits) of the first run of more than :data:`MAX_INT_DIGITS` digits in ``text``.

    For prose (a council document), where a number may be written with thousands separators
    (「347,542人」) and is later read with ``int``: such a run would crash whatever converts it.
    Each run is matched once, without backtracking, so the scan is linear.
    """
    for m in _DIGIT_RUN.finditer(text):
        run = m.group()
        if len(run) <= MAX_INT_DIGITS:
            continue
        digits = len(run) - run.count(",") - run.count("，")
        if digits > MAX_INT_DIGITS:
            line, column = _line_col(text, m.start())
            assert line is not None and column is not None
            return line, column, digits
    return None


def _pos(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def read_tree(
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
        documents = list(yaml.compose_all(compose_text, Loader=_composer()))
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
    value, positions = _build(documents[0], file, limits, key_map, careful=len(compose_text) > _FAST_WALK_MAX_CHARS)
    if json_value is not None:
        value = _rekey(json_value, key_map, file)
    return value, SourceMap(file, positions)


def _build(
    root: Node, file: str, limits: Limits, key_map: Callable[[str], str], *, careful: bool
) -> tuple[Any, dict[Path, Position]]:
    """Plain values and positions for ``root``, or the first issue of the two-pass reading.

    The reading is defined as: refuse the document when :func:`_first_over_budget` finds an
    exploding node, else build it, expanding aliases. When no mapping or sequence is reached twice
    (no alias to one: every real plan), the build counts exactly the sizes that pass computes, so the
    pass can refuse only a document the build itself runs over the node limit on. It is then skipped
    (it cost as much as the build) and consulted only when the build fails, because its verdict
    would have come first. A shared mapping or sequence stops the fast walk and the two passes run in
    order; so do they for a ``careful`` (huge) document, where building up to the node limit before
    the pass refuses it would waste time and memory.
    """
    if not careful:
        builder = _Builder(file, limits, key_map, fast=True)
        builder.positions[()] = _pos(root)
        try:
            return builder.build(root, (), 0), builder.positions
        except _SharedNode:
            pass
        except Exception:
            # Whatever stopped the build, the budget pass would have spoken first.
            exploding = _first_over_budget(root, limits.max_nodes)
            if exploding is not None:
                raise builder.fail(exploding, "syntax.too_many_nodes", limit=limits.max_nodes) from None
            raise
    builder = _Builder(file, limits, key_map, fast=False)
    exploding = _first_over_budget(root, limits.max_nodes)
    if exploding is not None:  # an alias bomb: refused before anything is built
        raise builder.fail(exploding, "syntax.too_many_nodes", limit=limits.max_nodes)
    builder.positions[()] = _pos(root)
    return builder.build(root, (), 0), builder.positions


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
        value = json.loads(text, object_pairs_hook=_pairs, parse_int=_json_int)
    except _LongInt:
        line, column = _first_long_int(text)
        raise InputError(
            [InputIssue(file, line, column, "number.too_many_digits", {"limit": MAX_INT_DIGITS})]
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError([InputIssue(file, exc.lineno, exc.colno, "syntax.json", {"detail": exc.msg})]) from None
    except RecursionError:
        raise InputError([InputIssue(file, 1, 1, "syntax.too_deep", {"limit": Limits().max_depth})]) from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(text, file)
    return value


class _LongInt(Exception):
    """A JSON integer longer than :data:`MAX_INT_DIGITS` (the json module would raise a bare ValueError)."""


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInt
    return int(text)


def _first_long_int(text: str) -> tuple[int | None, int | None]:
    # The json module does not say where; the first run of that many digits standing where a value
    # starts is it (a string made only of digits would need a quote before it).
    m = _JSON_LONG_INT.search(text)
    return _line_col(text, m.start()) if m else (None, None)


def _refuse_lone_surrogates(text: str, file: str) -> None:
    """Refuse ``\\uD800``-style escapes that are not half of a surrogate pair.

    The json module turns them into lone surrogates, which no encoding can write: every report
    format would crash on them, or print invalid UTF-8. A pair (an emoji written as two escapes)
    is one character and is accepted. Escaped backslashes are consumed first, so ``\\\\ud800`` (a
    backslash, then the letters ``ud800``) is text, not an escape.
    """
    for m in _JSON_ESCAPE.finditer(text):
        escape = m.group(0)
        if len(escape) != 6:
            continue  # another escape (2 characters), or a high surrogate and its low half (12)
        line, column = _line_col(text, m.start())
        raise InputError([InputIssue(file, line, column, "text.lone_surrogate", {"escape": escape})])


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
