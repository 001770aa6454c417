"""The terminal report: 80 columns, wide characters, matrix alignment, plan text as written, no colour off a TTY."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table

from safeguard_check.findings.model import CheckResult, CoverageCell, PartySummary
from safeguard_check.messages import Lang, t
from safeguard_check.report.terminal import _Rows, coverage_matrix, finding_block, header, render_result

from .helpers import SHINJUKU, checked, hostile, with_waived

LANGS: tuple[Lang, ...] = ("ja", "en")
PLAIN = {"highlight": False, "markup": False, "emoji": False}  # as the CLI's console


def shinjuku() -> CheckResult:
    result = checked(SHINJUKU)
    assert result.coverage, "the checker no longer fills the coverage matrix: these tests need it"
    return result


def render(renderable: RenderableType, width: int = 80, **console: Any) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, **{**PLAIN, **console}).print(renderable)
    return buffer.getvalue()


def report(result: CheckResult, lang: Lang, width: int = 80, **console: Any) -> str:
    buffer = io.StringIO()
    render_result(result, Console(file=buffer, width=width, **{**PLAIN, **console}), lang)
    return buffer.getvalue()


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def grid_of(text: str, lang: Lang) -> tuple[str, list[str]]:
    """The coverage matrix's heading line and its requirement lines."""
    out = lines(text)
    start = out.index(t("report.coverage_title", lang)) + 1
    end = next(i for i, line in enumerate(out) if line.startswith("✓ "))
    return out[start], out[start + 1 : end]


def columns(line: str, start: int) -> list[tuple[int, str]]:
    """(terminal column, character) of each non-space character from terminal column ``start`` on."""
    out, col = [], 0
    for ch in line:
        if col >= start and not ch.isspace():
            out.append((col, ch))
        col += cell_len(ch)
    return out


# --- layout ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("variant", ["plain", "waived", "hostile"])
def test_no_line_is_wider_than_the_console(lang: Lang, width: int, variant: str) -> None:
    result = {"plain": shinjuku(), "waived": with_waived(shinjuku()), "hostile": hostile(shinjuku())}[variant]
    text = report(result, lang, width)
    assert max(cell_len(line) for line in lines(text)) <= width


@pytest.mark.parametrize("lang", LANGS)
def test_report_keeps_its_order(lang: Lang) -> None:
    text = report(shinjuku(), lang)
    order = [
        t("report.findings_title", lang),
        t("cli.summary.title", lang),
        "▶ 新宿区",
        "▶ 地方公共団体情報システム機構",
        t("report.coverage_title", lang),
    ]
    positions = [text.index(s) for s in order]
    positions.append(text.rindex(t("report.summary_line", lang, file=shinjuku().file)))
    assert positions == sorted(positions)


@pytest.mark.parametrize("lang", LANGS)
def test_finding_details_wrap_under_their_value_column(lang: Lang) -> None:
    """Labels two columns in; every line of a value, first or wrapped, starts in the same terminal column."""
    finding = next(f for f in shinjuku().findings if f.missing and len(f.requirements) > 1)
    body = finding_block(finding, lang).renderables[1]
    assert isinstance(body, _Rows)
    labels = [label for label, _ in body.rows]
    value_column = 2 + max(cell_len(label) for label in labels) + 1
    text = lines(render(body))
    assert len(text) > len(labels)  # something wrapped at 80 columns
    seen = []
    for line in text:
        first = columns(line, 0)[0][0]
        if first == 2:
            label = next(label for label in labels if line[2:].startswith(f"{label} "))
            seen.append(label)
            first = columns(line, 2 + cell_len(label))[0][0]
        assert first == value_column, line
    assert seen == labels


def test_header_values_line_up() -> None:
    text = lines(render(header(shinjuku(), "ja")))
    starts = {columns(line, 0)[0][0] if line.startswith(" ") else columns(line, 17)[0][0] for line in text}
    assert starts == {18}  # 適用法令の基準日 (16 cells) + 2


# --- coverage matrix -------------------------------------------------------------------------------


