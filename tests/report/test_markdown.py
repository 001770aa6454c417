"""Markdown for pull-request comments: headings, tables, chain order, waivers, coverage, escaping."""

from __future__ import annotations

import re

from safeguard_check.findings.model import PartySummary, Report
from safeguard_check.report.formats.markdown import cell, code, md, render_markdown

from .helpers import HOSTILE_TITLE, SHINJUKU, SHINJUKU_FINDINGS, WAIVED_RULE, checked, report_of


def tables(text: str) -> list[list[str]]:
    """Every table's rows (lines starting with ``|``), grouped."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            out.append(current)
            current = []
    return out


def cells(row: str) -> list[str]:
    """A GFM row split on unescaped pipes (outside code spans too: GFM splits first)."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def finding_rows(text: str) -> list[list[str]]:
    rows = []
    for table in tables(text):
        head = cells(table[0])
        if head[:3] in (["番号", "重大度", "規則"], ["No.", "Severity", "Rule"]) and head[-1] in (
            "根拠",
            "Legal basis",
        ):
            rows += [cells(r) for r in table[2:]]
    return rows


def test_every_table_row_has_its_headers_cell_count(all_reports: dict[str, Report]) -> None:
    for name, report in all_reports.items():
        for lang in ("ja", "en"):
            for table in tables(render_markdown(report, lang)):
                width = len(cells(table[0]))
                assert re.fullmatch(r"\|( :?-+:? \|)+", table[1]), table[1]
                for row in table:
                    assert len(cells(row)) == width, (name, row)


def test_title_law_and_counts(shinjuku: Report) -> None:
    out = render_markdown(shinjuku)
    assert out.startswith("# 個人番号カード関連事務 委任・委託計画のチェック結果\n")
    result = shinjuku.results[0]
    assert f"## 新宿区 {md(result.plan_title)}" in out
    assert "令和2年5月25日 (2020-05-25) — 計画の変更日による" in out
    bango = next(i for i in result.instruments if i.id == "bango-ho")
    assert f"番号法: 施行中の要件 {bango.requirements_in_force}" in out
    counts = next(t for t in tables(out) if cells(t[0]) == ["重大度", "未対応", "許容済み"])
    assert [cells(r) for r in counts[2:]] == [
        ["重大", "0", "0"],
        ["高", "0", "0"],
        ["中", "6", "0"],
        ["低", "4", "0"],
        ["情報", "1", "0"],
        ["**合計**", f"**{SHINJUKU_FINDINGS}**", "**0**"],
    ]


def test_findings_table_lists_every_finding(shinjuku: Report) -> None:
    out = render_markdown(shinjuku)
    rows = finding_rows(out)
    result = shinjuku.results[0]
    assert len(rows) == SHINJUKU_FINDINGS
    assert [r[0] for r in rows] == [str(n) for n in range(1, SHINJUKU_FINDINGS + 1)]
    by_key = {(r[2], r[4]): r for r in rows}
    for f in result.findings:
        row = by_key[(code(f.rule_id), code(f"{f.file}:{f.line}"))]
        assert row[1] == {"high": "高", "medium": "中", "low": "低", "info": "情報"}[f.severity]
        for m in f.missing:
            assert cell(m.label.ja) in row[5]
        for r in f.requirements:
            assert f"\\[{r.id}\\]" in row[6]
        assert md(f.remediation.ja) in out and md(f.message.ja) in out


def test_parties_follow_the_chain(shinjuku: Report) -> None:
    out = render_markdown(shinjuku)
    order = [out.index(f"#### {name}（") for name in ("新宿区", "地方公共団体情報システム機構")]
    assert order == sorted(order)


def test_chain_order_is_depth_not_declaration_order() -> None:
    result = checked(SHINJUKU)
    chain = tuple(reversed(result.plan.chain))
    out = render_markdown(
        report_of(result.model_copy(update={"plan": result.plan.model_copy(update={"chain": chain})}))
    )
    headings = re.findall(r"^#### (.+?)（", out, flags=re.M)
    assert headings[:2] == ["新宿区", "地方公共団体情報システム機構"]


