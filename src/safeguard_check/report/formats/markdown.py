"""``--format markdown``: GitHub-flavoured Markdown for pull-request comments and council attachments.

Per plan: the law applied (as-of date and why, instruments), a severity count table, the open findings
in one table per party along the chain (区 → 機構 → 委託先 → 再委託先) with each finding's message and
suggested wording listed under its table, the waived findings with their justification and expiry,
expired and unmatched waivers, and a compact requirement × party coverage matrix.

Every text taken from the report is escaped, so a plan cannot inject Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safeguard_check.findings.model import CheckResult, Finding, Report, WaiverRef
from safeguard_check.messages import Lang, t

from ._common import (
    COVERAGE_MARK,
    as_of_text,
    cap_text,
    citation_text,
    count_rows,
    coverage_rows,
    date_text,
    evidence_text,
    fail_on_text,
    generated_by,
    group_by_party,
    has_reading,
    instrument_lines,
    location_text,
    mapped_text,
    missing_field_lines,
    missing_items,
    not_judged,
    not_judged_lines,
    open_findings,
    party_heading,
    party_names,
    possibly_stated_lines,
    profile_text,
    rules_text,
    severity_label,
    subject_text,
    unrecognised_rows,
    waived_findings,
    waiver_target,
)

# ASCII punctuation that means something inside a line in GFM: escapes, code, emphasis, links and
# images, raw HTML, table cells, strikethrough, entities, math, closing heading marks. A backslash
# before ASCII punctuation is always literal. Markers that only count at the start of a line (lists,
# headings, quotes) cannot occur: every escaped text follows this module's own markup.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#])")


def md(text: str) -> str:
    """``text`` as literal inline Markdown on one line (runs of white space become one space)."""
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text)


def cell(text: str) -> str:
    """``text`` for a table cell: escaped, line breaks as ``<br>``."""
    lines = [md(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(lines)


def code(text: str, *, in_table: bool = True) -> str:
    """``text`` as an inline code span (in a table, ``|`` must still be escaped: GFM splits cells first)."""
    text = " ".join(text.split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    rule = align or ["---"] * len(head)
    return [_row(head), _row(rule), *(_row(r) for r in rows)]


def _counts_table(counts_open: dict[str, int], counts_waived: dict[str, int], lang: Lang) -> list[str]:
    rows = [[md(severity_label(s, lang)), str(o), str(w)] for s, o, w in count_rows(counts_open, counts_waived)]
    rows.append(
        [
            f"**{md(t('fmt.total', lang))}**",
            f"**{sum(counts_open.values())}**",
            f"**{sum(counts_waived.values())}**",
        ]
    )
    head = [md(t("fmt.severity", lang)), md(t("fmt.status.open", lang)), md(t("fmt.status.waived", lang))]
    return _table(head, rows, ["---", "---:", "---:"])


def _finding_cells(n: int, f: Finding, lang: Lang) -> list[str]:
    missing = "<br>".join(cell(m) for m in missing_items(f, lang)) or "−"
    if f.missing_mode == "any_of" and len(f.missing) > 1:
        missing += f"<br>({md(t('fmt.any_one', lang))})"
    return [
        str(n),
        md(severity_label(f.severity, lang)),
        code(f.rule_id),
        cell(subject_text(f, lang)),
        code(location_text(f.file, f.line)),
        missing,
        "<br>".join(cell(citation_text(r, lang)) for r in f.requirements) or "−",
    ]


def _finding_head(lang: Lang) -> list[str]:
    keys = ("fmt.number", "fmt.severity", "fmt.rule", "report.subject", "report.location")
    return [md(t(k, lang)) for k in keys] + [md(t("report.missing", lang)), md(t("report.citations", lang))]


def _details(n: int, f: Finding, lang: Lang) -> list[str]:
    """A numbered list item: title, message and suggested wording of finding ``n``."""
    marker = f"{n}. "
    indent = " " * len(marker)  # nested items must start at the item's content column
    lines = [
        f"{marker}**{code(f.rule_id)} {md(f.title.get(lang))}**",
        f"{indent}- {md(t('report.message', lang))}: {md(f.message.get(lang))}",
    ]
    if f.missing:
        lines.append(f"{indent}- {md(t('report.evidence', lang))}: {md(evidence_text(f, lang))}")
    cap = cap_text(f, lang)
    if cap is not None:
        lines.append(f"{indent}- {md(t('report.cap', lang))}: {md(cap)}")
    label = md(t("fmt.possibly_stated.label", lang))
    lines.extend(f"{indent}- **{label}**: {md(line)}" for line in possibly_stated_lines(f, lang))
    lines.append(f"{indent}- {md(t('report.remediation', lang))}: {md(f.remediation.get(lang))}")
    return lines


def _waiver_cells(w: WaiverRef | None, lang: Lang) -> list[str]:
    if w is None:
        return ["−", "−", "−", "−"]
    return [
        cell(w.justification),
        md(w.approved_by) if w.approved_by else "−",
        md(date_text(w.expires, lang)),
        code(w.id),
    ]


def _waiver_list(title: str, note: str, waivers: tuple[WaiverRef, ...], lang: Lang) -> list[str]:
    head = [
        md(t(k, lang)) for k in ("fmt.waiver.id", "fmt.waiver.target", "fmt.waiver.expires", "fmt.waiver.justification")
    ] + [md(t("fmt.waiver.source", lang))]
    rows = [
        [
            code(w.id),
            code(waiver_target(w)),
            md(date_text(w.expires, lang)),
            cell(w.justification),
            code(location_text(w.file, w.line)),
        ]
        for w in waivers
    ]
    return [f"### {md(title)}", "", md(note), "", *_table(head, rows), ""]


def _coverage(result: CheckResult, lang: Lang) -> list[str]:
    parties, rows, omitted = coverage_rows(result)
    if not rows and not omitted:
        return []
    names = party_names(result)
    head = [md(t("fmt.coverage.requirement", lang))] + [cell(names.get(p, p)) for p in parties]
    body = [[code(req)] + [COVERAGE_MARK[s] for s in statuses] for req, statuses in rows]
    out = [f"### {md(t('fmt.coverage.title', lang))}", "", md(t("fmt.coverage.legend", lang)), ""]
    if omitted:
        out += [md(t("fmt.coverage.omitted", lang, n=omitted)), ""]
    out += [
        "<details>",
        f"<summary>{md(t('fmt.coverage.summary', lang, rows=len(rows), parties=len(parties)))}</summary>",
        "",
        *_table(head, body, ["---"] + [":---:"] * len(parties)),
        "",
        "</details>",
        "",
    ]
    return out


def _reading(result: CheckResult, lang: Lang) -> list[str]:
    """The section on what the council document's check could not read (none for a declaration)."""
    if not has_reading(result):
        return []
    out = [f"### {md(t('fmt.reading.title', lang))}", ""]
    if result.reading is not None:
        out += [f"**{md(mapped_text(result, lang))}**", ""]
    rows = unrecognised_rows(result, lang)
    if rows:
        head = [
            md(t(k, lang))
            for k in ("fmt.reading.line_head", "fmt.reading.where", "fmt.reading.kind", "fmt.reading.text")
        ]
        out += [md(t("fmt.reading.intro", lang)), ""]
        out += _table(head, [[md(line), cell(where), md(kind), cell(text)] for line, where, kind, text in rows])
        out.append("")
    else:
        out += [md(t("fmt.reading.all_read", lang)), ""]
    fields = missing_field_lines(result, lang)
    if fields:
        out += [f"**{md(t('fmt.reading.missing_fields', lang))}**", ""]
        out += [f"- {md(line)}" for line in fields]
        out.append("")
    rules = not_judged(result)
    if rules:
        out += [
            f"**{md(t('fmt.reading.not_judged', lang))}**: " + ", ".join(code(r, in_table=False) for r in rules),
            "",
        ]
        lines = not_judged_lines(result, lang)
        if lines:
            out += [f"- {md(line)}" for line in lines] + [""]
    return out