def with_wide_requirement(result: CheckResult) -> CheckResult:
    """``result`` plus a requirement whose id is Japanese (two cells a character), waived for one party."""
    parties = [p.id for p in result.plan.chain]
    extra = [
        CoverageCell(requirement="要件-全角テスト", party=party, status="waived" if i == 1 else "satisfied")
        for i, party in enumerate(parties)
    ]
    return result.model_copy(update={"coverage": (*result.coverage, *extra)})


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [80, 120])
def test_coverage_marks_sit_under_their_party_number(lang: Lang, width: int) -> None:
    result = with_wide_requirement(with_waived(shinjuku()))
    heading, rows = grid_of(render(coverage_matrix(result, lang, width), width), lang)
    id_end = 1 + cell_len(t("report.requirement", lang))
    numbers = columns(heading, id_end)
    assert [n for _, n in numbers] == [str(i) for i in range(1, len(result.plan.chain) + 1)]
    marks_seen = set()
    for row in rows:
        requirement = row.split()[0]
        marks = columns(row, 1 + cell_len(requirement))
        assert [col for col, _ in marks] == [col for col, _ in numbers], row
        marks_seen |= {mark for _, mark in marks}
    assert {"✓", "✗", "〜", "·"} <= marks_seen
    assert any(row.startswith(" 要件-全角テスト ") for row in rows)  # printed in full
    assert max(cell_len(line) for line in [heading, *rows]) <= width


def test_coverage_matrix_at_80_columns_shows_every_id_in_full() -> None:
    result = shinjuku()
    _, rows = grid_of(render(coverage_matrix(result, "ja", 80)), "ja")
    shown = {row.split()[0] for row in rows}
    expected = {c.requirement for c in result.coverage if c.status != "not_applicable"}
    assert shown == expected


@pytest.mark.parametrize("lang", LANGS)
def test_narrow_console_cuts_ids_but_keeps_every_party(lang: Lang) -> None:
    result = shinjuku()
    text = report(result, lang, 40)
    heading, rows = grid_of(text, lang)
    assert heading.split()[1:] == [str(i) for i in range(1, len(result.plan.chain) + 1)]
    assert any(row.split()[0].endswith("…") for row in rows)
    assert all(len(row.split()) == 1 + len(result.plan.chain) for row in rows)
    assert max(cell_len(line) for line in lines(text)) <= 40


def test_coverage_matrix_without_visible_rows_or_parties() -> None:
    result = shinjuku()
    nothing = result.model_copy(
        update={"coverage": tuple(c.model_copy(update={"status": "not_applicable"}) for c in result.coverage)}
    )
    heading, rows = grid_of(render(coverage_matrix(nothing, "en")), "en")
    assert heading.split()[0] == "Requirement" and rows == []
    lonely = nothing.model_copy(update={"plan": nothing.plan.model_copy(update={"chain": ()})})
    assert "Requirement" in render(coverage_matrix(lonely, "en"))


# --- plan text as written, colour ------------------------------------------------------------------


def with_markup_names(result: CheckResult) -> CheckResult:
    first = result.plan.chain[0]
    renamed: PartySummary = first.model_copy(update={"name": "[bold]新宿区[/bold] :x:"})
    plan = result.plan.model_copy(update={"chain": (renamed, *result.plan.chain[1:])})
    return result.model_copy(update={"plan": plan, "plan_title": "[red]計画[/red] :warning: 〔注〕"})


@pytest.mark.parametrize("lang", LANGS)
def test_plan_text_prints_as_written_even_on_a_markup_console(lang: Lang) -> None:
    # rich's defaults: markup, emoji and highlighting on. Plan text must still come out verbatim.
    text = report(with_markup_names(shinjuku()), lang, 120, highlight=True, markup=True, emoji=True)
    assert "[red]計画[/red] :warning: 〔注〕" in text
    assert "▶ [bold]新宿区[/bold] :x: [" in text  # the party's heading above its findings
    assert "1 [bold]新宿区[/bold] :x: [" in text  # the coverage legend
    assert "❌" not in text and "⚠" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_no_escape_codes_off_a_terminal(lang: Lang) -> None:
    text = report(with_waived(shinjuku()), lang)  # a StringIO is not a terminal
    assert "\x1b" not in text


_COLOUR = re.compile(r"^(3[0-9]|4[0-9]|9[0-7]|10[0-7])$")


def test_no_colour_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    text = report(with_waived(shinjuku()), "ja", force_terminal=True, color_system="truecolor")
    codes = [p for seq in re.findall(r"\x1b\[([0-9;]*)m", text) for p in seq.split(";")]
    assert codes  # still bold, dim, reverse…
    assert not [c for c in codes if _COLOUR.match(c)]


def test_colour_on_a_terminal() -> None:
    text = report(shinjuku(), "en", force_terminal=True, color_system="standard")
    assert "\x1b[32m✓" in text and "\x1b[1;31m✗" in text