def test_subcontractors_come_last() -> None:
    result = checked(SHINJUKU)
    sub = PartySummary(id="sub", name="再委託株式会社", role="subcontractor", received_from="npb", depth=3)
    plan = result.plan.model_copy(update={"chain": (sub, *result.plan.chain)})
    first = result.findings[0].model_copy(update={"party_id": "sub"})
    out = render_markdown(
        report_of(result.model_copy(update={"plan": plan, "findings": (first, *result.findings[1:])}))
    )
    headings = re.findall(r"^#### (.+)$", out, flags=re.M)
    assert headings[-1] == "再委託株式会社（再委託先）"


def test_waived_findings_have_their_own_section(waived: Report) -> None:
    out = render_markdown(waived)
    rows = finding_rows(out)
    assert len(rows) == SHINJUKU_FINDINGS - 1
    assert all(code(WAIVED_RULE) not in r[2] for r in rows)
    section = out[out.index("### 許容済みの指摘") :]
    (table, *_) = tables(section)
    assert cells(table[0])[-4:] == ["理由", "承認者", "有効期限", "許容 ID"]
    (row,) = [cells(r) for r in table[2:]]
    assert row[2] == code(WAIVED_RULE)
    assert "多要素認証" in row[5] and row[6] == "情報政策課長"
    assert row[7] == "令和3年3月31日 (2021-03-31)" and row[8] == code("W-001")
    assert "### 有効期限切れの許容" in out and code("W-OLD") in out
    assert "### 該当する指摘のない許容" in out and code("W-GONE") in out
    assert "許容ファイル" in out


def test_coverage_matrix(waived: Report) -> None:
    out = render_markdown(waived)
    matrix = next(t for t in tables(out) if cells(t[0])[0] == "要件")
    head = cells(matrix[0])
    assert head[1:3] == ["新宿区", "地方公共団体情報システム機構"]
    marks = {c for r in matrix[2:] for c in cells(r)[1:]}
    assert marks <= {"✓", "✗", "〜", "−"} and {"✓", "✗", "〜", "−"} <= marks
    mfa = next(cells(r) for r in matrix[2:] if cells(r)[0] == code("SOUMU-SECPOL-MYNUMBER-MFA"))
    assert mfa[1] == "〜"
    requirement_rows = {cells(r)[0] for r in matrix[2:]}
    shown = {c.requirement for c in waived.results[0].coverage if c.status != "not_applicable"}
    assert requirement_rows == {code(r) for r in shown}


def test_english_switches_every_heading(waived: Report) -> None:
    out = render_markdown(waived, "en")
    for heading in (
        "# My Number card delegation plan check",
        "### Findings by severity",
        "### Findings",
        "#### 新宿区 (principal)",
        "### Waived findings (accepted risks)",
        "### Expired waivers",
        "### Waivers matching no finding",
        "### Requirements × parties",
    ):
        assert f"\n{heading}\n" in f"\n{out}", heading
    assert "2020-05-25 — the plan's effective date" in out


def test_plan_text_is_escaped(hostile_report: Report) -> None:
    out = render_markdown(hostile_report)
    heading = next(line for line in out.split("\n") if line.startswith("## "))
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out
    assert "\\<script\\>" in heading and "\\|" in heading and "\\`code\\`" in heading and "\\*em\\*" in heading
    assert "\\[x\\](https://evil.example)" in heading  # no link
    assert HOSTILE_TITLE.split("\n")[0] not in out
    rows = finding_rows(out)
    subjects = [r[3] for r in rows]
    assert any("端末 \\| 1<br>2 \\<b\\>bold\\</b\\> \\& \\`tick\\`" in s for s in subjects), subjects


def test_cell_escaping_helpers() -> None:
    assert cell("a|b\nc") == "a\\|b<br>c"
    assert md("x\n  y") == "x y"
    assert code("a|b") == "`a\\|b`"
    assert code("a`b") == "``a`b``"
    assert code("`a") == "`` `a ``"
