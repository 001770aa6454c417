"""The diff on a terminal (rich), marked the way the council document marks its changes.

The council's 「※太字ゴシック（下線）は…変更箇所」 underlines what changed: added or changed text is
shown bold and underlined, removed text struck through. Every line also starts with a marker (``+``
added, ``−`` removed, ``~`` changed) so the report reads without styling; when the output is not
styled (not a terminal, or ``NO_COLOR``), the changed words of a reworded text are bracketed as
``[-removed-]`` and ``{+added+}`` instead.

The console must be created with ``markup=False``: plan text is user data.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from safeguard_check.diff.model import Change, FindingDelta, PlanDiff, PlanSide
from safeguard_check.diff.wording import (
    MARK,
    Segment,
    change_value,
    citations_text,
    code_suffix,
    date_text,
    entity_label,
    field_label,
    group_changes,
    group_op,
    is_text_edit,
    missing_text,
    segments,
    severity_text,
    subject_text,
    summary_text,
)
from safeguard_check.messages import Lang, t

ADDED = "bold underline green"
REMOVED = "strike red"
CHANGED = "bold yellow"
MARK_STYLE = {"added": ADDED, "removed": REMOVED, "changed": CHANGED, "renamed": CHANGED}
SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
STATUS_MARK = {"introduced": "+", "resolved": "−", "changed": "~"}
STATUS_STYLE = {"introduced": "bold red", "resolved": "bold green", "changed": "bold yellow"}
SHORT = 24
"""Values up to this many characters each are shown ``old → new`` on one line."""


def styled(console: Console) -> bool:
    """Whether styles reach the reader (a terminal, colours not turned off)."""
    return console.is_terminal and not console.no_color and console.color_system is not None


def render_diff(diff: PlanDiff, console: Console, lang: Lang) -> None:
    """Print the whole diff: header, changes grouped by part, the change in findings, a summary line."""
    plain = not styled(console)
    console.print(header(diff, lang))
    console.print()
    console.print(Text(t("diff.changes_title", lang, n=len(diff.changes)), style="bold underline"))
    if not diff.changes:
        console.print(Padding(Text(t("diff.no_changes", lang)), (0, 0, 0, 2)))
    for block in change_blocks(diff, lang, plain):
        console.print(block)
    console.print()
    console.print(findings_block(diff, lang))
    console.print()
    console.print(summary_line(diff, lang))


def header(diff: PlanDiff, lang: Lang) -> Group:
    """Title, the two plans (file, title, effective date, law applied) and the legend."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, side in (("diff.old", diff.old), ("diff.new", diff.new)):
        grid.add_row(t(key, lang), _side_text(side, lang))
    legend = Text()
    legend.append(f"+ {t('diff.legend.added', lang)}", style=ADDED)
    legend.append("  ")
    legend.append(f"− {t('diff.legend.removed', lang)}", style=REMOVED)
    legend.append("  ")
    legend.append(f"~ {t('diff.legend.changed', lang)}", style=CHANGED)
    grid.add_row(t("diff.legend_label", lang), legend)
    return Group(Text(t("diff.title", lang), style="bold"), grid)


def _side_text(side: PlanSide, lang: Lang) -> str:
    source = t(f"report.as_of_source.{side.as_of_source}", lang)
    return "\n".join(
        (
            side.file,
            side.title,
            f"{t('cli.summary.effective', lang)}: {date_text(side.effective_date.isoformat(), lang)}",
            f"{t('report.as_of', lang)}: {date_text(side.as_of.isoformat(), lang)} — {source}",
        )
    )


def change_blocks(diff: PlanDiff, lang: Lang, plain: bool) -> list[RenderableType]:
    """One block per changed part: a heading line and, for a matched part, one line per change."""
    out: list[RenderableType] = []
    current = None
    for entity, key, items in group_changes(diff.changes):
        if entity != current:
            out.append(Text(f" [{entity_label(entity, lang)}]", style="bold"))
            current = entity
        op = group_op(items)
        head = _grid(2)
        if op in ("added", "removed"):
            c = items[0]
            value = Text(key, style="bold")
            value.append("  ")
            value.append(change_value(c, "new" if op == "added" else "old", lang), style=MARK_STYLE[op])
            _append_line(value, c, lang)
            head.add_row(Text(MARK[op], style=MARK_STYLE[op]), value)
            out.append(Padding(head, (0, 0, 0, 2)))
            continue
        title = Text(diff.new.title if entity == "plan" else key, style="bold")
        label = items[0].label
        if label and entity != "plan":
            title.append(f"  {label}")
        head.add_row(Text(MARK[op], style=MARK_STYLE[op]), title)
        out.append(Padding(head, (0, 0, 0, 2)))
        lines = _grid(3)
        for c in items:
            lines.add_row(
                Text(MARK[c.op], style=MARK_STYLE[c.op]),
                Text(f"{field_label(c.field, lang)}:"),
                change_value_text(c, lang, plain),
            )
        out.append(Padding(lines, (0, 0, 0, 4)))
    return out


