"""``diff --format markdown``: GitHub-flavoured Markdown for a pull-request comment or a council attachment.

Sections: the two plans compared (file, title, effective date, law applied, open findings), the legend,
one table of changes (marker, part, field, before, after), and the change in findings (introduced,
resolved, changed tables; the number unchanged). As in the council document, what was added or
changed is underlined (``<ins>``) and what was removed struck through (``<del>``); within a reworded
text only the changed words are marked. The ``+``/``−``/``~`` column keeps the table readable where
HTML is not rendered.

Every text taken from the plans is escaped, so a plan cannot inject Markdown or HTML.
"""

from __future__ import annotations

import re

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
    is_text_edit,
    missing_text,
    segments,
    severity_text,
    subject_text,
    summary_text,
)
from safeguard_check.messages import Lang, t

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#])")
STATUS_MARK = {"introduced": "+", "resolved": "−", "changed": "~"}


def md(text: str) -> str:
    """``text`` as literal inline Markdown (line breaks as ``<br>``, safe inside a table cell)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_SPECIAL.sub(r"\\\1", " ".join(line.split())) for line in lines)


def _ins(text: str) -> str:
    return f"<ins>{md(text)}</ins>" if text.strip() else md(text)


def _del(text: str) -> str:
    return f"<del>{md(text)}</del>" if text.strip() else md(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)]


def render_markdown(diff: PlanDiff, lang: Lang) -> str:
    """The whole diff as Markdown (ends with a newline)."""
    out: list[str] = [f"# {md(t('diff.title', lang))}", ""]
    out += _table(
        [
            "",
            t("diff.col.file", lang),
            t("diff.field.title", lang),
            t("cli.summary.effective", lang),
            t("report.as_of", lang),
            t("diff.col.findings", lang),
        ],
        [_side_row(t("diff.old", lang), diff.old, lang), _side_row(t("diff.new", lang), diff.new, lang)],
    )
    out += [
        "",
        f"{md(t('diff.legend_label', lang))}: <ins>+ {md(t('diff.legend.added', lang))}</ins> "
        f"<del>− {md(t('diff.legend.removed', lang))}</del> ~ {md(t('diff.legend.changed', lang))}",
        "",
    ]
    out += [f"## {md(t('diff.changes_title', lang, n=len(diff.changes)))}", ""]
    if diff.changes:
        out += _table(
            [
                "",
                t("diff.col.part", lang),
                t("diff.col.key", lang),
                t("diff.col.field", lang),
                t("diff.old", lang),
                t("diff.new", lang),
            ],
            [_change_row(c, lang) for c in diff.changes],
        )
    else:
        out.append(md(t("diff.no_changes", lang)))
    out += ["", f"## {md(t('diff.findings_title', lang))}", ""]
    if not diff.findings:
        out += [md(t("diff.findings.none", lang)), ""]
    for status in ("introduced", "resolved", "changed"):
        deltas = diff.by_status(status)
        if not deltas:
            continue
        out += [f"### {md(t(f'diff.findings.{status}', lang, n=len(deltas)))}", ""]
        out += _findings_table(status, deltas, lang)
        out.append("")
    out += [md(t("diff.findings.unchanged", lang, n=diff.findings_unchanged)), ""]
    summary = summary_text(diff, lang)
    out += [f"**{md(summary)}**", ""]
    return "\n".join(out)


def _side_row(name: str, side: PlanSide, lang: Lang) -> list[str]:
    source = t(f"report.as_of_source.{side.as_of_source}", lang)
    return [
        f"**{md(name)}**",
        f"`{side.file.replace('`', '')}`".replace("|", "\\|"),
        md(side.title),
        md(date_text(side.effective_date.isoformat(), lang)),
        md(f"{date_text(side.as_of.isoformat(), lang)} — {source}"),
        str(side.findings),
    ]


def _change_row(c: Change, lang: Lang) -> list[str]:
    part = entity_label(c.entity, lang)
    key = f"`{c.key.replace('`', '')}`".replace("|", "\\|") if c.entity != "plan" else ""
    if c.label and c.entity != "plan":
        key += f" {md(c.label)}"
    name = md(field_label(c.field, lang)) if c.field else ""
    if c.op == "added":
        return [MARK[c.op], md(part), key, name, "", _ins(change_value(c, "new", lang))]
    if c.op == "removed":
        return [MARK[c.op], md(part), key, name, _del(change_value(c, "old", lang)), ""]
    if is_text_edit(c):
        assert isinstance(c.old, str) and isinstance(c.new, str)
        before, after = segments(c.old, c.new)
        suffix = md(code_suffix(c, lang))
        return [MARK[c.op], md(part), key, name, _marked(before), _marked(after) + suffix]
    return [
        MARK[c.op],
        md(part),
        key,
        name,
        _del(change_value(c, "old", lang)),
        _ins(change_value(c, "new", lang)),
    ]


def _marked(parts: list[Segment]) -> str:
    return "".join(
        md(s.text) if s.kind == "same" else _del(s.text) if s.kind == "removed" else _ins(s.text) for s in parts
    )


def _findings_table(status: str, deltas: tuple[FindingDelta, ...], lang: Lang) -> list[str]:
    head = ["", t("diff.col.severity", lang), t("diff.col.rule", lang), t("report.subject", lang)]
    if status == "changed":
        head += [t("diff.missing_added", lang), t("diff.missing_removed", lang), t("diff.severity_changed", lang)]
    else:
        head += [t("report.missing", lang), t("report.citations", lang)]
    head.append(t("report.location", lang))
    rows = []
    for f in deltas:
        row = [
            STATUS_MARK[f.status],
            md(severity_text(f.severity, lang)),
            f"`{f.rule_id}` {md(f.title.get(lang))}",
            md(subject_text(f, lang)),
        ]
        if status == "changed":
            row += [
                _ins(missing_text(f, f.missing_added, lang)) if f.missing_added else "",
                _del(missing_text(f, f.missing_removed, lang)) if f.missing_removed else "",
                md(f"{severity_text(f.old_severity, lang)} → {severity_text(f.severity, lang)}")
                if f.old_severity
                else "",
            ]
        else:
            row += [md(missing_text(f, None, lang)), md("\n".join(citations_text(f, lang)))]
        location = f"{f.file}:{f.line}" if f.line else f.file
        row.append(f"`{location.replace('`', '')}`".replace("|", "\\|"))
        rows.append(row)
    return _table(head, rows)
