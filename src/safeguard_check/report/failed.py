"""Inputs that could not be checked, as every report format shows them.

A plan (or council document) that fails to load has no result, so without this it would simply be
absent from a machine report: a SARIF run with no results for it reads as "every alert fixed", a JUnit
file without its suite as "all passed". The command line collects the failed inputs
(:func:`failed_inputs`) into :attr:`Report.errors`; each format then carries them in its own way
(SARIF invocation notifications, a JUnit ``<error>`` case, the JSON ``errors`` list, a section in the
documents, an error annotation or line in the CI formats).
"""

from __future__ import annotations

from collections.abc import Iterable

from safeguard_check.errors import InputIssue, location, render
from safeguard_check.findings.identity import plan_identity
from safeguard_check.findings.model import FailedInput, Report
from safeguard_check.messages import Lang, t
from safeguard_check.model.baseline import Localized


def failed_inputs(path: str, issues: Iterable[InputIssue], internal: bool = False) -> list[FailedInput]:
    """One :class:`FailedInput` per issue that stopped ``path`` (at least one, even with no issue)."""
    out = [
        FailedInput(
            file=issue.file or path,
            line=issue.line,
            column=issue.column,
            key=issue.key,
            message=Localized(ja=_message(issue, "ja"), en=_message(issue, "en")),
            internal=internal,
            plan_id=plan_identity(None, path),
        )
        for issue in issues
    ]
    if not out:  # an outcome without issues must still not vanish from the report
        text = Localized(ja=t("batch.failed_unknown", "ja"), en=t("batch.failed_unknown", "en"))
        out.append(
            FailedInput(
                file=path,
                line=None,
                column=None,
                key="batch.failed_unknown",
                message=text,
                internal=internal,
                plan_id=plan_identity(None, path),
            )
        )
    return out


def _message(issue: InputIssue, lang: Lang) -> str:
    # The rendered issue without its ``file:line:col: error:`` head (each format places the location).
    _head, *details = render(issue, lang).split("\n")
    return "\n".join([t(issue.key, lang, **issue.params), *(d.strip() for d in details)])


def by_file(report: Report) -> dict[str, list[FailedInput]]:
    """The failed inputs grouped by file, in report order."""
    out: dict[str, list[FailedInput]] = {}
    for error in report.errors:
        out.setdefault(error.file, []).append(error)
    return out


def failed_line(error: FailedInput, lang: Lang) -> str:
    """``file:line:col: message`` on one line (details joined with ``; ``)."""
    where = location(error.file, error.line, error.column)
    return f"{where}: {'; '.join(error.message.get(lang).split(chr(10)))}"
