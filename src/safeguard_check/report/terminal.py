"""The auditor's terminal report (rich): header, findings along the delegation chain, coverage matrix.

The two-column blocks (header, finding details, party legend) and the coverage matrix are laid out
here rather than with ``rich.table.Table``: a Table measures and renders every cell separately, which
made the report take most of a cold start. Widths are counted in terminal cells (``cell_len``), so
Japanese aligns; the wrapping matches what the Tables produced. Rich still drops colour when the
output is not a terminal or NO_COLOR is set. Plan text is always put into ``Text`` objects, so it is
never read as console markup or emoji codes. Everything stays readable at 80 columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Literal

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from safeguard_check.findings.model import CheckResult, Finding
from safeguard_check.load.wareki import to_wareki
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import SEVERITIES
from safeguard_check.report.formats._common import (
    cap_text,
    citation_text,
    evidence_text,
    has_reading,
    mapped_text,
    missing_field_lines,
    not_judged,
    not_judged_lines,
    possibly_stated_lines,
    profile_text,
    rules_text,
    unrecognised_rows,
)
from safeguard_check.report.summary import legal_status_text

SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
COVERAGE_MARK = {"satisfied": "✓", "gap": "✗", "waived": "〜", "not_applicable": "·"}
COVERAGE_STYLE = {"satisfied": "green", "gap": "bold red", "waived": "yellow", "not_applicable": "dim"}
_MARK_WIDTH = {status: cell_len(mark) for status, mark in COVERAGE_MARK.items()}
# Below this many cells for the requirement ids, the matrix would be unreadable anyway; keep every party
# column instead of squeezing the ids further (lines wider than the console are cropped by rich).
_MIN_REQUIREMENT_WIDTH = 12
# A value column narrower than one wide character would drop Japanese text entirely.
_MIN_VALUE_WIDTH = 2


class _Rows:
    """Label/value rows, laid out when rendered (the width is only known then).

    Lays out like the ``Table.grid`` it replaces: the label column is as wide as the widest label and
    never wraps; the value column takes what the values need, up to the rest of the line, and wraps
    there (``overflow`` decides what happens to a word longer than the column).
    """

    def __init__(
        self,
        rows: Sequence[tuple[str, str | Text]],
        *,
        label_style: str,
        gap: int,
        overflow: Literal["fold", "ellipsis"],
        label_justify: Literal["left", "right"] = "left",
        indent: int = 0,
    ) -> None:
        self.rows = [(label, value if isinstance(value, Text) else Text(value)) for label, value in rows]
        self.label_style = label_style
        self.gap = gap
        self.overflow: Literal["fold", "ellipsis"] = overflow
        self.label_justify = label_justify
        self.indent = indent
        self.label_width = max((cell_len(label) for label, _ in self.rows), default=0)
        # Widths as rich measures Text (the longest line, before wrapping), and which values are one
        # line that needs no tab expansion: those print as they are when they fit, without wrapping.
        self.widths = [max((cell_len(line) for line in value.plain.splitlines()), default=0) for _, value in self.rows]
        self.simple = ["\t" not in value.plain and len(value.plain.splitlines()) <= 1 for _, value in self.rows]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        fixed = self.indent + self.label_width + self.gap
        return Measurement(fixed + _MIN_VALUE_WIDTH, fixed + max(self.widths, default=0)).with_maximum(
            options.max_width
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        label_width = self.label_width
        fixed = self.indent + label_width + self.gap
        width = max(min(max(self.widths, default=0), options.max_width - fixed), _MIN_VALUE_WIDTH)
        label_style = console.get_style(self.label_style)
        lead = Segment(" " * self.indent)
        gap = Segment(" " * self.gap)
        blank = Segment(" " * fixed)
        newline = Segment.line()
        tab_size = console.tab_size or 8
        for (label, value), value_width, simple in zip(self.rows, self.widths, self.simple, strict=True):
            pad = " " * (label_width - cell_len(label))
            cell = pad + label if self.label_justify == "right" else label + pad
            if simple and value_width <= width:
                lines = [value.copy()]  # what wrap() would return, without the word-by-word pass
            else:
                lines = list(value.wrap(console, width, justify="default", overflow=self.overflow, tab_size=tab_size))
            for index, line in enumerate(lines):
                if index:
                    yield blank
                else:
                    yield lead
                    yield Segment(cell, label_style)
                    yield gap
                line.rstrip()
                yield from line.render(console)
                yield newline


def _date(d: object, lang: Lang) -> str:
    import datetime as dt

    if not isinstance(d, dt.date):
        return str(d)
    return f"{to_wareki(d)} ({d.isoformat()})" if lang == "ja" else d.isoformat()


def header(result: CheckResult, lang: Lang) -> RenderableType:
    """Plan identity, the law applied (date, why, instruments) and counts by severity."""
    rows: list[tuple[str, str | Text]] = [
        (t("cli.summary.title", lang), result.plan_title),
        (t("cli.summary.municipality", lang), f"{result.municipality}  {result.department}"),
        (t("cli.summary.effective", lang), _date(result.effective_date, lang)),
    ]
    source = t(f"report.as_of_source.{result.as_of_source}", lang)
    rows.append((t("report.as_of", lang), f"{_date(result.as_of, lang)} — {source}"))
    rows.append(
        (
            t("report.instruments", lang),
            "\n".join(
                f"{i.short.get(lang)}: " + t("report.requirements_in_force", lang, n=i.requirements_in_force)
                for i in result.instruments
                if i.requirements_in_force
            ),
        )
    )
    rows.append(
        (
            t("report.rules_run", lang),
            rules_text(result, lang),
        )
    )
    rows.append((t("report.profile", lang), profile_text(result, lang)))
    rows.append((t("report.counts", lang), severity_counts(result.counts(), lang)))
    if result.reading is not None:  # a council document: how much of it was read, before the findings
        rows.append((t("report.reading", lang), Text(mapped_text(result, lang), style="yellow")))
    waived = sum(result.counts("waived").values())
    if waived:
        rows.append((t("report.waived_count", lang), str(waived)))
    if result.baseline_suppressed:
        rows.append((t("report.baseline_count", lang), str(len(result.baseline_suppressed))))
    # Words too long for the line (a Japanese title has no spaces) end in "…", as they always have.
    return _Rows(rows, label_style="bold", gap=2, overflow="ellipsis")


def severity_counts(counts: dict[str, int], lang: Lang) -> Text:
    """``重大 0  高 4 …`` with the non-zero counts highlighted."""
    return Text("  ").join(
        Text(f"{t(f'severity.{s}', lang)} {counts[s]}", style=SEVERITY_STYLE[s] if counts[s] else "dim")
        for s in SEVERITIES
    )


def finding_block(f: Finding, lang: Lang) -> Group:
    """One finding: severity, rule, subject and place, what is missing, citations, remediation."""
    head = Text()
    head.append(f" {t(f'severity.{f.severity}', lang)} ", style=SEVERITY_STYLE[f.severity])
    if f.status == "waived":
        head.append(f" {t('report.waived', lang)} ", style="reverse")
    head.append(f" {f.rule_id} ", style="bold")
    head.append(f.title.get(lang))
    rows: list[tuple[str, str | Text]] = []
    where = f"{f.file}:{f.line}" if f.line else f.file
    kind = t(f"subject.{f.subject_kind}", lang)
    rows.append((t("report.subject", lang), f"{f.subject_name} ({kind} {f.subject_id})"))
    rows.append((t("report.location", lang), where))
    rows.append((t("report.message", lang), f.message.get(lang)))
    if f.missing:
        sep = t("report.or", lang) if f.missing_mode == "any_of" else ("、" if lang == "ja" else ", ")
        rows.append((t("report.missing", lang), sep.join(f"{m.label.get(lang)} [{m.code}]" for m in f.missing)))
        rows.append((t("report.evidence", lang), evidence_text(f, lang)))
    cap = cap_text(f, lang)
    if cap is not None:
        rows.append((t("report.cap", lang), cap))
    rows.append((t("report.citations", lang), "\n".join(citation_text(r, lang) for r in f.requirements)))
    rows.append((t("report.remediation", lang), f.remediation.get(lang)))
    if f.possibly_stated:
        rows.append(
            (t("fmt.possibly_stated.label", lang), Text("\n".join(possibly_stated_lines(f, lang)), style="yellow"))
        )
    if f.waiver is not None:
        w = f.waiver
        rows.append(
            (
                t("report.waiver", lang),
                t(
                    "report.waiver_detail",
                    lang,
                    id=w.id,
                    justification=w.justification,
                    approved_by=w.approved_by or "-",
                    expires=_date(w.expires, lang),
                ),
            )
        )
    # Long identifiers (paths, requirement ids) are folded rather than cut: the reader needs all of them.
    body = _Rows(rows, label_style="dim", gap=1, overflow="fold", indent=2)
    return Group(head, body, Text())


def findings_by_party(result: CheckResult, lang: Lang) -> list[RenderableType]:
    """Findings grouped under each party, in chain order (区 → 機構 → 受託事業者 → 再委託先)."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        grouped[f.party_id].append(f)
    chain = sorted(result.plan.chain, key=lambda p: p.depth)  # stable: declaration order within a depth
    out: list[RenderableType] = []
    for party in chain:
        items = grouped.get(party.id)
        if not items:
            continue
        role = t(f"cli.role.{party.role}", lang)
        indent = "  " * party.depth
        status = legal_status_text(party.legal_status, party.legal_status_source, lang)
        title = Text(f"{indent}▶ {party.name} [{role}・{status}]", style="bold underline")
        title.append(f"  {severity_summary(items, lang)}", style="dim")
        out.append(title)
        out.extend(finding_block(f, lang) for f in items)
    return out


