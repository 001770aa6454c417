"""A form field the document lacks is a warning with its line (ReadingNotes.missing_fields), never exit 2."""

from __future__ import annotations

from pathlib import Path

from safeguard_check.check import check_plan
from safeguard_check.ingest import ingest_text, load_document
from safeguard_check.load.catalog import Catalog

from .layouts import form_document

# A prefecture's PIA summary flattened to one line: no 別紙, no 保有課, no 報告/諮問.
PIA = (
    "住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に関する事務の「特定個人情報保護評価書"
    "(全項目評価書)」案の概要 1 評価書名 住民基本台帳ネットワークに係る本人確認情報の管理及び提供等に"
    "関する事務 全項目評価書 (1)事務の名称 本人確認情報の管理 (2)事務の内容 ①特定個人情報ファイルの更新"
    "及び地方公共団体情報システム機構(以下「機構」という。)への通知 (3)対象となる本人の範囲 埼玉県内の住民"
    " (4)保有開始日 平成27年6月予定 (5)特定個人情報ファイルの取扱いの委託 都道府県サーバーの運用及び監視"
    "に関する業務を機構に委託する。システム操作者に守秘義務を課し、操作履歴を保存する等の対策を講じている。\n"
)


def test_pia_excerpt_ingests_and_checks(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "pia.txt"
    path.write_text(PIA, encoding="utf-8")
    plan = load_document(path)  # raised InputError (exit 2) before
    decl = plan.declaration
    assert decl.plan.municipality == "埼玉県"
    assert [(p.name, p.role) for p in decl.parties] == [
        ("埼玉県", "principal"),
        ("地方公共団体情報システム機構", "contractor"),
    ]
    assert decl.plan.effective_date.isoformat() == "2015-06-01"
    assert plan.reading is not None
    missing = {m.field: m for m in plan.reading.missing_fields}
    assert {"plan.department", "plan.report_type", "plan.effective_date"} <= set(missing)
    assert missing["plan.department"].label == "保有課" and missing["plan.department"].line == 1
    assert missing["plan.department"].affects == ()
    check_plan(plan, catalog)


def test_hokoku_jiko_on_the_cover_is_a_report() -> None:
    doc = form_document(report="報告事項", cover_basis="条例の根拠 第14条第1項", form_heading="")
    result = ingest_text(doc)
    assert result.declaration.plan.report_type == "report"
    assert not any("報告・諮問" in w for w in result.warnings)


def test_missing_department_is_listed_with_the_form_line() -> None:
    result = ingest_text(form_document(department=None))
    [missing] = [m for m in result.missing if m.field == "plan.department"]
    assert missing.line == 4  # the 別紙 heading, where the form's 保有課 belongs


def test_no_party_found_says_which_rules_cannot_be_judged() -> None:
    text = "八王子市の住民基本台帳事務について\n1 職員に研修を行う。\n2 端末の操作履歴を記録する。\n"
    result = ingest_text(text)
    [missing] = [m for m in result.missing if m.field == "parties"]
    assert "SGC-SUBCONTRACT-PERMISSION" in missing.affects and missing.line == 1
