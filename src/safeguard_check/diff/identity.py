"""Which part of the old plan is which part of the new one: matching by identity, never by position.

* Sheets, data items, media, parties, transfers, terminals and contracts are matched by ``id``.
* Measures are matched by ``id`` when both have one; a measure without an id is matched by where it
  came from (``source``: sheet/section/category/item), and failing that by its exact text.
* Re-identification: a party that disappeared and a party that appeared with the same name, role and
  upstream (``received_from``, itself translated) are the same party under a new id. Any other part
  whose content is identical except for its id (references translated) is likewise re-identified.
  Pairs are made only when they are unambiguous (one candidate on each side); otherwise the parts are
  reported as removed and added.

The result is a :class:`Matching` per kind of part and an :class:`IdMap` (old id → new id) that the
field comparison and the findings delta use to translate references and finding subjects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from safeguard_check.diff.fields import NAMESPACE, IdMap, flatten, source_text
from safeguard_check.diff.model import Entity
from safeguard_check.model.declaration import Declaration, Measure, Party


@dataclass
class Matching:
    """Index pairs (old, new) of matched parts, and the indexes left unmatched on either side."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)


ID_KINDS: tuple[Entity, ...] = ("sheet", "data_item", "medium", "party", "transfer", "terminal", "contract")
"""Parts with a required id, in an order where what is referred to comes before what refers to it."""


def parts(decl: Declaration, entity: Entity) -> Sequence[BaseModel]:
    """The list of parts of kind ``entity`` in ``decl``."""
    lists: dict[Entity, Sequence[BaseModel]] = {
        "sheet": decl.sheets,
        "data_item": decl.data_items,
        "medium": decl.media,
        "party": decl.parties,
        "transfer": decl.transfers,
        "terminal": decl.terminals,
        "measure": decl.measures,
        "contract": decl.contracts,
    }
    return lists[entity]


def match_plans(old: Declaration, new: Declaration) -> tuple[dict[Entity, Matching], IdMap]:
    """Match every part of ``old`` with its counterpart in ``new``."""
    ids = IdMap()
    out: dict[Entity, Matching] = {}
    for entity in ID_KINDS:
        out[entity] = _match_by_id(entity, parts(old, entity), parts(new, entity), ids)
    out["measure"] = _match_measures(old.measures, new.measures, ids)
    return out, ids


def _ident(obj: BaseModel) -> str:
    value = getattr(obj, "id", None)
    return value if isinstance(value, str) else ""


def _match_by_id(entity: Entity, old: Sequence[BaseModel], new: Sequence[BaseModel], ids: IdMap) -> Matching:
    namespace = NAMESPACE[entity]
    new_index = {_ident(n): j for j, n in enumerate(new)}
    result = Matching()
    for i, o in enumerate(old):
        j = new_index.get(_ident(o))
        if j is None:
            result.removed.append(i)
        else:
            result.pairs.append((i, j))
            ids.add(namespace, _ident(o), _ident(o))
    matched_new = {j for _, j in result.pairs}
    result.added = [j for j in range(len(new)) if j not in matched_new]
    if entity == "party":
        # Re-identifying a party can make its children's upstream match: repeat until nothing changes.
        while _reidentify(entity, old, new, result, ids, _party_key):
            pass
    else:
        _reidentify(entity, old, new, result, ids, _content_key(entity))
    result.pairs.sort()
    return result


def _party_key(ids: IdMap) -> Callable[[BaseModel], Hashable]:
    upstream = ids.forward("subject")

    def key(p: BaseModel) -> Hashable:
        assert isinstance(p, Party)
        return (p.name, p.role, upstream(p.received_from) if p.received_from else None)

    return key


def _content_key(entity: Entity) -> Callable[[IdMap], Callable[[BaseModel], Hashable]]:
    def make(ids: IdMap) -> Callable[[BaseModel], Hashable]:
        def key(obj: BaseModel) -> Hashable:
            flat = flatten(entity, obj, ids)
            clauses = getattr(obj, "clauses", None)
            extra: Any = tuple((c.code, c.text) for c in clauses) if clauses is not None else None
            return (tuple(sorted(flat.items(), key=lambda kv: kv[0])), extra)

        return key

    return make