def _plan(result: CheckResult, report: Report, lang: Lang, level: str) -> list[str]:
    out = [f"{level} {md(result.municipality)} {md(result.plan_title)}", ""]
    facts = [
        (t("fmt.municipality", lang), md(result.municipality)),
        (t("fmt.department", lang), md(result.department)),
        (t("fmt.file", lang), code(result.file, in_table=False)),
        (t("fmt.effective_date", lang), md(date_text(result.effective_date, lang))),
        (t("report.as_of", lang), md(as_of_text(result, lang))),
        (t("report.rules_run", lang), md(rules_text(result, lang))),
        (t("report.profile", lang), md(profile_text(result, lang))),
        (t("fmt.fail_on", lang), md(fail_on_text(report.fail_on, lang))),
    ]
    out += [f"- **{md(label)}**: {value}" for label, value in facts]
    instruments = instrument_lines(result, lang)
    out.append(f"- **{md(t('report.instruments', lang))}**:")
    out += [f"  - {md(line)}" for line in instruments] or [f"  - {md(t('fmt.none', lang))}"]
    if result.rules_excluded:
        out.append(
            f"- **{md(t('fmt.rules_excluded', lang, profile=result.profile))}**: "
            + ", ".join(code(r, in_table=False) for r in result.rules_excluded)
        )
    if result.rules_inactive:
        out.append(
            f"- **{md(t('fmt.rules_inactive', lang))}**: "
            + ", ".join(code(r, in_table=False) for r in result.rules_inactive)
        )
    if result.baseline_suppressed:
        out.append(f"- {md(t('fmt.baseline_suppressed', lang, n=len(result.baseline_suppressed)))}")
    out.append("")

    out += [f"### {md(t('fmt.counts_title', lang))}", ""]
    out += _counts_table(result.counts("open"), result.counts("waived"), lang)
    out.append("")

    out += [f"### {md(t('fmt.findings_title', lang))}", ""]
    number = 0
    groups = group_by_party(result, open_findings(result))
    if not groups:
        out += [md(t("fmt.no_open_findings", lang)), ""]
    for group in groups:
        out += [f"#### {md(party_heading(group, lang))}", ""]
        first = number + 1
        rows = []
        for f in group.findings:
            number += 1
            rows.append(_finding_cells(number, f, lang))
        out += _table(_finding_head(lang), rows)
        out.append("")
        n = first
        for f in group.findings:
            out += _details(n, f, lang)
            n += 1
        out.append("")
    with_findings = {g.party_id for g in groups}
    clean = [p.name for p in result.plan.chain if p.id not in with_findings]
    if groups and clean:
        sep = "、" if lang == "ja" else ", "
        out += [md(t("fmt.parties_without_findings", lang, names=sep.join(clean))), ""]

    waived = waived_findings(result)
    if waived:
        out += [f"### {md(t('fmt.waived_title', lang))}", ""]
        head = _finding_head(lang)[:5] + [
            md(t(k, lang))
            for k in ("fmt.waiver.justification", "fmt.waiver.approved_by", "fmt.waiver.expires", "fmt.waiver.id")
        ]
        rows = []
        for f in waived:
            number += 1
            rows.append(_finding_cells(number, f, lang)[:5] + _waiver_cells(f.waiver, lang))
        out += [*_table(head, rows), ""]
    if result.waivers_expired:
        out += _waiver_list(
            t("fmt.waivers_expired_title", lang), t("fmt.waivers_expired_note", lang), result.waivers_expired, lang
        )
    if result.waivers_unmatched:
        out += _waiver_list(
            t("fmt.waivers_unmatched_title", lang),
            t("fmt.waivers_unmatched_note", lang),
            result.waivers_unmatched,
            lang,
        )
    out += _reading(result, lang)
    out += _coverage(result, lang)
    return out


