"""The delegation chain: walking from a party up through ``received_from`` to the ward.

One walk, one cycle guard, used by every stage that follows the chain (validation reports cycles,
facts find the party whose 許諾 a 再委託 needs, the summary computes depths, ingest orders parties).
It works on anything with an ``id`` and a ``received_from`` — declared parties and ingest's drafts —
so the stages cannot drift apart on what "upstream" means when the chain is broken or circular.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class Linked(Protocol):
    """A party as far as the chain is concerned."""

    @property
    def id(self) -> str: ...

    @property
    def received_from(self) -> str | None: ...


P = TypeVar("P", bound=Linked)


@dataclass(frozen=True)
class Ascent(Generic[P]):
    """The parties above a start party, nearest first, and why the walk stopped."""

    upstream: tuple[P, ...]
    """Every party reached going up, nearest first; never the start party, never one twice."""
    cycle: tuple[str, ...] | None = None
    """When the walk came back to a party already met: the ids around the loop, first id repeated."""
    dangling: str | None = None
    """When the walk reached an id no party has: that id."""


def ascend(start: P, parties: Mapping[str, P]) -> Ascent[P]:
    """Walk up from ``start`` until a party received the work from nobody, an unknown id, or a loop."""
    path: list[str] = [start.id]
    upstream: list[P] = []
    current = start
    while current.received_from is not None:
        nxt = current.received_from
        if nxt in path:
            return Ascent(tuple(upstream), cycle=(*path[path.index(nxt) :], nxt))
        party = parties.get(nxt)
        if party is None:
            return Ascent(tuple(upstream), dangling=nxt)
        upstream.append(party)
        path.append(nxt)
        current = party
    return Ascent(tuple(upstream))


def is_above(candidate: str, party: P, parties: Mapping[str, P]) -> bool:
    """Whether ``candidate`` is somewhere up the chain from ``party``."""
    return any(p.id == candidate for p in ascend(party, parties).upstream)
