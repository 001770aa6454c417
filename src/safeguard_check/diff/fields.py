"""A part of a plan as flat, comparable fields: ``{"period.start": "2020-05-25", "tasks": (…), …}``.

Nested objects become dotted names; lists of codes or ids become sorted tuples (their order carries no
meaning, so reordering a list is not a change); a :class:`SourceRef` becomes one text
``sheet/section/category/item``. References to other parts can be translated through an
:class:`IdMap`, so that a part that only re-identifies something it points at compares equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from safeguard_check.diff.model import Entity, Value
from safeguard_check.model.declaration import (
    Contract,
    DataItem,
    Measure,
    Medium,
    Party,
    Plan,
    Sheet,
    SourceRef,
    Terminal,
    Transfer,
)

Namespace = Literal["sheet", "data_item", "medium", "subject", "measure"]
"""Id namespaces of a declaration: parties, transfers, terminals and contracts share ``subject``."""

Members = tuple[str, ...]
FieldValue = Value | Members
Flat = dict[str, FieldValue]

MODELS: dict[Entity, type[BaseModel]] = {
    "plan": Plan,
    "sheet": Sheet,
    "data_item": DataItem,
    "medium": Medium,
    "party": Party,
    "transfer": Transfer,
    "terminal": Terminal,
    "measure": Measure,
    "contract": Contract,
}

SECTIONS: dict[Entity, str] = {
    "plan": "plan",
    "sheet": "sheets",
    "data_item": "data_items",
    "medium": "media",
    "party": "parties",
    "transfer": "transfers",
    "terminal": "terminals",
    "measure": "measures",
    "contract": "contracts",
}
"""Where each part lives in a declaration file (the source map's paths)."""

NAMESPACE: dict[Entity, Namespace] = {
    "sheet": "sheet",
    "data_item": "data_item",
    "medium": "medium",
    "party": "subject",
    "transfer": "subject",
    "terminal": "subject",
    "contract": "subject",
    "measure": "measure",
}

REFS: dict[Entity, dict[str, Namespace]] = {
    "sheet": {"data_items": "data_item", "media": "medium"},
    "party": {"received_from": "subject", "sheet": "sheet", "permission.granted_by": "subject"},
    "transfer": {"from": "subject", "to": "subject", "data_items": "data_item", "source.sheet": "sheet"},
    "terminal": {"owner": "subject", "source.sheet": "sheet"},
    "measure": {"implemented_by": "subject", "imposed_by": "subject", "covers": "subject", "source.sheet": "sheet"},
    "contract": {"client": "subject", "contractors": "subject", "source.sheet": "sheet"},
}
"""Fields that name another part, and the namespace of the name."""

EXCLUDED = {"id", "clauses"}
"""Compared apart: the id is the identity, contract clauses are matched one by one."""


@dataclass
class IdMap:
    """Old id → new id for every matched part, per namespace (identity when the id did not change)."""

    maps: dict[Namespace, dict[str, str]] = field(default_factory=dict)

    def add(self, namespace: Namespace, old: str, new: str) -> None:
        """Record that ``old`` in the old plan is ``new`` in the new one."""
        self.maps.setdefault(namespace, {})[old] = new

    def forward(self, namespace: Namespace) -> Callable[[str], str]:
        """Old id → new id (unmatched ids are kept as they are)."""
        table = self.maps.get(namespace, {})
        return lambda ident: table.get(ident, ident)

    def backward(self, namespace: Namespace) -> Callable[[str], str]:
        """New id → old id."""
        table = {new: old for old, new in self.maps.get(namespace, {}).items()}
        return lambda ident: table.get(ident, ident)

    def renamed(self, namespace: Namespace) -> dict[str, str]:
        """Only the ids that changed."""
        return {old: new for old, new in self.maps.get(namespace, {}).items() if old != new}


def source_text(source: SourceRef | dict[str, Any] | None, sheet: Callable[[str], str] | None = None) -> str | None:
    """``sheet1/principal/technical/5`` (``-`` for what is not given); None without a source."""
    if source is None:
        return None
    data = source.model_dump() if isinstance(source, SourceRef) else source
    parts = [data.get("sheet"), data.get("section"), data.get("category"), data.get("item")]
    if parts[0] is not None and sheet is not None:
        parts[0] = sheet(parts[0])
    return "/".join(str(p) if p is not None else "-" for p in parts)


def flatten(entity: Entity, obj: BaseModel, ids: IdMap | None = None) -> Flat:
    """The fields of ``obj`` (with references translated through ``ids`` when given)."""
    data = obj.model_dump(mode="json", by_alias=True, exclude=EXCLUDED)
    refs = REFS.get(entity, {})

    def mapper(name: str) -> Callable[[str], str] | None:
        namespace = refs.get(name)
        return ids.forward(namespace) if ids is not None and namespace is not None else None

    out: Flat = {}
    for name, value in _walk(data, ""):
        if name == "source":
            out[name] = source_text(value, mapper("source.sheet"))
            continue
        translate = mapper(name)
        if isinstance(value, list):
            out[name] = tuple(sorted(translate(v) if translate else v for v in value))
        elif isinstance(value, str) and translate is not None:
            out[name] = translate(value)
        else:
            out[name] = value
    return {k: v for k, v in out.items() if v is not None}


def _walk(data: dict[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key != "source":
            yield from _walk(value, f"{name}.")
        else:
            yield name, value


def field_order(entity: Entity) -> dict[str, int]:
    """Rank of each flat field name, in the model's own order (for sorting changes)."""
    names: list[str] = ["", "id"]

    def visit(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            key = info.alias or name
            nested = _model_in(info.annotation)
            if nested is not None and nested is not SourceRef:
                visit(nested, f"{prefix}{key}.")
            else:
                names.append(f"{prefix}{key}")

    visit(MODELS[entity], "")
    return {name: i for i, name in enumerate(dict.fromkeys(names))}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None and get_origin(annotation) is not list:
                return found
    return None
