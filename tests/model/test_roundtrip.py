"""Property: a valid declaration written as YAML or JSON loads back to an equal model."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from safeguard_check.load.declaration import parse_declaration
from safeguard_check.model.declaration import Declaration
from safeguard_check.validate.references import check_references
from strategies import HOSTILE_TEXTS, declarations


def _as_yaml(decl: Declaration) -> str:
    data = decl.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=200, deadline=None)
@given(declarations())
def test_yaml_roundtrip(decl: Declaration) -> None:
    assert check_references(decl, "generated.yaml") == []  # the strategy only builds valid plans
    text = _as_yaml(decl)
    loaded = parse_declaration(text, "roundtrip.yaml")
    assert loaded.declaration == decl
    # and every party can be found again in the text
    lines = text.splitlines()
    for index, party in enumerate(decl.parties):
        line = loaded.line_of(("parties", index, "id"))
        assert line is not None
        assert lines[line - 1].lstrip(" -").startswith("id:")
        assert party.id in lines[line - 1]


@settings(max_examples=200, deadline=None)
@given(declarations(), st.booleans())
def test_yaml_roundtrip_with_nulls_and_escapes(decl: Declaration, sort_keys: bool) -> None:
    # None written as null, keys in any order, non-ASCII escaped or not: still the same plan.
    data = decl.model_dump(mode="json", by_alias=True)
    text = yaml.safe_dump(data, allow_unicode=sort_keys, sort_keys=sort_keys)
    assert parse_declaration(text, "roundtrip.yaml").declaration == decl


@settings(max_examples=200, deadline=None)
@given(declarations(), st.sampled_from([None, 2]))
def test_json_roundtrip(decl: Declaration, indent: int | None) -> None:
    # ensure_ascii=False: characters outside the BMP written as surrogate-pair escapes do not load
    # (a bug, see tests/load/test_tree.py::test_json_surrogate_pair_escape).
    text = json.dumps(decl.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=indent)
    loaded = parse_declaration(text, "roundtrip.json", "json")
    assert loaded.declaration == decl


def test_hostile_texts_roundtrip() -> None:
    """Every YAML-hostile string of the strategy, in one plan, deterministically."""
    ids = ["yes", "null", "1", "1.0", "0x1F", "2020-05-25", "1_000", "y"]
    decl = Declaration.model_validate(
        {
            "plan": {
                "title": "t",
                "municipality": "m",
                "department": "d",
                "report_type": "report",
                "effective_date": "令和2年5月25日",
                "notes": list(HOSTILE_TEXTS),
            },
            "parties": [{"id": ids[0], "name": "p", "role": "principal"}]
            + [
                {"id": ident, "name": text, "role": "contractor", "received_from": ids[0]}
                for ident, text in zip(ids[1:], HOSTILE_TEXTS, strict=False)
            ],
        }
    )
    assert parse_declaration(_as_yaml(decl), "hostile.yaml").declaration == decl
    text = json.dumps(decl.model_dump(mode="json", by_alias=True), ensure_ascii=False)
    assert parse_declaration(text, "hostile.json", "json").declaration == decl


def _depth(decl: Declaration, party_id: str) -> int:
    parties = {p.id: p for p in decl.parties}
    depth = 0
    while parties[party_id].received_from is not None:
        party_id = parties[party_id].received_from  # type: ignore[assignment]
        depth += 1
    return depth


SHAPES: dict[str, Callable[[Declaration], bool]] = {
    "subcontractor at depth 3 or more": lambda d: any(
        p.role == "subcontractor" and _depth(d, p.id) >= 3 for p in d.parties
    ),
    "subcontractor with a dated permission": lambda d: any(
        p.permission is not None and p.permission.granted_on is not None for p in d.parties
    ),
    "contractors under both the principal and the delegate": lambda d: (
        {by.role for p in d.parties if p.role == "contractor" for by in d.parties if by.id == p.received_from}
        == {"principal", "delegate"}
    ),
    "principal not listed first": lambda d: d.parties[0].role != "principal",
    "a party with measures and one without": lambda d: (
        0 < len({i for m in d.measures for i in m.implemented_by}) < len(d.parties)
    ),
    "a measure with five codes or more": lambda d: any(len(m.codes) >= 5 for m in d.measures),
    "a measure with no code": lambda d: any(not m.codes for m in d.measures),
    "transfers, terminals and a contract": lambda d: bool(d.transfers and d.terminals and d.contracts),
    "a single party": lambda d: len(d.parties) == 1,
    "dates at both ends of the range": lambda d: (
        d.plan.effective_date.year <= 1995 or d.plan.effective_date.year >= 2035
    ),
    "non-BMP character in a text": lambda d: "𠮷" in json.dumps(d.model_dump(mode="json"), ensure_ascii=False),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_strategy_reaches(shape: str) -> None:
    """The strategy is varied enough to produce each of these shapes."""
    found = find(
        declarations(),
        SHAPES[shape],
        settings=settings(
            max_examples=2000,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            deadline=None,
        ),
    )
    assert SHAPES[shape](found)
