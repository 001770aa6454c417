"""``--format step-summary``: the Markdown report cut to fit a CI step summary.

GitHub refuses a job step summary (``$GITHUB_STEP_SUMMARY``) over 1 MiB and then shows nothing at all
(docs.github.com, "Adding a job summary"). This is the ``markdown`` report, plan by plan, stopping
before the plan that would take it over :data:`LIMIT` bytes; a note then says how many plans and
findings were left out and where the full report is. The heading, the counts over all plans, the
inputs that could not be checked and (for several plans) a one-line-per-plan table, worst first,
come first, so they are not what is cut (the table itself stops at half the limit, with a note).
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard_check.findings.model import CheckResult, Report
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import SEVERITIES

from ._common import generated_by
from .markdown import _lines, _plan, _row, cell, code, md, stream_markdown

LIMIT = 1_000_000
"""Bytes of UTF-8 the summary stays within: under GitHub's 1 MiB (1,048,576 bytes) with room to spare
for what other steps of the job add."""


def render_step_summary(report: Report, lang: Lang = "ja", limit: int = LIMIT) -> str:
    """The Markdown report, whole if it fits in ``limit`` bytes, else cut plan by plan with a note."""
    return "".join(stream_step_summary(report, lang, limit))


def stream_step_summary(report: Report, lang: Lang = "ja", limit: int = LIMIT) -> Iterator[str]:
    """:func:`render_step_summary` in pieces."""
    pieces = stream_markdown(report, lang)
    head = next(pieces)  # title, counts over all plans, inputs not checked
    used = len(head.encode("utf-8"))
    yield head
    if len(report.results) > 1:
        # Which plans are worst comes before any plan's details: with thousands of plans the details of a
        # few dozen fit, the one-line rows of every plan usually do (2,000 plans: about 300 KB).
        table = _plan_table(report, lang, limit // 2)
        used += len(table.encode("utf-8"))
        yield table
    # Room for the note and the footer, whatever the numbers in them.
    reserve = len(_note(report, lang, 10**9, 10**9, limit).encode("utf-8")) + 1024
    for index, result in enumerate(report.results):
        piece = _lines(_plan(result, report, lang, "##"))
        size = len(piece.encode("utf-8"))
        if used + size + reserve > limit:
            rest = report.results[index:]
            yield _note(report, lang, len(rest), sum(len(r.findings) for r in rest), limit)
            break
        used += size
        yield piece
    # The end of the markdown report, without rendering the plans left out.
    if not report.results and not report.errors:
        yield _lines([md(t("report.no_findings", lang)), ""])
    yield f"<sub>{md(generated_by(report, lang))}</sub>\n"


def _plan_table(report: Report, lang: Lang, budget: int) -> str:
    """``## 計画ごとの指摘（重い順）``: one row per plan with its open findings per severity, worst first,
    stopping (with a note) before ``budget`` bytes."""

    def badness(r: CheckResult) -> tuple[int, ...]:
        counts = r.counts()
        return tuple(-counts[s] for s in SEVERITIES)

    head = [t(f"report.col.{k}", lang) for k in ("file", "municipality", "title")]
    head += [t(f"severity.{s}", lang) for s in SEVERITIES]
    lines = [f"## {md(t('report.batch_title', lang))}", "", _row([md(h) for h in head]), _row(["---"] * len(head))]
    size = sum(len(x.encode("utf-8")) + 1 for x in lines)
    ordered = sorted(report.results, key=lambda r: (badness(r), r.file))
    for index, r in enumerate(ordered):
        counts = r.counts()
        row = _row([code(r.file), cell(r.municipality), cell(r.plan_title), *(str(counts[s]) for s in SEVERITIES)])
        size += len(row.encode("utf-8")) + 1
        if size > budget:
            rest = ordered[index:]
            lines += ["", _note(report, lang, len(rest), sum(len(x.findings) for x in rest), budget).rstrip("\n")]
            break
        lines.append(row)
    return _lines([*lines, ""])


def _note(report: Report, lang: Lang, plans: int, findings: int, limit: int) -> str:
    text = t("fmt.capped.note", lang, limit=f"{limit:,}", plans=plans, findings=findings)
    return f"> **{md(text)}**\n\n"
