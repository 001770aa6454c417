"""The report formats by name, without importing the formatters (the CLI reads these on every run)."""

from __future__ import annotations

SUFFIXES: dict[str, str] = {
    "json": ".json",
    "sarif": ".sarif",
    "junit": ".xml",
    "markdown": ".md",
    "html": ".html",
}
"""Each machine format and the usual extension of its file; the keys are the ``--format`` names."""

DETAILED: frozenset[str] = frozenset({"json", "junit", "markdown", "html"})
"""Formats that read the coverage matrix or the examined (rule, subject) pairs of each result
(``check_plan(detail=True)``); SARIF reads findings only."""