def render_markdown(report: Report, lang: Lang = "ja") -> str:
    """The report as GitHub-flavoured Markdown (Japanese unless ``lang="en"``)."""
    return "".join(stream_markdown(report, lang))


def stream_markdown(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_markdown` in pieces, one plan at a time (what the CLI writes for a batch).

    Every piece is whole lines, each ending with a newline; the document ends with the footer line.
    """
    out = [f"# {md(t('fmt.report_title', lang))}", ""]
    if report.waivers_file:
        out += [f"- **{md(t('fmt.waivers_file', lang))}**: {code(report.waivers_file, in_table=False)}"]
    if not report.waivers_applied:
        out += [f"- {md(t('fmt.waivers_not_applied', lang))}"]
    if len(report.results) > 1:
        out += [
            f"- **{md(t('fmt.plans', lang))}**: {len(report.results)}",
            "",
            *_counts_table(report.counts("open"), report.counts("waived"), lang),
        ]
    if out[-1] != "":
        out.append("")
    out += failed_section(report, lang)
    yield _lines(out)
    for result in report.results:
        yield _lines(_plan(result, report, lang, "##"))
    if not report.results and not report.errors:
        yield _lines([md(t("report.no_findings", lang)), ""])
    yield f"<sub>{md(generated_by(report, lang))}</sub>\n"


def failed_section(report: Report, lang: Lang) -> list[str]:
    """``## 検査できなかったファイル`` with one item per problem, before the plans ([] when none failed)."""
    if not report.errors:
        return []
    out = [f"## {md(t('fmt.failed.title', lang))}", "", md(t("fmt.failed.intro", lang)), ""]
    for error in report.errors:
        where = location_text(error.file, error.line)
        note = f" ({md(t('fmt.failed.internal', lang))})" if error.internal else ""
        out.append(f"- {code(where, in_table=False)}: {md(error.message.get(lang))}{note}")
    return [*out, ""]


def _lines(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
