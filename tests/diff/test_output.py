"""The three outputs: terminal (marked like the council document), JSON (deterministic) and Markdown."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from safeguard_check.diff import diff_plans
from safeguard_check.diff.json_format import render_json
from safeguard_check.diff.markdown import render_markdown
from safeguard_check.diff.model import PlanDiff
from safeguard_check.diff.terminal import render_diff
from safeguard_check.diff.wording import Segment, segments
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.messages import Lang

from .helpers import SHINJUKU, patched
from .test_changes import COUNCIL_CHANGES


@pytest.fixture(scope="module")
def council(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> PlanDiff:
    new = patched(tmp_path_factory.mktemp("council"), "new.yaml", COUNCIL_CHANGES)
    return diff_plans(load_declaration(SHINJUKU), load_declaration(new), catalog)


def terminal_text(diff: PlanDiff, lang: Lang, *, styled: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=200,
        force_terminal=styled,
        color_system="standard" if styled else None,
        highlight=False,
        markup=False,
        emoji=False,
    )
    render_diff(diff, console, lang)
    return out.getvalue()


def test_segments_mark_only_the_changed_words() -> None:
    before, after = segments("国立行政法人国立印刷局", "独立行政法人国立印刷局")
    assert before == [Segment("国", "removed"), Segment("立行政法人国立印刷局", "same")]
    assert after == [Segment("独", "added"), Segment("立行政法人国立印刷局", "same")]
    before, after = segments("職員に徹底する。", "職員に徹底し、定期的に確認する。")
    assert [s.kind for s in before] == ["same"]
    assert after == [Segment("職員に徹底", "same"), Segment("し、定期的に確認", "added"), Segment("する。", "same")]
    # a one-character coincidence inside a rewording is not left as "unchanged"
    before, after = segments("ABCxDEF", "GHIxJKL")
    assert before == [Segment("ABCxDEF", "removed")] and after == [Segment("GHIxJKL", "added")]


def test_plain_terminal_reads_without_styling(council: PlanDiff) -> None:
    text = terminal_text(council, "ja")
    assert "\x1b[" not in text
    assert "変更箇所（7 件）" in text
    assert "[-国-]立行政法人国立印刷局 → {+独+}立行政法人国立印刷局" in text  # renamed, changed words bracketed
    assert "徹底{+し、定期的に確認+}する。" in text  # reworded measure
    assert "+ 業務: 電子証明書の鍵ペアの生成業務 [key_pair_generation]" in text
    assert "− 対策コード: USBメモリ等外部記録媒体の接続禁止" in text
    assert "+ 契約条項: 秘密保持義務 [contract.confidentiality]" in text
    assert "令和2年5月25日 (2020-05-25) → 令和2年6月1日 (2020-06-01)" in text
    assert "新たに生じた指摘（3 件）" in text and "解消された指摘（1 件）" in text
    assert "SGC-KEYPAIR-PLACEMENT" in text and "SGC-CONTRACT-BIZ-CONFIDENTIALITY" in text
    assert "変わらない指摘: 10 件" in text
    assert "変更 7 件・新たな指摘 3 件（高 3）・解消 1 件・内容の変化 0 件" in text


def test_english_terminal(council: PlanDiff) -> None:
    text = terminal_text(council, "en")
    assert "Changes (7)" in text and "Gaps introduced (3)" in text and "Gaps resolved (1)" in text
    assert "~ Effective date: 2020-05-25 → 2020-06-01" in text
    assert "+ Tasks:" in text and "[key_pair_generation]" in text
    assert "7 changes; 3 gaps introduced (high 3); 1 resolved; 0 changed" in text
    assert "変更箇所" not in text


def test_styled_terminal_underlines_additions_and_strikes_removals(council: PlanDiff) -> None:
    text = terminal_text(council, "ja", styled=True)
    assert "\x1b[" in text
    assert "{+" not in text and "[-" not in text  # styling replaces the brackets
    underline = [chunk for chunk in text.split("\x1b[") if chunk.split("m", 1)[0].split(";").count("4")]
    assert any(chunk.split("m", 1)[1].startswith("独") for chunk in underline)
    strike = [chunk for chunk in text.split("\x1b[") if chunk.split("m", 1)[0].split(";").count("9")]
    assert any(chunk.split("m", 1)[1].startswith("国") for chunk in strike)


def test_no_changes_says_so(catalog: Catalog) -> None:
    diff = diff_plans(load_declaration(SHINJUKU), load_declaration(SHINJUKU), catalog)
    text = terminal_text(diff, "ja")
    assert "変更はありません。" in text and "指摘の増減はありません。" in text
    assert f"変わらない指摘: {diff.old.findings} 件" in text and diff.old.findings > 0


def test_json_is_deterministic_parseable_and_documented(council: PlanDiff, catalog: Catalog, tmp_path: Path) -> None:
    text = render_json(council)
    again = diff_plans(
        load_declaration(SHINJUKU), load_declaration(patched(tmp_path, "new.yaml", COUNCIL_CHANGES)), catalog
    )

    # Fingerprints name the plan by its file (findings/identity.py): files elsewhere give other ones.
    def masked(json_text: str, directory: str) -> str:
        return re.sub(r'"fingerprint": "[0-9a-f]{20}"', '"fingerprint": "F"', json_text.replace(directory, "X"))

    assert masked(render_json(again), str(tmp_path)) == masked(text, str(Path(council.new.file).parent))
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert set(data) == {
        "format_version", "tool", "tool_version", "engine", "catalog_digest", "fail_on",
        "old", "new", "changes", "findings", "findings_unchanged", "summary",
    }  # fmt: skip
    assert data["format_version"] == 1 and data["summary"]["fails"] is True
    assert data["summary"]["introduced"]["high"] == 3 and data["summary"]["resolved"] == 1
    assert data["old"]["effective_date"] == "2020-05-25" and data["new"]["as_of"] == "2020-06-01"
    first = data["changes"][0]
    assert set(first) == {"entity", "key", "op", "field", "old", "new", "code", "label", "old_line", "new_line"}
    assert [(c["entity"], c["key"], c["op"], c["field"]) for c in data["changes"]][:3] == [
        ("plan", "plan", "changed", "effective_date"),
        ("party", "npb", "renamed", "name"),
        ("party", "npb", "added", "tasks"),
    ]
    statuses = [(f["status"], f["rule_id"]) for f in data["findings"]]
    assert statuses[0] == ("introduced", "SGC-KEYPAIR-PLACEMENT") and statuses[-1][0] == "resolved"
    assert data["findings"][0]["title"]["ja"] and data["findings"][0]["title"]["en"]


def test_markdown_tables(council: PlanDiff) -> None:
    text = render_markdown(council, "ja")
    assert text.startswith("# 計画の変更点") and text.endswith("\n")
    assert "## 変更箇所（7 件）" in text
    assert (
        "| ~ | 当事者 | `npb` 独立行政法人国立印刷局 | 名称 | "
        "<del>国</del>立行政法人国立印刷局 | <ins>独</ins>立行政法人国立印刷局 |" in text
    )
    assert "徹底<ins>し、定期的に確認</ins>する。" in text
    assert (
        "| + | 契約 | `jlis-contractors` | 契約条項 |  | <ins>秘密保持義務 \\[contract.confidentiality\\]</ins> |"
        in text
    )
    assert "| − | 対策 | `s1-principal-sys-7` | 対策コード | <del>USBメモリ等外部記録媒体の接続禁止" in text
    assert "### 新たに生じた指摘（3 件）" in text and "### 解消された指摘（1 件）" in text
    assert "| + | 高 | `SGC-KEYPAIR-PLACEMENT`" in text
    english = render_markdown(council, "en")
    assert "## Changes (7)" in english and "### Gaps introduced (3)" in english
    assert "| ~ | Party | `npb`" in english


def test_markdown_and_terminal_do_not_interpret_plan_text(catalog: Catalog, tmp_path: Path) -> None:
    hostile = "[bold]x[/bold] <script>alert(1)</script> | **y** :x:"
    new = patched(tmp_path, "new.yaml", [{"op": "set", "path": "parties/@npb/name", "value": hostile}])
    diff = diff_plans(load_declaration(SHINJUKU), load_declaration(new), catalog)
    assert "<script>" not in render_markdown(diff, "ja")
    assert "\\<script\\>" in render_markdown(diff, "ja") and "\\| \\*\\*y\\*\\*" in render_markdown(diff, "ja")
    assert "[bold]x[/bold]" in terminal_text(diff, "ja") and ":x:" in terminal_text(diff, "ja")


def test_every_field_and_part_has_words_in_both_languages() -> None:
    from safeguard_check.diff.fields import field_order
    from safeguard_check.diff.model import ENTITIES
    from safeguard_check.messages import catalog

    messages = catalog()
    for key, entry in messages.items():
        if key.startswith("diff."):
            assert entry.get("ja") and entry.get("en"), key
    for entity in ENTITIES:
        assert f"diff.entity.{entity}" in messages
        for name in field_order(entity):
            if name:
                assert f"diff.field.{name}" in messages, (entity, name)
