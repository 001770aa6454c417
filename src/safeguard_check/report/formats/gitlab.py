"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array with one issue per open finding, carrying the fields GitLab documents for the format
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): ``description``,
``check_name`` (the rule id), ``fingerprint`` (the finding's, so GitLab tracks it across pipelines
and two plans never share one), ``severity`` and ``location.path`` / ``location.lines.begin``. GitLab
has no notion of an accepted risk, so waived findings are left out. An input that could not be
checked is a ``blocker`` issue on that file (check name ``SGC-INPUT-NOT-CHECKED``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from safeguard_check.findings.model import FailedInput, Finding, Report
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import Severity
from safeguard_check.report.json_text import dumps_indented

from .ci_text import finding_text, one_line, repository_path
from .sarif import FAILED_INPUT

# GitLab's five levels, rank for rank.
SEVERITY: dict[Severity, str] = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def _issue(f: Finding, path: str, lang: Lang) -> dict[str, Any]:
    return {
        "description": f"{f.title.get(lang)}: {finding_text(f, lang)}",
        "check_name": f.rule_id,
        "fingerprint": f.fingerprint,
        "severity": SEVERITY[f.severity],
        "location": {"path": path, "lines": {"begin": f.line or 1}},
    }


def _failed(error: FailedInput, lang: Lang) -> dict[str, Any]:
    key = "\x1f".join(("failed", error.file, error.key, str(error.line), str(error.column)))
    return {
        "description": f"{t('fmt.failed.title', lang)}: {one_line(error.message.get(lang))}",
        "check_name": FAILED_INPUT,
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:20],
        "severity": "blocker",
        "location": {"path": repository_path(error), "lines": {"begin": error.line or 1}},
    }


def render_gitlab(report: Report, lang: Lang = "ja") -> str:
    """The report as a GitLab Code Quality JSON array."""
    return "".join(stream_gitlab(report, lang))


def stream_gitlab(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_gitlab` in pieces, one issue at a time."""

    # The report is a bare JSON array (GitLab reads nothing else), written as ``json.dumps(issues,
    # ensure_ascii=False, indent=2)`` would write it, one issue at a time.
    separator = "[\n  "
    for issue in _issues(report, lang):
        yield separator + dumps_indented(issue)[:-1].replace("\n", "\n  ")
        separator = ",\n  "
    yield "[]\n" if separator == "[\n  " else "\n]\n"


def _issues(report: Report, lang: Lang) -> Iterator[dict[str, Any]]:
    for error in report.errors:
        yield _failed(error, lang)
    for result in report.results:
        path = repository_path(result)  # GitLab wants it relative to the repository
        for f in result.findings:
            if f.status == "open":
                yield _issue(f, path, lang)