def _grid(columns: int) -> Table:
    """Columns of markers and labels that do not wrap, then a last one that folds (Japanese has no spaces)."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    for _ in range(columns - 1):
        grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _append_line(text: Text, c: Change, lang: Lang) -> None:
    where = [
        t(f"diff.line.{side}", lang, line=line) for side, line in (("old", c.old_line), ("new", c.new_line)) if line
    ]
    if where:
        text.append(f"  ({', '.join(where)})", style="dim")


def change_value_text(c: Change, lang: Lang, plain: bool) -> RenderableType:
    """The value part of a change: the member added or removed, ``old → new``, or a marked rewording."""
    if c.op == "added":
        return Text(change_value(c, "new", lang), style=ADDED)
    if c.op == "removed":
        return Text(change_value(c, "old", lang), style=REMOVED)
    if not is_text_edit(c):
        line = Text(change_value(c, "old", lang), style=REMOVED)
        line.append(" → ")
        line.append(change_value(c, "new", lang), style=ADDED)
        return line
    assert isinstance(c.old, str) and isinstance(c.new, str)
    before, after = segments(c.old, c.new)
    suffix = code_suffix(c, lang)
    if len(c.old) <= SHORT and len(c.new) <= SHORT and "\n" not in c.old + c.new:
        line = _marked(before, plain)
        line.append(" → ")
        line.append(_marked(after, plain))
        line.append(suffix)
        return line
    both = Table.grid(padding=(0, 1), pad_edge=False)
    both.add_column(no_wrap=True)
    both.add_column(overflow="fold")
    both.add_row(Text("−", style=REMOVED), _marked(before, plain))
    new_text = _marked(after, plain)
    new_text.append(suffix)
    both.add_row(Text("+", style=ADDED), new_text)
    return both


def _marked(parts: list[Segment], plain: bool) -> Text:
    """Unchanged runs as they are; removed runs struck, added ones underlined (bracketed when plain)."""
    out = Text()
    for s in parts:
        if s.kind == "same":
            out.append(s.text)
        elif s.kind == "removed":
            out.append(f"[-{s.text}-]" if plain else s.text, style=REMOVED)
        else:
            out.append(f"{{+{s.text}+}}" if plain else s.text, style=ADDED)
    return out


def findings_block(diff: PlanDiff, lang: Lang) -> Group:
    """Gaps introduced, resolved and changed, each with its subject, place and missing measures."""
    items: list[RenderableType] = [Text(t("diff.findings_title", lang), style="bold underline")]
    if not diff.findings:
        items.append(Padding(Text(t("diff.findings.none", lang)), (0, 0, 0, 2)))
    for status in ("introduced", "resolved", "changed"):
        deltas = diff.by_status(status)
        if not deltas:
            continue
        items.append(Text(f" {t(f'diff.findings.{status}', lang, n=len(deltas))}", style=STATUS_STYLE[status]))
        items.extend(finding_lines(f, lang) for f in deltas)
    items.append(Text(f" {t('diff.findings.unchanged', lang, n=diff.findings_unchanged)}", style="dim"))
    return Group(*items)


def finding_lines(f: FindingDelta, lang: Lang) -> Group:
    """``+ 高 SGC-… title`` and its details."""
    head = _grid(4)
    head.add_row(
        Text(STATUS_MARK[f.status], style=STATUS_STYLE[f.status]),
        Text(f" {severity_text(f.severity, lang)} ", style=SEVERITY_STYLE[f.severity]),
        Text(f.rule_id, style="bold"),
        Text(f.title.get(lang)),
    )
    body = Table.grid(padding=(0, 1))
    body.add_column(style="dim", no_wrap=True)
    body.add_column(overflow="fold")
    body.add_row(t("report.subject", lang), subject_text(f, lang))
    body.add_row(t("report.location", lang), f"{f.file}:{f.line}" if f.line else f.file)
    if f.status == "changed":
        if f.old_severity is not None:
            body.add_row(
                t("diff.severity_changed", lang),
                f"{severity_text(f.old_severity, lang)} → {severity_text(f.severity, lang)}",
            )
        if f.missing_added:
            body.add_row(t("diff.missing_added", lang), Text(missing_text(f, f.missing_added, lang), style=ADDED))
        if f.missing_removed:
            body.add_row(t("diff.missing_removed", lang), Text(missing_text(f, f.missing_removed, lang), style=REMOVED))
    if f.missing:
        body.add_row(t("report.missing", lang), missing_text(f, None, lang))
    body.add_row(t("report.citations", lang), "\n".join(citations_text(f, lang)))
    return Group(Padding(head, (0, 0, 0, 2)), Padding(body, (0, 0, 0, 6)))


def summary_line(diff: PlanDiff, lang: Lang) -> Text:
    """``変更 7 件 / 新たな指摘 3 件（重大 1・高 2）/ 解消 1 件 / 変化 0 件``."""
    text = summary_text(diff, lang)
    return Text(text, style="bold red" if diff.fails() else "bold")