def _reidentify(
    entity: Entity,
    old: Sequence[BaseModel],
    new: Sequence[BaseModel],
    result: Matching,
    ids: IdMap,
    make_key: Callable[[IdMap], Callable[[BaseModel], Hashable]],
) -> bool:
    """Pair removed and added parts with the same key when the pairing is unambiguous."""
    if not result.removed or not result.added:
        return False
    key = make_key(ids)
    old_keys: dict[Hashable, list[int]] = {}
    for i in result.removed:
        old_keys.setdefault(key(old[i]), []).append(i)
    new_keys: dict[Hashable, list[int]] = {}
    for j in result.added:
        new_keys.setdefault(key(new[j]), []).append(j)
    found = False
    for k, olds in old_keys.items():
        news = new_keys.get(k, [])
        if len(olds) == 1 and len(news) == 1:
            i, j = olds[0], news[0]
            result.pairs.append((i, j))
            result.removed.remove(i)
            result.added.remove(j)
            ids.add(NAMESPACE[entity], _ident(old[i]), _ident(new[j]))
            found = True
    return found


def measure_key(m: Measure, sheet: Callable[[str], str] | None = None) -> str:
    """A measure's identity for people: its id, else its source, else the start of its text."""
    if m.id is not None:
        return m.id
    src = source_text(m.source, sheet)
    if src is not None:
        return src
    text = " ".join(m.text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _match_measures(old: Sequence[Measure], new: Sequence[Measure], ids: IdMap) -> Matching:
    sheet = ids.forward("sheet")
    result = Matching()
    free_old = list(range(len(old)))
    free_new = list(range(len(new)))

    def take(pairs: list[tuple[int, int]]) -> None:
        for i, j in pairs:
            result.pairs.append((i, j))
            free_old.remove(i)
            free_new.remove(j)

    # 1. by id, when both have one
    new_ids = {m.id: j for j, m in enumerate(new) if m.id is not None}
    take([(i, new_ids[m.id]) for i, m in enumerate(old) if m.id is not None and m.id in new_ids])

    # 2. by source, when at least one side has no id (equal texts first, then in document order)
    def by_source(ms: Sequence[Measure], free: list[int], mapper: Callable[[str], str] | None) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for i in free:
            src = source_text(ms[i].source, mapper)
            if src is not None:
                groups.setdefault(src, []).append(i)
        return groups

    old_groups = by_source(old, free_old, sheet)
    new_groups = by_source(new, free_new, None)
    pairs: list[tuple[int, int]] = []
    for src, olds in old_groups.items():
        news = list(new_groups.get(src, []))
        olds = list(olds)
        for i in list(olds):
            j = next((j for j in news if new[j].text == old[i].text and (old[i].id is None or new[j].id is None)), None)
            if j is not None:
                pairs.append((i, j))
                olds.remove(i)
                news.remove(j)
        for i in olds:
            j = next((j for j in news if old[i].id is None or new[j].id is None), None)
            if j is not None:
                pairs.append((i, j))
                news.remove(j)
    take(pairs)

    # 3. by exact text, when at least one side has no id
    pairs = []
    taken: set[int] = set()
    for i in free_old:
        j = next(
            (
                j
                for j in free_new
                if j not in taken and new[j].text == old[i].text and (old[i].id is None or new[j].id is None)
            ),
            None,
        )
        if j is not None:
            pairs.append((i, j))
            taken.add(j)
    take(pairs)

    result.removed = free_old
    result.added = free_new
    # 4. re-identified: both have ids, everything else equal
    _reidentify("measure", old, new, result, ids, _content_key("measure"))
    for i, j in result.pairs:
        if old[i].id is not None and new[j].id is not None:
            ids.add("measure", old[i].id, new[j].id)  # type: ignore[arg-type]
    result.pairs.sort()
    return result
