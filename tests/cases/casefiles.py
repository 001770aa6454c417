"""Reading `cases/`: real plans with expected findings, and variants patched from them.

A variant file (tests/data/variants/*.yaml — test fixtures, not plans `check` can run) names a base
declaration, a list of patch operations and the change in findings it must cause relative to the
base's expected findings. Paths address the YAML tree: `measures/@s1-principal-sys-7/codes` selects
the list item whose `id` is s1-principal-sys-7.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
VARIANTS = REPO / "tests" / "data" / "variants"

Key = tuple[str, str, tuple[str, ...]]


def finding_key(rule: str, subject: str, missing: list[str] | tuple[str, ...]) -> Key:
    """Identity of a finding for comparison: rule, subject, sorted missing codes."""
    return (rule, subject, tuple(sorted(missing)))


def read_expected(path: Path) -> set[Key]:
    """The `findings:` list of an expected-findings YAML file as a set of keys."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {finding_key(f["rule"], f["subject"], f.get("missing", [])) for f in data["findings"]}


def _step(node: Any, part: str) -> Any:
    if isinstance(node, list):
        if part.startswith("@"):
            for item in node:
                if isinstance(item, dict) and item.get("id") == part[1:]:
                    return item
            raise KeyError(f"no list item with id {part[1:]}")
        return node[int(part)]
    return node[part]


def apply_patch(tree: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """A patched deep copy of ``tree``; every op must apply (a stale patch is an error)."""
    out = copy.deepcopy(tree)
    for op in ops:
        parts = op["path"].split("/")
        parent = out
        for part in parts[:-1]:
            parent = _step(parent, part)
        last = parts[-1]
        kind = op["op"]
        if kind == "set":
            if isinstance(parent, list):
                parent[int(last)] = op["value"]
            else:
                parent[last] = op["value"]
        elif kind == "delete":
            if isinstance(parent, list):
                parent.remove(_step(parent, last))
            else:
                del parent[last]
        elif kind == "append":
            _step(parent, last).append(op["value"])
        elif kind == "remove_value":
            values = _step(parent, last)
            if op["value"] not in values:
                raise ValueError(f"{op['value']!r} not in {op['path']}")
            values.remove(op["value"])
        else:
            raise ValueError(f"unknown op {kind}")
    return out


@dataclass(frozen=True)
class Variant:
    """One defective (or fixed) variant of a real plan."""

    name: str
    base: Path
    expected_base: Path
    patch: list[dict[str, Any]]
    as_of: str | None
    added: set[Key]
    removed: set[Key]


def load_variants() -> list[Variant]:
    """Every variant under tests/data/variants, sorted by file name."""
    out = []
    for path in sorted((VARIANTS).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        base = (path.parent / data["base"]).resolve()
        exp = data["expected"]
        out.append(
            Variant(
                name=path.stem,
                base=base,
                expected_base=base.parent / "expected.yaml",
                patch=data["patch"],
                as_of=data.get("as_of"),
                added={finding_key(f["rule"], f["subject"], f.get("missing", [])) for f in exp.get("added", [])},
                removed={finding_key(f["rule"], f["subject"], f.get("missing", [])) for f in exp.get("removed", [])},
            )
        )
    return out