def severity_summary(findings: list[Finding], lang: Lang) -> str:
    """``高 2・低 1`` for a list of findings."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return "・".join(f"{t(f'severity.{s}', lang)} {n}" for s, n in counts.items() if n)


def coverage_matrix(result: CheckResult, lang: Lang, width: int = 80) -> Group:
    """Requirements × parties: ✓ satisfied, ✗ gap, 〜 waived, · not applicable (numbered columns).

    The grid is laid out for ``width`` cells (the console's width in :func:`render_result`); the legend
    of party names below it wraps to whatever width it is printed at.
    """
    parties = list(result.plan.chain)
    by_req: dict[str, dict[str, str]] = defaultdict(dict)
    for cell in result.coverage:
        by_req[cell.requirement][cell.party] = cell.status
    rows = [
        (req, [cells.get(party.id, "not_applicable") for party in parties])
        for req, cells in by_req.items()
        if not all(status == "not_applicable" for status in cells.values())
    ]
    numbers = [str(index) for index in range(1, len(parties) + 1)]
    # A column is as wide as its number or its widest mark (〜 takes two cells); one space either side.
    columns = [
        max([cell_len(number), *(_MARK_WIDTH[statuses[i]] for _, statuses in rows)]) for i, number in enumerate(numbers)
    ]
    heading = t("report.requirement", lang)
    # Requirement ids stay on one line (they are what `explain` takes), cut with "…" only if the
    # party columns would not fit otherwise.
    id_width = min(
        max([cell_len(heading), *(cell_len(req) for req, _ in rows)]),
        max(width - sum(c + 2 for c in columns) - 2, _MIN_REQUIREMENT_WIDTH),
    )

    grid = Text(no_wrap=True, overflow="ignore")  # laid out already: wrapping would break the columns
    lines = [(heading, [(number, "table.header") for number in numbers], "table.header")]
    lines += [(req, [(COVERAGE_MARK[s], COVERAGE_STYLE[s]) for s in statuses], "") for req, statuses in rows]
    for index, (label, marks, label_style) in enumerate(lines):
        grid.append("\n " if index else " ")
        grid.append(_fit(label, id_width), style=label_style)
        after = ""  # the previous column's right padding; left off at the end of a line
        for (mark, style), column in zip(marks, columns, strict=True):
            left, right = _centre(mark, column)
            grid.append(f"{after}  {left}")
            grid.append(mark, style=style)
            after = right
    legend = _Rows(
        [
            (number, f"{party.name} [{t(f'cli.role.{party.role}', lang)}]")
            for number, party in zip(numbers, parties, strict=True)
        ],
        label_style="dim",
        gap=1,
        overflow="ellipsis",
        label_justify="right",
    )
    key = "  ".join(f"{mark} {t(f'coverage.{status}', lang)}" for status, mark in COVERAGE_MARK.items())
    return Group(Text(t("report.coverage_title", lang), style="table.title"), grid, Text(key, style="dim"), legend)


def _fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells, or cut to it with an ellipsis."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - cell_len(text))


def _centre(text: str, width: int) -> tuple[str, str]:
    """Spaces before and after ``text`` to centre it in ``width`` cells (the odd cell goes right)."""
    excess = width - cell_len(text)
    return " " * (excess // 2), " " * (excess - excess // 2)


def waiver_notes(result: CheckResult, lang: Lang) -> list[RenderableType]:
    """Expired waivers (the finding is back) and waivers that matched nothing."""
    out: list[RenderableType] = []
    for w in result.waivers_expired:
        out.append(
            Text(
                t(
                    "report.waiver_expired",
                    lang,
                    id=w.id,
                    expires=_date(w.expires, lang),
                    rule=w.rule or w.requirement or "-",
                    subject=w.subject,
                ),
                style="yellow",
            )
        )
    for w in result.waivers_unmatched:
        out.append(
            Text(
                t(
                    "report.waiver_unmatched",
                    lang,
                    id=w.id,
                    rule=w.rule or w.requirement or "-",
                    subject=w.subject,
                ),
                style="dim",
            )
        )
    return out


def document_note(file: str, lang: Lang) -> str:
    """What a reader of a plan read from a council document must know: it is a draft, and which file
    the line numbers are in (the document itself for text; for a PDF, the draft ``ingest`` writes,
    named ``<document>.yaml``: see ``ingest/api.py``)."""
    where = (
        t("report.draft_lines", lang, source=file.removesuffix(".yaml"), file=file)
        if file.endswith(".yaml")
        else t("report.document_lines", lang, file=file)
    )
    space = "" if lang == "ja" else " "  # Japanese sentences run on without one
    return f"{t('report.draft_from_document', lang)}{space}{where}"


def reading_section(result: CheckResult, lang: Lang) -> list[RenderableType]:
    """What the council document's check could not read: how many measure sentences mapped, each
    sentence that mapped to nothing (line and where it is printed), missing form fields and the rules
    they left unjudged. Empty for a declaration."""
    if not has_reading(result):
        return []
    out: list[RenderableType] = [Text(), Text(t("fmt.reading.title", lang), style="bold underline")]
    if result.reading is not None:
        out.append(Text(mapped_text(result, lang), style="bold"))
    rows = unrecognised_rows(result, lang)
    if rows:
        out.append(Text(t("fmt.reading.intro", lang), style="dim"))
        out.append(
            _Rows(
                [
                    (line, Text(f"{where}\n「{text}」" if lang == "ja" else f'{where}\n"{text}"'))
                    for line, where, _, text in rows
                ],
                label_style="yellow",
                gap=1,
                overflow="fold",
                label_justify="right",
                indent=2,
            )
        )
    else:
        out.append(Text(t("fmt.reading.all_read", lang), style="dim"))
    fields = missing_field_lines(result, lang)
    if fields:
        out.append(Text(t("fmt.reading.missing_fields", lang), style="bold"))
        out.extend(Text(f"  - {line}") for line in fields)
    rules = not_judged(result)
    if rules:
        out.append(Text(f"{t('fmt.reading.not_judged', lang)}: {', '.join(rules)}", style="yellow"))
        out.extend(Text(f"  - {line}", style="yellow") for line in not_judged_lines(result, lang))
    return out


def render_result(result: CheckResult, console: Console, lang: Lang, *, matrix: bool = True) -> None:
    """Print the whole report for one checked plan."""
    console.rule(t("report.findings_title", lang))
    # One print for the rest: each print asks the terminal its size and flushes, which adds up.
    out: list[RenderableType] = []
    if result.source_kind == "document":
        out.append(Text(document_note(result.file, lang), style="yellow"))
    out += [header(result, lang), Text()]
    out += findings_by_party(result, lang) or [Text(t("report.no_findings", lang))]
    out += waiver_notes(result, lang)
    out += reading_section(result, lang)
    if matrix and result.coverage:
        out += [Text(), coverage_matrix(result, lang, console.width)]
    out += [Text(), Text(t("report.summary_line", lang, file=result.file), style="bold")]
    out.append(severity_counts(result.counts(), lang))
    console.print(Group(*out))


def batch_table(results: list[CheckResult], lang: Lang) -> RenderableType:
    """One line per plan, worst first (by open findings per severity), then by file for stability."""

    def badness(r: CheckResult) -> tuple[int, ...]:
        counts = r.counts()
        return tuple(-counts[s] for s in SEVERITIES)

    rows = [
        (r.municipality, r.plan_title, r.counts(), r.file) for r in sorted(results, key=lambda r: (badness(r), r.file))
    ]
    return _BatchTable(rows, lang)


class _BatchTable:
    """The batch summary laid out at print time, one line per plan whatever the width.

    An archive holds thousands of plans: a rich Table measured every cell (seconds per thousand rows)
    and wrapped long titles over several lines. Here the title is cut with an ellipsis and the file
    keeps its end (the informative part of a path), so each plan stays on one line.
    """

    def __init__(self, rows: list[tuple[str, str, dict[str, int], str]], lang: Lang) -> None:
        self.rows = rows
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType | Segment]:
        lang = self.lang
        heads = [t(f"severity.{s}", lang) for s in SEVERITIES]
        count_widths = [
            max(cell_len(h), *(len(str(c[s])) for _, _, c, _ in self.rows)) if self.rows else cell_len(h)
            for h, s in zip(heads, SEVERITIES, strict=True)
        ]
        muni_head, title_head, file_head = (t(f"report.col.{k}", lang) for k in ("municipality", "title", "file"))
        muni_w = min(20, max([cell_len(muni_head), *(cell_len(m) for m, _, _, _ in self.rows)]))
        fixed = muni_w + sum(w + 1 for w in count_widths) + 3
        rest = max(12, options.max_width - fixed)
        # The file names the plan unambiguously, so it gets the room first; the title keeps a third.
        title_need = max([cell_len(title_head), *(cell_len(x) for _, x, _, _ in self.rows)])
        file_need = max([cell_len(file_head), *(cell_len(f) for _, _, _, f in self.rows)])
        title_w = max(6, min(title_need, max(rest // 3, rest - file_need)))
        file_w = max(6, rest - title_w)
        yield Text(t("report.batch_title", lang), style="table.title")
        head = Text(_fit(muni_head, muni_w) + " ", style="bold")
        for h, w in zip(heads, count_widths, strict=True):
            head.append(" " * (w - cell_len(h)) + h + " ", style="bold")
        head.append(" " + _fit(title_head, title_w) + " " + file_head, style="bold")
        yield head
        yield Text("─" * min(options.max_width, fixed + title_w + file_w), style="dim")
        new_line = Segment.line()
        for muni, title, counts, file in self.rows:
            yield Segment(_fit(muni, muni_w) + " ")
            for sev, w in zip(SEVERITIES, count_widths, strict=True):
                n = str(counts[sev])
                yield Segment(" " * (w - len(n)))
                yield Segment(n, console.get_style(SEVERITY_STYLE[sev] if counts[sev] else "dim"))
                yield Segment(" ")
            yield Segment(" " + _fit(title, title_w) + " " + _tail(file, file_w).rstrip())
            yield new_line


def _tail(text: str, width: int) -> str:
    """``text`` cut to its last ``width`` cells behind an ellipsis (paths: the end names the file)."""
    if cell_len(text) <= width:
        return text
    kept = text
    while cell_len(kept) > width - 1:
        kept = kept[1:]
    return "…" + kept
