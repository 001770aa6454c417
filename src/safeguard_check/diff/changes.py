"""The changes between two declarations, field by field, for parts matched by :mod:`.identity`.

For a matched pair the old part's references are translated to the new ids before comparing (so a
re-identified party does not make every transfer that names it look changed); the values shown are
the ones written in each file. Each change carries the line of what it is about in the old and/or new
file, for people; lines play no part in the comparison.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from safeguard_check.diff.fields import (
    REFS,
    SECTIONS,
    FieldValue,
    IdMap,
    field_order,
    flatten,
)
from safeguard_check.diff.identity import Matching, match_plans, measure_key, parts
from safeguard_check.diff.model import ENTITIES, OPS, Change, Entity, Op, Value
from safeguard_check.load.declaration import LoadedPlan
from safeguard_check.model.declaration import Contract, DataItem, Measure, Medium, Party, Sheet, Terminal, Transfer

Locate = Callable[[tuple[str | int, ...]], int | None]


def diff_declarations(old: LoadedPlan, new: LoadedPlan) -> tuple[tuple[Change, ...], IdMap]:
    """Every change from ``old`` to ``new``, sorted, and the id map between them."""
    matching, ids = match_plans(old.declaration, new.declaration)
    changes: list[Change] = []
    plan = _Pair("plan", ids, old.line_of, new.line_of)
    changes.extend(plan.compare(old.declaration.plan, new.declaration.plan, ("plan",), ("plan",), "plan", None))
    for entity in ENTITIES[1:]:
        changes.extend(_entity_changes(entity, matching[entity], old, new, ids))
    return tuple(sorted(changes, key=_sort_key)), ids


_ORDERS = {entity: field_order(entity) for entity in ENTITIES}


def _sort_key(c: Change) -> tuple[int, str, int, int, str, str, str]:
    order = _ORDERS[c.entity]
    return (
        ENTITIES.index(c.entity),
        c.key,
        order.get(c.field, len(order)),
        OPS.index(c.op),
        c.field,
        str(c.old),
        str(c.new),
    )


def summary(entity: Entity, obj: BaseModel) -> tuple[str, str | None]:
    """What an added or removed part is shown as, and a vocabulary code to show with it."""
    if isinstance(obj, (Party, DataItem, Medium)):
        return obj.name, None
    if isinstance(obj, Sheet):
        return obj.title, None
    if isinstance(obj, Measure):
        return obj.text, None
    if isinstance(obj, Transfer):
        return f"{obj.from_party} → {obj.to_party}", obj.method
    if isinstance(obj, Terminal):
        return obj.owner, obj.system
    if isinstance(obj, Contract):
        return f"{obj.client} → {', '.join(obj.contractors)}", None
    raise TypeError(entity)  # pragma: no cover - every kind is handled above


def label_of(obj: BaseModel) -> str | None:
    """A name people know the part by, when it has one besides its id."""
    if isinstance(obj, (Party, DataItem, Medium)):
        return obj.name
    if isinstance(obj, Sheet):
        return obj.title
    return None


def _key(entity: Entity, obj: BaseModel, ids: IdMap | None = None) -> str:
    if isinstance(obj, Measure):
        return measure_key(obj, ids.forward("sheet") if ids is not None else None)
    return str(getattr(obj, "id", ""))


def _entity_changes(entity: Entity, m: Matching, old: LoadedPlan, new: LoadedPlan, ids: IdMap) -> list[Change]:
    section = SECTIONS[entity]
    old_parts: Sequence[BaseModel] = parts(old.declaration, entity)
    new_parts: Sequence[BaseModel] = parts(new.declaration, entity)
    out: list[Change] = []
    for i in m.removed:
        o = old_parts[i]
        text, code = summary(entity, o)
        out.append(
            Change(
                entity=entity,
                key=_key(entity, o),
                op="removed",
                old=text,
                code=code,
                label=label_of(o),
                old_line=old.line_of((section, i)),
            )
        )
    for j in m.added:
        n = new_parts[j]
        text, code = summary(entity, n)
        out.append(
            Change(
                entity=entity,
                key=_key(entity, n),
                op="added",
                new=text,
                code=code,
                label=label_of(n),
                new_line=new.line_of((section, j)),
            )
        )
    pair = _Pair(entity, ids, old.line_of, new.line_of)
    for i, j in m.pairs:
        o, n = old_parts[i], new_parts[j]
        key = _key(entity, n)
        out.extend(pair.compare(o, n, (section, i), (section, j), key, label_of(n)))
    return out


class _Pair:
    """Compares one matched pair of parts."""

    def __init__(self, entity: Entity, ids: IdMap, old_line: Locate, new_line: Locate) -> None:
        self.entity = entity
        self.ids = ids
        self.old_line = old_line
        self.new_line = new_line

    def compare(
        self,
        o: BaseModel,
        n: BaseModel,
        old_path: tuple[str | int, ...],
        new_path: tuple[str | int, ...],
        key: str,
        label: str | None,
    ) -> list[Change]:
        entity = self.entity
        out: list[Change] = []

        def change(op: Op, name: str, old: Value = None, new: Value = None, **extra: Any) -> None:
            out.append(Change(entity=entity, key=key, op=op, field=name, old=old, new=new, label=label, **extra))

        old_id, new_id = getattr(o, "id", None), getattr(n, "id", None)
        if old_id != new_id:
            op: Op = "added" if old_id is None else "removed" if new_id is None else "renamed"
            change(
                op,
                "id",
                old_id,
                new_id,
                old_line=self.old_line((*old_path, "id")),
                new_line=self.new_line((*new_path, "id")),
            )
        mapped = flatten(entity, o, self.ids)
        raw_old = flatten(entity, o)
        current = flatten(entity, n)
        old_dump = o.model_dump(mode="json", by_alias=True)
        new_dump = n.model_dump(mode="json", by_alias=True)
        for name in dict.fromkeys([*mapped, *current]):
            a, b = mapped.get(name), current.get(name)
            if a == b:
                continue
            where = tuple(name.split("."))
            if isinstance(a, tuple) or isinstance(b, tuple):
                back = self._backward(name)
                before = Counter(a if isinstance(a, tuple) else ())
                after = Counter(b if isinstance(b, tuple) else ())
                for member in sorted((before - after).elements()):
                    shown = back(member)
                    index = _index(old_dump, where, shown)
                    change(
                        "removed",
                        name,
                        old=shown,
                        old_line=self.old_line((*old_path, *where, *index)),
                        new_line=self.new_line((*new_path, *where)),
                    )
                for member in sorted((after - before).elements()):
                    index = _index(new_dump, where, member)
                    change(
                        "added",
                        name,
                        new=member,
                        old_line=self.old_line((*old_path, *where)),
                        new_line=self.new_line((*new_path, *where, *index)),
                    )
                continue
            shown_old = _scalar(raw_old.get(name))
            op = "added" if a is None else "removed" if b is None else "changed"
            if op == "changed" and entity == "party" and name == "name":
                op = "renamed"
            change(
                op,
                name,
                shown_old,
                _scalar(b),
                old_line=self.old_line((*old_path, *where)) if a is not None else None,
                new_line=self.new_line((*new_path, *where)) if b is not None else None,
            )
        if isinstance(o, Contract) and isinstance(n, Contract):
            out.extend(self._clauses(o, n, old_path, new_path, key, label))
        return out

    def _backward(self, name: str) -> Callable[[str], str]:
        namespace = REFS.get(self.entity, {}).get(name)
        if namespace is None:
            return lambda v: v
        return self.ids.backward(namespace)

    def _clauses(
        self,
        o: Contract,
        n: Contract,
        old_path: tuple[str | int, ...],
        new_path: tuple[str | int, ...],
        key: str,
        label: str | None,
    ) -> list[Change]:
        """Clauses: equal ones cancel; the same code with other words is reworded; the rest added/removed."""
        olds = list(range(len(o.clauses)))
        news = list(range(len(n.clauses)))
        for i in list(olds):
            j = next((j for j in news if n.clauses[j] == o.clauses[i]), None)
            if j is not None:
                olds.remove(i)
                news.remove(j)
        out: list[Change] = []

        def line_old(i: int) -> int | None:
            return self.old_line((*old_path, "clauses", i))

        def line_new(j: int) -> int | None:
            return self.new_line((*new_path, "clauses", j))

        for i in list(olds):
            code = o.clauses[i].code
            j = next((j for j in news if code is not None and n.clauses[j].code == code), None)
            if j is not None:
                olds.remove(i)
                news.remove(j)
                out.append(
                    Change(
                        entity="contract",
                        key=key,
                        op="changed",
                        field="clauses",
                        old=o.clauses[i].text,
                        new=n.clauses[j].text,
                        code=code,
                        label=label,
                        old_line=line_old(i),
                        new_line=line_new(j),
                    )
                )
        for i in olds:
            c = o.clauses[i]
            out.append(
                Change(
                    entity="contract",
                    key=key,
                    op="removed",
                    field="clauses",
                    old=c.text,
                    code=c.code,
                    label=label,
                    old_line=line_old(i),
                    new_line=self.new_line((*new_path, "clauses")),
                )
            )
        for j in news:
            c = n.clauses[j]
            out.append(
                Change(
                    entity="contract",
                    key=key,
                    op="added",
                    field="clauses",
                    new=c.text,
                    code=c.code,
                    label=label,
                    old_line=self.old_line((*old_path, "clauses")),
                    new_line=line_new(j),
                )
            )
        return out


def _scalar(value: FieldValue) -> Value:
    return None if isinstance(value, tuple) else value


def _index(dump: dict[str, Any], where: tuple[str, ...], member: str) -> tuple[int, ...]:
    node: Any = dump
    for part in where:
        if not isinstance(node, dict):
            return ()
        node = node.get(part)
    if isinstance(node, list) and member in node:
        return (node.index(member),)
    return ()
