"""The report formats by name, without importing the formatters (the CLI reads these on every run)."""

from __future__ import annotations

SUFFIXES: dict[str, str] = {
    "json": ".json",
    "sarif": ".sarif",
    "junit": ".xml",
    "markdown": ".md",
    "html": ".html",
    "github": ".github.txt",
    "gitlab": ".codequality.json",
    "concise": ".txt",
    "step-summary": ".summary.md",
    "sarif-dir": "",
}
"""Each machine format and the usual extension of its file; the keys are the ``--format`` names."""

BY_SUFFIX: dict[str, str] = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
"""The format a file name's extension selects when ``-o FILE`` names no format. The CI formats
(github, gitlab, concise, step-summary) are always named (``-o gitlab=gl-code-quality-report.json``): their files
end in ``.json`` or ``.txt`` like others, so an extension must not pick them."""

DIRECTORIES: frozenset[str] = frozenset({"sarif-dir"})
"""Outputs written as a directory of files (``-o sarif-dir=DIR``: one SARIF log per plan); never to
standard output, and not in ``FORMATS`` (report/sarif_dir.py writes them)."""

DETAILED: frozenset[str] = frozenset({"json", "junit", "markdown", "html", "step-summary"})
"""Formats that read the coverage matrix or the examined (rule, subject) pairs of each result
(``check_plan(detail=True)``); SARIF reads findings only."""
