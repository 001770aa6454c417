"""Plain rich listing of findings (the full report formats come with [reports])."""

from __future__ import annotations

from rich.console import Console, Group
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


def law_header(result: CheckResult, lang: Lang) -> Table:
    """Which date the law was applied at, why, and the instruments with requirements in force."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    source = t(f"report.as_of_source.{result.as_of_source}", lang)
    date_text = f"{to_wareki(result.as_of)} ({result.as_of.isoformat()})" if lang == "ja" else result.as_of.isoformat()
    grid.add_row(t("report.as_of", lang), f"{date_text} — {source}")
    applied = "\n".join(
        f"{i.short.get(lang)}: " + t("report.requirements_in_force", lang, n=i.requirements_in_force)
        for i in result.instruments
        if i.requirements_in_force
    )
    grid.add_row(t("report.instruments", lang), applied)
    grid.add_row(
        t("report.rules_run", lang),
        t("report.rules_count", lang, run=len(result.rules_run), inactive=len(result.rules_inactive)),
    )
    counts = result.counts()
    grid.add_row(
        t("report.counts", lang),
        Text("  ").join(
            Text(f"{t(f'severity.{s}', lang)} {counts[s]}", style=SEVERITY_STYLE[s] if counts[s] else "dim")
            for s in SEVERITIES
        ),
    )
    return grid


def finding_block(f: Finding, lang: Lang) -> Group:
    """One finding: severity, rule, subject and place, what is missing, citations, remediation."""
    head = Text()
    head.append(f" {t(f'severity.{f.severity}', lang)} ", style=SEVERITY_STYLE[f.severity])
    head.append(f" {f.rule_id} ", style="bold")
    head.append(f.title.get(lang))
    body = Table.grid(padding=(0, 1))
    body.add_column(style="dim", no_wrap=True)
    body.add_column(overflow="fold")
    where = f"{f.file}:{f.line}" if f.line else f.file
    body.add_row(t("report.subject", lang), f"{f.subject_name} ({t(f'subject.{f.subject_kind}', lang)} {f.subject_id})")
    body.add_row(t("report.location", lang), where)
    body.add_row(t("report.message", lang), f.message.get(lang))
    if f.missing:
        sep = t("report.or", lang) if f.missing_mode == "any_of" else "、" if lang == "ja" else ", "
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
    return Group(head, Padding(body, (0, 0, 1, 2)))


def print_findings(result: CheckResult, console: Console, lang: Lang) -> None:
    """Header, then every finding in order, then a one-line total."""
    console.rule(t("report.findings_title", lang))
    console.print(law_header(result, lang))
    console.print()
    for f in result.findings:
        console.print(finding_block(f, lang))
    if not result.findings:
        console.print(t("report.no_findings", lang))
