"""Report formats: each turns a complete :class:`Report` into text, and does nothing else.

A formatter never evaluates a plan, reads a file or looks at the clock: identical input gives
byte-identical output. ``FORMATS`` maps the ``--format`` names to formatters; ``SUFFIXES`` gives the
usual file extension of each. All text for people comes from the message catalogue in ``lang``; the
JSON carries both languages and ignores it.
"""

from __future__ import annotations

from typing import Protocol

from safeguard_check.findings.model import Report
from safeguard_check.messages import Lang
from safeguard_check.report.format_names import DETAILED, SUFFIXES

from .html import render_html
from .json_format import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif


class Formatter(Protocol):
    """Formats a whole report as text (ending with a newline)."""

    def __call__(self, report: Report, lang: Lang) -> str: ...


# Same names and order as SUFFIXES (format_names.py), which the CLI reads without importing these.
FORMATS: dict[str, Formatter] = {
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
}

__all__ = [
    "DETAILED",
    "FORMATS",
    "SUFFIXES",
    "Formatter",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
]
