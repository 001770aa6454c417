"""``--format concise``: one line per open finding, ``path:line: severity rule-id message``.

Like ruff's concise output: easy to grep, to read in a CI log and to match with a problem matcher.
Inputs that could not be checked come first, as ``path:line: error SGC-INPUT-NOT-CHECKED message``.
The line is left out (``path: …``) when it is not known. Waived findings are not listed, nor the
missing measures (a rule met by any one of thirty measures would fill a screen): the other formats
give them.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard_check.findings.model import Report
from safeguard_check.messages import Lang

from .ci_text import finding_text, one_line
from .sarif import FAILED_INPUT


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}:" if line else f"{file}:"


def render_concise(report: Report, lang: Lang = "ja") -> str:
    """The report as one line per failed input and per open finding."""
    return "".join(stream_concise(report, lang))


def stream_concise(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_concise` one line at a time."""
    for error in report.errors:
        yield f"{_where(error.file, error.line)} error {FAILED_INPUT} {one_line(error.message.get(lang))}\n"
    for result in report.results:
        for f in result.findings:
            if f.status == "open":
                yield f"{_where(f.file, f.line)} {f.severity} {f.rule_id} {finding_text(f, lang, missing=False)}\n"
