"""The API the CLI uses: ingest_path / ingest_text, errors, unmapped sentences and the YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.check import check_plan
from safeguard_check.errors import InputError
from safeguard_check.ingest import ingest_path, ingest_text
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import parse_declaration

UNMAPPABLE = "職員は毎朝ラジオ体操を行う。"


def _with_extra_measure(text: str) -> str:
    # A ninth technical measure of the ward (sheet 1) that no vocabulary phrase covers.
    anchor = "８ ログ管理や操作履歴管理ソフトにより、情報へのアクセス状況を記録す\n\nる。 \n"
    assert anchor in text
    return text.replace(anchor, anchor + f"\n９ {UNMAPPABLE} \n", 1)


def test_unmapped_sentence_is_kept_listed_and_commented(shinjuku_text: str, catalog: Catalog) -> None:
    result = ingest_text(_with_extra_measure(shinjuku_text))
    [unmapped] = result.unmapped
    assert (unmapped.kind, unmapped.text, unmapped.sheet, unmapped.section, unmapped.category, unmapped.item) == (
        "measure",
        UNMAPPABLE,
        "sheet1",
        "principal",
        "technical",
        "9",
    )
    measure = next(m for m in result.declaration.measures if m.text == UNMAPPABLE)
    assert measure.codes == [] and measure.implemented_by == ["shinjuku"]
    text = result.to_yaml()
    assert "要確認 UNMAPPED" in text
    assert f"#   - [対策] sheet1 区が行う システム上の対策 9: {UNMAPPABLE}" in text
    # check reads the YAML as it is; the sentence without a code changes no finding.
    plan = parse_declaration(text, "draft.yaml")
    assert any(m.text == UNMAPPABLE and m.codes == [] for m in plan.declaration.measures)
    check_plan(plan, catalog)


def test_unmapped_contract_clause_is_kept_without_code(shinjuku_text: str) -> None:
    text = shinjuku_text.replace("・再委託の原則禁止 \n", "・再委託の原則禁止 \n\n・年に一度の懇親会 \n", 1)
    result = ingest_text(text)
    clauses = result.declaration.contracts[0].clauses
    assert clauses[-1].text == "年に一度の懇親会" and clauses[-1].code is None
    assert [u.kind for u in result.unmapped] == ["clause"]


def test_loaded_plan_names_the_yaml(tmp_path: Path, shinjuku_text: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(shinjuku_text, encoding="utf-8")
    result = ingest_path(path)
    assert result.source == str(path) and result.input_format == "utf-8"
    assert result.loaded_plan().path == f"{path}.yaml"
    assert result.loaded_plan("out.yaml").path == "out.yaml"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (None, "io.not_found"),
        (b"\x00\x01binary", "decode.binary"),
        ("これは審議会資料ではありません。".encode(), "io.unreadable"),
    ],
)
def test_input_errors(tmp_path: Path, content: bytes | None, key: str) -> None:
    path = tmp_path / "doc.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        ingest_path(path)
    assert err.value.issues[0].key == key


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest_path(tmp_path)
    assert err.value.issues[0].key == "io.is_directory"


DIRECT = Path(__file__).parent / "data" / "direct-outsourcing.txt"


def test_a_ward_contracting_a_business_directly(catalog: Catalog) -> None:
    """Another form of the same template: no 委任, the ward contracts one business itself, lists the
    data items inline, keeps its contract clauses in its own section, and has no 変更日."""
    result = ingest_path(DIRECT)
    decl = result.declaration
    assert [(p.id, p.role, p.received_from) for p in decl.parties] == [
        ("minato", "principal", None),
        ("contractor-1", "contractor", "minato"),
    ]
    assert decl.plan.report_type == "consultation"
    assert str(decl.plan.effective_date) == "2021-04-01"  # the period's start, with a warning
    assert any("変更日" in w for w in result.warnings)
    assert [(d.id, d.specific_personal_info) for d in decl.data_items] == [
        ("my_number", True),
        ("name", False),
        ("address", False),
    ]
    assert [(m.id, m.kind) for m in decl.media] == [("paper", "paper")]
    [contract] = decl.contracts
    assert (contract.client, contract.contractors) == ("minato", ["contractor-1"])
    assert [c.code for c in contract.clauses] == ["contract.confidentiality", "contract.subcontract_conditions"]
    [line] = decl.transfers
    assert (line.from_party, line.to_party, line.method, line.encrypted) == (
        "minato",
        "contractor-1",
        "dedicated_line",
        False,
    )
    keys = {(f.rule_id, f.subject_id) for f in check_plan(result.loaded_plan(), catalog).findings}
    assert ("SGC-TRANSFER-ENCRYPTION", "minato-contractor-1-line") in keys
    assert ("SGC-CONTRACT-NO-TAKEOUT", "minato-contractors") in keys
    assert ("SGC-CONTRACT-CONFIDENTIALITY", "minato-contractors") not in keys
