"""``--format github``: GitHub Actions workflow commands, one annotation per open finding.

Each line is ``::error file=…,line=…,title=…::message`` (``warning`` for medium findings, ``notice``
for low and info), which the runner turns into annotations on the file and line, also on private
repositories without code scanning. An input that could not be checked is an ``error`` annotation on
that file. Waived findings are accepted risks and get no annotation. Files are named from the
repository's root (:func:`~.ci_text.repository_path`), as the runner resolves them.

Escaping follows GitHub's toolkit (``@actions/core``, ``command.ts``): in the message ``%``, CR and LF
become ``%25``, ``%0D``, ``%0A``; in property values ``:`` and ``,`` also become ``%3A`` and ``%2C``.
Without it a message holding ``%0A`` or a file name holding ``,`` would break the command.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard_check.findings.model import Finding, Report
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import Severity

from .ci_text import finding_text, repository_path

COMMAND: dict[Severity, str] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}


def escape_data(text: str) -> str:
    """A command's message, as ``escapeData`` in GitHub's toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``), as ``escapeProperty`` in GitHub's toolkit escapes it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """``::name k=v,k=v::message`` with every part escaped; properties that are None are left out."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}\n"


def _annotation(f: Finding, path: str, lang: Lang) -> str:
    return command(
        COMMAND[f.severity],
        finding_text(f, lang),
        file=path,
        line=f.line,
        title=f"{f.rule_id} [{t(f'severity.{f.severity}', lang)}] {f.title.get(lang)}",
    )


def render_github(report: Report, lang: Lang = "ja") -> str:
    """The report as GitHub workflow commands, one line per open finding and per failed input."""
    return "".join(stream_github(report, lang))


def stream_github(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_github` one line at a time."""
    for error in report.errors:
        yield command(
            "error",
            error.message.get(lang),
            file=repository_path(error),
            line=error.line,
            col=error.column if error.line is not None else None,
            title=f"{report.tool}: {t('fmt.failed.title', lang)}",
        )
    for result in report.results:
        path = repository_path(result)
        for f in result.findings:
            if f.status == "open":
                yield _annotation(f, path, lang)
