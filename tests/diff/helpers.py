"""Building changed copies of the Shinjuku plan for the diff tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from cases.casefiles import CASES, VARIANTS, apply_patch
from safeguard_check.diff.model import Change, PlanDiff

SHINJUKU = CASES / "shinjuku-2020-mynumber-card" / "declaration.yaml"


Row = tuple[str, str, str, str, object, object, str | None]


def base_tree() -> dict[str, Any]:
    """The Shinjuku declaration as a YAML tree."""
    tree: dict[str, Any] = yaml.safe_load(SHINJUKU.read_text(encoding="utf-8"))
    return tree


def variant_ops(name: str) -> list[dict[str, Any]]:
    """The patch operations of ``tests/data/variants/NAME.yaml``."""
    data = yaml.safe_load((VARIANTS / f"{name}.yaml").read_text(encoding="utf-8"))
    ops: list[dict[str, Any]] = data["patch"]
    return ops


def write(directory: Path, name: str, tree: dict[str, Any]) -> Path:
    """Write ``tree`` as YAML (one value per line, no folding) and return the path."""
    path = directory / name
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=100_000), encoding="utf-8")
    return path


def patched(directory: Path, name: str, ops: list[dict[str, Any]], tree: dict[str, Any] | None = None) -> Path:
    """``tree`` (the Shinjuku plan by default) patched with ``ops``, written to ``directory/name``."""
    return write(directory, name, apply_patch(tree if tree is not None else base_tree(), ops))


def reversed_lists(node: Any) -> Any:
    """``node`` with every list reversed, at every depth."""
    if isinstance(node, dict):
        return {k: reversed_lists(v) for k, v in node.items()}
    if isinstance(node, list):
        return [reversed_lists(v) for v in reversed(node)]
    return node


class _OneLineDumper(yaml.SafeDumper):
    """Every scalar on one line (multi-line text double-quoted with ``\\n``), so lines can be interleaved."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_OneLineDumper.add_representer(str, _str)


def reformatted(directory: Path, name: str) -> Path:
    """The Shinjuku plan written differently: every list reversed, Japanese keys for some sections, and a
    blank line and a comment line before every line plus a comment at the end of every line."""
    tree = reversed_lists(copy.deepcopy(base_tree()))
    aliases = {"parties": "当事者", "measures": "対策", "contracts": "契約"}
    tree = {aliases.get(k, k): v for k, v in tree.items()}
    text = yaml.dump(tree, Dumper=_OneLineDumper, allow_unicode=True, sort_keys=False, width=100_000)
    out: list[str] = []
    for n, line in enumerate(text.splitlines()):
        indent = line[: len(line) - len(line.lstrip())]
        out += ["", f"{indent}# コメント {n}", f"{line}  # 行末 {n}"]
    path = directory / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def rows(diff: PlanDiff | tuple[Change, ...]) -> list[Row]:
    """The changes as comparable tuples (entity, key, op, field, old, new, code), in the diff's order."""
    changes = diff.changes if isinstance(diff, PlanDiff) else diff
    return [(c.entity, c.key, c.op, c.field, c.old, c.new, c.code) for c in changes]


def deltas(diff: PlanDiff) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """The finding deltas as (status, rule, subject, missing codes)."""
    return {(f.status, f.rule_id, f.subject_id, tuple(m.code for m in f.missing)) for f in diff.findings}
