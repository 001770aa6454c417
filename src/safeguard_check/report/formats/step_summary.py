"""``--format step-summary``: the Markdown report cut to fit a CI step summary.

GitHub refuses a job step summary (``$GITHUB_STEP_SUMMARY``) over 1 MiB and then shows nothing at all
(docs.github.com, "Adding a job summary"). This is the ``markdown`` report, plan by plan, stopping
before the plan that would take it over :data:`LIMIT` bytes; a note then says how many plans and
findings were left out and where the full report is. The heading, the counts over all plans and the
inputs that could not be checked always come first, so they are never what is cut.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard_check.findings.model import Report
from safeguard_check.messages import Lang, t

from ._common import generated_by
from .markdown import _lines, _plan, md, stream_markdown

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


def _note(report: Report, lang: Lang, plans: int, findings: int, limit: int) -> str:
    text = t("fmt.capped.note", lang, limit=f"{limit:,}", plans=plans, findings=findings)
    return f"> **{md(text)}**\n\n"
