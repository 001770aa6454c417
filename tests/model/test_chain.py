"""The one walk up the delegation chain (``model/chain.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.model.chain import ascend, is_above


@dataclass(frozen=True)
class P:
    id: str
    received_from: str | None


def _parties(links: dict[str, str | None]) -> dict[str, P]:
    return {pid: P(pid, up) for pid, up in links.items()}


def test_a_chain_of_three_levels_is_walked_nearest_first() -> None:
    ps = _parties({"ward": None, "jlis": "ward", "vendor": "jlis", "sub": "vendor", "subsub": "sub"})
    up = ascend(ps["subsub"], ps)
    assert [p.id for p in up.upstream] == ["sub", "vendor", "jlis", "ward"]
    assert up.cycle is None and up.dangling is None
    assert is_above("jlis", ps["subsub"], ps) and not is_above("subsub", ps["jlis"], ps)


def test_a_loop_is_named_with_its_first_party_repeated() -> None:
    ps = _parties({"x": "a", "a": "b", "b": "a"})
    up = ascend(ps["x"], ps)
    assert [p.id for p in up.upstream] == ["a", "b"]
    assert up.cycle == ("a", "b", "a")
    assert ascend(ps["a"], ps).cycle == ("a", "b", "a")


def test_a_party_naming_itself_is_a_loop() -> None:
    ps = _parties({"a": "a"})
    assert ascend(ps["a"], ps).cycle == ("a", "a")


def test_an_unknown_upstream_stops_the_walk() -> None:
    ps = _parties({"a": "b", "b": "ghost"})
    up = ascend(ps["a"], ps)
    assert [p.id for p in up.upstream] == ["b"] and up.dangling == "ghost" and up.cycle is None


ids = st.sampled_from("abcdefgh")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(ids, st.one_of(st.none(), ids, st.just("ghost")), min_size=1))
def test_the_walk_agrees_with_following_links_by_hand(links: dict[str, str | None]) -> None:
    ps = _parties(links)
    for start in ps.values():
        # The definition, step by step: follow links, stop at None, an unknown id, or a repeat.
        expected: list[str] = []
        seen = [start.id]
        link = start.received_from
        while link is not None and link not in seen and link in ps:
            expected.append(link)
            seen.append(link)
            link = ps[link].received_from
        up = ascend(start, ps)
        assert [p.id for p in up.upstream] == expected
        assert (up.cycle is not None) == (link is not None and link in seen)
        assert (up.dangling is not None) == (link is not None and link not in seen and link not in ps)
        if up.cycle is not None:
            assert up.cycle[0] == up.cycle[-1] and len(set(up.cycle)) == len(up.cycle) - 1
