"""Report formats: each turns a complete :class:`Report` into text, and does nothing else.

A formatter never evaluates a plan, reads a file or looks at the clock: identical input gives
byte-identical output. ``FORMATS`` maps the ``--format`` names to formatters; ``SUFFIXES`` gives the
usual file extension of each. All text for people comes from the message catalogue in ``lang``; the
JSON carries both languages and ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from safeguard_check.findings.model import Report
from safeguard_check.messages import Lang
from safeguard_check.report.format_names import DETAILED, SUFFIXES

from .concise import render_concise, stream_concise
from .github import render_github, stream_github
from .gitlab import render_gitlab, stream_gitlab
from .html import render_html, stream_html
from .json_format import render_json, stream_json
from .junit import render_junit, stream_junit
from .markdown import render_markdown, stream_markdown
from .sarif import render_sarif, stream_sarif
from .step_summary import render_step_summary, stream_step_summary


class Formatter(Protocol):
    """Formats a whole report as text (ending with a newline)."""

    def __call__(self, report: Report, lang: Lang) -> str: ...


class Stream(Protocol):
    """Formats a whole report as pieces of text that, joined, are what the formatter returns."""

    def __call__(self, report: Report, lang: Lang) -> Iterator[str]: ...


# Same names and order as SUFFIXES (format_names.py), which the CLI reads without importing these.
FORMATS: dict[str, Formatter] = {
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
    "github": render_github,
    "gitlab": render_gitlab,
    "concise": render_concise,
    "step-summary": render_step_summary,
}

# Every format is also written piece by piece (one plan, or one SARIF finding, at a time): a batch's
# document is large, and the whole of it as Python data or as one string would be several times the
# memory of the results themselves. Joined, the pieces are exactly what the formatter returns.
STREAMS: dict[str, Stream] = {
    "json": stream_json,
    "sarif": stream_sarif,
    "junit": stream_junit,
    "markdown": stream_markdown,
    "html": stream_html,
    "github": stream_github,
    "gitlab": stream_gitlab,
    "concise": stream_concise,
    "step-summary": stream_step_summary,
}


def pieces(name: str, report: Report, lang: Lang) -> Iterable[str]:
    """The ``name`` format of ``report`` as pieces of text to write in order."""
    return STREAMS[name](report, lang)


__all__ = [
    "DETAILED",
    "FORMATS",
    "STREAMS",
    "SUFFIXES",
    "Formatter",
    "Stream",
    "pieces",
    "render_concise",
    "render_github",
    "render_gitlab",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_step_summary",
    "stream_concise",
    "stream_github",
    "stream_gitlab",
    "stream_html",
    "stream_json",
    "stream_junit",
    "stream_markdown",
    "stream_sarif",
    "stream_step_summary",
]
