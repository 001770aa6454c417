"""A result packed in a worker and rebuilt in the parent must equal the result the checker built."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from pathlib import Path

import pytest
import yaml

from safeguard_check.check import check_plan
from safeguard_check.findings.compact import pack, unpack
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration, parse_declaration

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "cases" / "shinjuku-2020-mynumber-card"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _variants() -> list[tuple[str, str]]:
    base = (CASE / "declaration.yaml").read_text(encoding="utf-8")
    tree = yaml.safe_load(base)
    tree["terminals"][1]["auth_factors"] = ["user_id", "password"]
    tree["parties"].append(
        {"id": "sub9", "name": "再委託先", "role": "subcontractor", "received_from": "npb", "tasks": ["call_center"]}
    )
    leaked = base.replace("name: 個人番号", "name: 個人番号 123456789018", 1)
    return [
        ("shinjuku.yaml", base),
        ("variant.yaml", yaml.safe_dump(tree, allow_unicode=True)),
        ("leak.yaml", leaked),
    ]


@pytest.mark.parametrize("detail", [True, False])
@pytest.mark.parametrize("as_of", [None, dt.date(2019, 4, 1)])
@pytest.mark.parametrize("name,text", _variants())
def test_unpack_of_pack_is_the_same_result(
    catalog: Catalog, name: str, text: str, detail: bool, as_of: dt.date | None
) -> None:
    result = check_plan(parse_declaration(text, name), catalog, as_of=as_of, detail=detail)
    packed = pack(result, catalog)
    assert packed is not None
    # The trip is a pickle between processes; the parent may hold another catalogue object.
    rebuilt = unpack(pickle.loads(pickle.dumps(packed)), load_catalog())
    assert rebuilt == result
    assert rebuilt.model_dump() == result.model_dump()
    assert len(pickle.dumps(packed)) < len(pickle.dumps(result)) / 4


def test_leak_findings_survive_the_trip(catalog: Catalog) -> None:
    text = dict(_variants())["leak.yaml"]
    result = check_plan(parse_declaration(text, "leak.yaml"), catalog)
    assert any(f.subject_kind == "document" for f in result.findings)
    packed = pack(result, catalog)
    assert packed is not None and unpack(packed, catalog) == result


def test_what_cannot_be_packed_exactly_travels_whole(catalog: Catalog) -> None:
    result = check_plan(load_declaration(CASE / "declaration.yaml"), catalog)
    first = result.findings[0].model_copy(update={"status": "waived"})
    assert pack(result.model_copy(update={"findings": (first, *result.findings[1:])}), catalog) is None
    assert pack(result.model_copy(update={"baseline_suppressed": ("x",)}), catalog) is None
    other = dataclasses.replace(catalog, digest="0" * 16)
    assert pack(result, other) is None
    packed = pack(result, catalog)
    assert packed is not None
    with pytest.raises(ValueError):
        unpack(packed, other)


def test_profile_caps_and_evidence_survive_the_trip(catalog: Catalog) -> None:
    from safeguard_check.load.profile import load_profile

    tree = yaml.safe_load((CASE / "declaration.yaml").read_text(encoding="utf-8"))
    tree["measures"].append(
        {"implemented_by": ["shinjuku"], "category": "technical", "text": "評価書のとおり", "refers_to": "評価書"}
    )
    tree["measures"].append(
        {"implemented_by": ["jlis"], "category": "technical", "text": "記録しない", "not_done": ["logging.access_log"]}
    )
    text = yaml.safe_dump(tree, allow_unicode=True)
    law = load_profile("law", catalog)
    result = check_plan(parse_declaration(text, "plan.yaml"), catalog, profile=law)
    assert result.profile == "law"
    assert {f.evidence for f in result.findings} >= {"not_evidenced"}
    packed = pack(result, catalog, law)
    assert packed is not None
    assert unpack(pickle.loads(pickle.dumps(packed)), load_catalog(), load_profile("law", catalog)) == result
    # Rebuilding under another profile would give other findings: refused, never silently wrong.
    with pytest.raises(ValueError, match="profile"):
        unpack(packed, catalog)
    assert pack(result, catalog) is None  # packing with another profile than the result's: sent whole


def test_what_a_document_could_not_read_survives_the_trip(catalog: Catalog) -> None:
    from safeguard_check.model.reading import MissingField, ReadingNotes, UnrecognisedSentence

    notes = ReadingNotes(
        unrecognised=(UnrecognisedSentence(40, "職員に対し研修を実施する。", "別紙1", "measure", ("shinjuku",)),),
        measure_sentences=12,
        mapped_sentences=11,
        missing_fields=(MissingField("plan.report_kind", "報告・諮問の別", 3, ("SGC-X",)),),
    )
    plan = dataclasses.replace(load_declaration(CASE / "declaration.yaml"), reading=notes)
    result = check_plan(plan, catalog)
    assert result.reading is not None and result.unrecognised
    assert any(f.possibly_stated for f in result.findings)
    packed = pack(result, catalog)
    assert packed is not None
    rebuilt = unpack(pickle.loads(pickle.dumps(packed)), load_catalog())
    assert rebuilt == result
