"""The auditor's terminal report (rich): header, findings along the delegation chain, coverage matrix.

Rich measures East Asian wide characters itself, so Japanese aligns; it drops colour when the output
is not a terminal or NO_COLOR is set. Everything is laid out to stay readable at 80 columns.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from safeguard_check.findings.model import CheckResult, Finding
from safeguard_check.load.wareki import to_wareki
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import SEVERITIES

SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
COVERAGE_MARK = {"satisfied": "✓", "gap": "✗", "waived": "〜", "not_applicable": "·"}
COVERAGE_STYLE = {"satisfied": "green", "gap": "bold red", "waived": "yellow", "not_applicable": "dim"}


def _date(d: object, lang: Lang) -> str:
    import datetime as dt

    if not isinstance(d, dt.date):
        return str(d)
    return f"{to_wareki(d)} ({d.isoformat()})" if lang == "ja" else d.isoformat()


def header(result: CheckResult, lang: Lang) -> Table:
    """Plan identity, the law applied (date, why, instruments) and counts by severity."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row(t("cli.summary.title", lang), result.plan_title)
    grid.add_row(t("cli.summary.municipality", lang), f"{result.municipality}  {result.department}")
    grid.add_row(t("cli.summary.effective", lang), _date(result.effective_date, lang))
    source = t(f"report.as_of_source.{result.as_of_source}", lang)
    grid.add_row(t("report.as_of", lang), f"{_date(result.as_of, lang)} — {source}")
    grid.add_row(
        t("report.instruments", lang),
        "\n".join(
            f"{i.short.get(lang)}: " + t("report.requirements_in_force", lang, n=i.requirements_in_force)
            for i in result.instruments
            if i.requirements_in_force
        ),
    )
    grid.add_row(
        t("report.rules_run", lang),
        t("report.rules_count", lang, run=len(result.rules_run), inactive=len(result.rules_inactive)),
    )
    grid.add_row(t("report.counts", lang), severity_counts(result.counts(), lang))
    waived = sum(result.counts("waived").values())
    if waived:
        grid.add_row(t("report.waived_count", lang), str(waived))
    if result.baseline_suppressed:
        grid.add_row(t("report.baseline_count", lang), str(len(result.baseline_suppressed)))
    return grid


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
    body = Table.grid(padding=(0, 1))
    body.add_column(style="dim", no_wrap=True)
    body.add_column(overflow="fold")
    where = f"{f.file}:{f.line}" if f.line else f.file
    kind = t(f"subject.{f.subject_kind}", lang)
    body.add_row(t("report.subject", lang), f"{f.subject_name} ({kind} {f.subject_id})")
    body.add_row(t("report.location", lang), where)
    body.add_row(t("report.message", lang), f.message.get(lang))
    if f.missing:
        sep = t("report.or", lang) if f.missing_mode == "any_of" else ("、" if lang == "ja" else ", ")
        body.add_row(t("report.missing", lang), sep.join(f"{m.label.get(lang)} [{m.code}]" for m in f.missing))
    body.add_row(
        t("report.citations", lang),
        "\n".join(
            f"{r.label.get(lang)} [{r.id}]"
            + ("" if r.verification == "official_text" else f" ({t(f'verification.{r.verification}', lang)})")
            for r in f.requirements
        ),
    )
    body.add_row(t("report.remediation", lang), f.remediation.get(lang))
    if f.waiver is not None:
        w = f.waiver
        body.add_row(
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
    return Group(head, Padding(body, (0, 0, 1, 2)))


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
        title = Text(f"{indent}▶ {party.name} [{role}]", style="bold underline")
        title.append(f"  {severity_summary(items, lang)}", style="dim")
        out.append(title)
        out.extend(finding_block(f, lang) for f in items)
    return out


def severity_summary(findings: list[Finding], lang: Lang) -> str:
    """``高 2・低 1`` for a list of findings."""
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return "・".join(f"{t(f'severity.{s}', lang)} {n}" for s, n in counts.items() if n)


def coverage_matrix(result: CheckResult, lang: Lang, width: int = 80) -> Group:
    """Requirements × parties: ✓ satisfied, ✗ gap, 〜 waived, · not applicable (numbered columns)."""
    parties = list(result.plan.chain)
    table = Table(
        title=t("report.coverage_title", lang),
        title_justify="left",
        box=None,
        padding=(0, 1),
        show_edge=False,
    )
    # Requirement ids stay on one line (they are what `explain` takes); parties get 3 columns each.
    table.add_column(
        t("report.requirement", lang),
        no_wrap=True,
        overflow="ellipsis",
        max_width=max(20, width - 3 * len(parties) - 2),
    )
    for index, _ in enumerate(parties, start=1):
        table.add_column(str(index), justify="center", no_wrap=True)
    by_req: dict[str, dict[str, str]] = defaultdict(dict)
    for cell in result.coverage:
        by_req[cell.requirement][cell.party] = cell.status
    for req, cells in by_req.items():
        if all(status == "not_applicable" for status in cells.values()):
            continue
        row: list[Text | str] = [req]
        for party in parties:
            status = cells.get(party.id, "not_applicable")
            row.append(Text(COVERAGE_MARK[status], style=COVERAGE_STYLE[status]))
        table.add_row(*row)
    legend = Table.grid(padding=(0, 1))
    legend.add_column(justify="right", style="dim")
    legend.add_column()
    for index, party in enumerate(parties, start=1):
        legend.add_row(str(index), f"{party.name} [{t(f'cli.role.{party.role}', lang)}]")
    marks = "  ".join(f"{mark} {t(f'coverage.{status}', lang)}" for status, mark in COVERAGE_MARK.items())
    return Group(table, Text(marks, style="dim"), legend)


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


def render_result(result: CheckResult, console: Console, lang: Lang, *, matrix: bool = True) -> None:
    """Print the whole report for one checked plan."""
    console.rule(t("report.findings_title", lang))
    if result.source_kind == "document":
        console.print(Text(t("report.draft_from_document", lang), style="yellow"))
    console.print(header(result, lang))
    console.print()
    blocks = findings_by_party(result, lang)
    if blocks:
        for block in blocks:
            console.print(block)
    else:
        console.print(t("report.no_findings", lang))
    for note in waiver_notes(result, lang):
        console.print(note)
    if matrix and result.coverage:
        console.print()
        console.print(coverage_matrix(result, lang, console.width))
    console.print()
    console.print(Text(t("report.summary_line", lang, file=result.file), style="bold"))
    console.print(severity_counts(result.counts(), lang))


def batch_table(results: list[CheckResult], lang: Lang) -> Table:
    """One row per plan, worst first (by open findings per severity), then by file for stability."""

    def badness(r: CheckResult) -> tuple[int, ...]:
        counts = r.counts()
        return tuple(-counts[s] for s in SEVERITIES)

    table = Table(title=t("report.batch_title", lang), title_justify="left")
    table.add_column(t("report.col.municipality", lang), overflow="fold")
    table.add_column(t("report.col.title", lang), overflow="fold", max_width=40)
    for s in SEVERITIES:
        table.add_column(t(f"severity.{s}", lang), justify="right", style=SEVERITY_STYLE[s])
    table.add_column(t("report.col.file", lang), overflow="fold")
    for r in sorted(results, key=lambda r: (badness(r), r.file)):
        counts = r.counts()
        table.add_row(r.municipality, r.plan_title, *(str(counts[s]) for s in SEVERITIES), r.file)
    return table
