"""HTML: one self-contained printable file, everything from the plan escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from safeguard_check.findings.model import Report
from safeguard_check.report.formats.html import render_html

from .helpers import HOSTILE_TITLE, SHINJUKU_FINDINGS, WAIVED_RULE

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base", "embed"}


class Page(HTMLParser):
    """Text, elements and attributes of a page; checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.style = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)

    def elements(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in (a.get("class") or "").split())]


def page(report: Report, lang: str = "ja") -> Page:
    p = Page()
    p.feed(render_html(report, lang))  # type: ignore[arg-type]
    p.close()
    return p


def test_well_formed(all_reports: dict[str, Report]) -> None:
    for name, report in all_reports.items():
        p = page(report)
        assert not p.errors and not p.stack, (name, p.errors[:3], p.stack)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_self_contained(all_reports: dict[str, Report], lang: str) -> None:
    for report in all_reports.values():
        out = render_html(report, lang)  # type: ignore[arg-type]
        p = page(report, lang)
        assert out.startswith("<!DOCTYPE html>\n")
        assert not p.elements("script") and not p.elements("link") and not p.elements("img")
        assert not p.elements("iframe") and not p.elements("object")
        for _, attrs in p.tags:
            for key in ("src", "href", "action", "data"):
                value = attrs.get(key) or ""
                assert not re.match(r"\s*(https?:)?//", value, flags=re.I), value
        assert "url(" not in p.style and "@import" not in p.style and "http" not in p.style
        (html,) = p.elements("html")
        assert html["lang"] == lang
        (meta,) = [a for a in p.elements("meta") if "charset" in a]
        assert meta["charset"] == "utf-8"


def test_japanese_fonts_and_print_css(shinjuku: Report) -> None:
    style = page(shinjuku).style
    for font in ('"Hiragino Kaku Gothic ProN"', '"Yu Gothic"', "Meiryo", '"Noto Sans CJK JP"', "sans-serif"):
        assert font in style
    assert "@media print" in style and "break-before: page" in style and "@page" in style
    print_css = style[style.index("@media print") :]
    assert ".party + .party" in print_css
    screen = style[style.index("@media screen") : style.index("@page")]
    outside_screen = style.replace(screen, "")
    assert "background: #fff" in outside_screen and outside_screen.count("background") == 1


def test_header_and_every_finding(shinjuku: Report) -> None:
    p = page(shinjuku)
    text = p.all_text()
    result = shinjuku.results[0]
    for value in (result.plan_title, result.municipality, result.department, "令和2年5月25日 (2020-05-25)"):
        assert value in text
    bango = next(i for i in result.instruments if i.id == "bango-ho")
    assert f"番号法: 施行中の要件 {bango.requirements_in_force}" in text
    articles = p.elements("article", "finding")
    assert len(articles) == SHINJUKU_FINDINGS
    for f in result.findings:
        assert f.rule_id in text and f.title.ja in text and f.message.ja in text and f.remediation.ja in text
        assert f"{f.file}:{f.line}" in text
        for r in f.requirements:
            assert r.label.ja in text
        for m in f.missing:
            assert m.label.ja in text
    for rule_id in result.rules_run:
        if any(f.rule_id == rule_id for f in result.findings):
            assert rule_id in text
    for rule_id in result.rules_inactive:
        assert rule_id in text
    counts = p.elements("table", "counts")
    assert counts
    severities = [a.get("class") for a in articles]
    assert severities.count("finding sev-medium") == 6 and severities.count("finding sev-low") == 4


def test_parties_in_chain_order_each_a_section(shinjuku: Report) -> None:
    out = render_html(shinjuku)
    positions = [out.index(f"<h3>{name}（") for name in ("新宿区", "地方公共団体情報システム機構")]
    assert positions == sorted(positions)
    # One section per party with a finding (since the caps and REVIEW-2026-12: the ward and J-LIS).
    assert out.count('<section class="party">') == len({f.party_id for f in shinjuku.results[0].findings}) == 2


def test_waived_finding_is_marked(waived: Report) -> None:
    p = page(waived, "en")
    articles = p.elements("article", "waived")
    assert len(articles) == 1 and "sev-medium" in (articles[0].get("class") or "")
    assert len(p.elements("article", "finding")) == SHINJUKU_FINDINGS
    text = p.all_text()
    assert "Waived" in text and "多要素認証" in text and "2021-03-31" in text and "情報政策課長" in text
    assert WAIVED_RULE in text
    assert "Expired waivers" in text and "W-OLD" in text and "Waivers matching no finding" in text
    assert "W-GONE" in text
    waived_cells = [a for a in p.elements("td") if a.get("title") == "waived"]
    assert waived_cells


def test_coverage_matrix(waived: Report) -> None:
    out = render_html(waived)
    matrix = out[out.index('<table class="coverage">') :]
    matrix = matrix[: matrix.index("</table>")]
    assert matrix.count("<tr>") == 1 + sum(
        1
        for req in dict.fromkeys(c.requirement for c in waived.results[0].coverage)
        if any(c.status != "not_applicable" for c in waived.results[0].coverage if c.requirement == req)
    )
    for mark in ("✓", "✗", "〜", "−"):
        assert mark in matrix


def test_plan_text_is_escaped(hostile_report: Report) -> None:
    out = render_html(hostile_report)
    p = page(hostile_report)
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert not p.elements("script") and not p.elements("b") and not p.elements("i")
    assert not [a for a in p.elements("a")]
    text = p.all_text()
    assert HOSTILE_TITLE.split("\n")[0] in text  # shown as text, verbatim
    assert "新宿区 & <i>区</i>" in text and "戸籍|住民課" in text
    (title,) = re.findall(r"<title>(.*?)</title>", out, flags=re.S)
    assert "&lt;script&gt;" in title


def test_english(waived: Report) -> None:
    p = page(waived, "en")
    text = p.all_text()
    for label in (
        "Law applied as of",
        "Findings by severity",
        "Suggested wording",
        "Legal basis",
        "Requirements × parties",
    ):
        assert label in text
    for label in ("適用法令の基準日", "重大度別の件数", "修正案", "根拠", "要件 × 当事者の対応表"):
        assert label not in text
