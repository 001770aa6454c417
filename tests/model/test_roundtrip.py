"""Property: a valid declaration written as YAML or JSON loads back to an equal model."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import declarations

from safeguard_check.load.declaration import parse_declaration
from safeguard_check.model.declaration import Declaration
from safeguard_check.validate.references import check_references


def _as_yaml(decl: Declaration) -> str:
    data = decl.model_dump(mode="json", by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=200, deadline=None)
@given(declarations())
def test_strategy_builds_valid_declarations(decl: Declaration) -> None:
    assert check_references(decl, "generated.yaml") == []
    roles = [p.role for p in decl.parties]
    assert roles.count("principal") == 1
    assert roles.count("delegate") <= 1


@settings(max_examples=200, deadline=None)
@given(declarations())
def test_yaml_roundtrip(decl: Declaration) -> None:
    loaded = parse_declaration(_as_yaml(decl), "roundtrip.yaml")
    assert loaded.declaration == decl


@settings(max_examples=200, deadline=None)
@given(declarations(), st.booleans())
def test_yaml_roundtrip_with_defaults_written_out(decl: Declaration, sort_keys: bool) -> None:
    # None values written as YAML nulls, keys in any order: still the same plan.
    data = decl.model_dump(mode="json", by_alias=True)
    text = yaml.safe_dump(data, allow_unicode=sort_keys, sort_keys=sort_keys)
    assert parse_declaration(text, "roundtrip.yaml").declaration == decl


@settings(max_examples=200, deadline=None)
@given(declarations(), st.sampled_from([None, 2]))
def test_json_roundtrip(decl: Declaration, indent: int | None) -> None:
    # ensure_ascii=False: characters outside the BMP written as \\ud842\\udfb7 escapes do not load
    # (see tests/load/test_tree.py::test_json_surrogate_pair_escape).
    text = json.dumps(decl.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=indent)
    loaded = parse_declaration(text, "roundtrip.json", "json")
    assert loaded.declaration == decl


@settings(max_examples=200, deadline=None)
@given(declarations())
def test_roundtrip_keeps_positions_for_every_party(decl: Declaration) -> None:
    text = _as_yaml(decl)
    loaded = parse_declaration(text, "roundtrip.yaml")
    lines = text.splitlines()
    for index, party in enumerate(decl.parties):
        line = loaded.line_of(("parties", index, "id"))
        assert line is not None
        assert lines[line - 1].lstrip(" -").startswith("id:")
        assert party.id in lines[line - 1]