# --- the hand-made rows wrap exactly as the Table.grid they replace -------------------------------


def reference(rows: _Rows, width: int) -> list[str]:
    grid = Table.grid(padding=(0, rows.gap))
    grid.add_column(no_wrap=True, justify=rows.label_justify)
    grid.add_column(overflow=rows.overflow)
    for label, value in rows.rows:
        grid.add_row(label, value)
    return lines(render(Padding(grid, (0, 0, 0, rows.indent)), width))


def all_rows(result: CheckResult, lang: Lang) -> list[_Rows]:
    """Every block of label/value rows in the report: header, finding details, coverage legend."""
    found = [header(result, lang), *(finding_block(f, lang).renderables[1] for f in result.findings)]
    found.append(coverage_matrix(result, lang).renderables[-1])
    out = [r for r in found if isinstance(r, _Rows)]
    assert len(out) == len(found)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [30, 47, 80, 133, 200])
def test_rows_wrap_like_the_table_grid(lang: Lang, width: int) -> None:
    result = hostile(with_waived(shinjuku()))  # newlines, control characters, a waiver, wide text
    for rows in all_rows(result, lang):
        assert lines(render(rows, width)) == reference(rows, width)


def _plans(result: CheckResult) -> list[CheckResult]:
    # Three plans with different findings, one with a long title and a deep path.
    quiet = result.model_copy(update={"findings": (), "municipality": "静かな町", "file": "b.yaml"})
    loud = result.model_copy(update={"municipality": "騒がしい区", "file": "a.yaml"})
    deep = "/" + "/".join(["とても深いディレクトリ"] * 8) + "/plan-with-a-long-name.yaml"
    long_title = result.model_copy(
        update={
            "plan_title": "件名" * 40,
            "file": deep,
            "findings": result.findings[:1],
            "municipality": "長い件名の市",
        }
    )
    return [quiet, long_title, loud]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [60, 80, 160])
def test_batch_table_is_one_line_per_plan_worst_first(lang: Lang, width: int) -> None:
    from safeguard_check.report.terminal import batch_table

    result = shinjuku()
    out = lines(render(batch_table(_plans(result), lang), width=width))
    assert out[0] == t("report.batch_title", lang)
    body = out[3:]
    assert len(body) == 3  # one line per plan, however long its title or path
    assert [row.split()[0] for row in body] == ["騒がしい区", "長い件名の市", "静かな町"]
    assert all(cell_len(row) <= width for row in out)
    # The end of a path names the file: it is kept, the start is cut.
    kept = {60: ".yaml", 80: "name.yaml", 160: "plan-with-a-long-name.yaml"}[width]
    assert body[1].endswith(kept)
    assert "…" in body[1]
    assert body[2].endswith("b.yaml")
    # Counts stand right-aligned under their severity headings.
    heading = out[1]
    high = t("severity.high", lang)
    high_end = cell_len(heading[: heading.index(high) + len(high)])
    plans = sorted(_plans(result), key=lambda r: -r.counts()["high"])
    for row, n in zip(body, [r.counts()["high"] for r in plans], strict=True):
        assert cell_len(row[: _end_of_count(row, high_end)]) == high_end
        assert row[: _end_of_count(row, high_end)].rstrip().endswith(str(n))


def _end_of_count(row: str, cells: int) -> int:
    # The character index at which ``cells`` terminal cells of ``row`` end.
    for i in range(len(row) + 1):
        if cell_len(row[:i]) >= cells:
            return i
    return len(row)


def test_batch_table_of_no_plans_prints_its_heading_only() -> None:
    from safeguard_check.report.terminal import batch_table

    out = lines(render(batch_table([], "ja")))
    assert out[0] == t("report.batch_title", "ja")
    assert len(out) == 3


@pytest.mark.parametrize("lang", LANGS)
def test_a_document_note_names_the_file_its_lines_are_in(lang: Lang) -> None:
    from safeguard_check.report.terminal import document_note

    text_note = document_note("shiryo30.txt", lang)
    assert text_note.startswith(t("report.draft_from_document", lang))
    assert text_note.endswith(t("report.document_lines", lang, file="shiryo30.txt"))
    # A PDF's findings are in the draft `ingest` writes: the note gives the command that writes it.
    pdf_note = document_note("shiryo30.pdf.yaml", lang)
    assert "safeguard-check ingest shiryo30.pdf -o shiryo30.pdf.yaml" in pdf_note
    assert t("report.document_lines", lang, file="shiryo30.pdf.yaml") not in pdf_note
