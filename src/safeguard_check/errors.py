"""Located, translatable input errors.

Every problem a user can cause (a file, a waiver, a baseline) is reported as an :class:`InputIssue`
— file, line, column, a message key and its parameters — never as a traceback. The text is produced
late, by :func:`render`, so the same issue can be shown in Japanese or English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from safeguard_check.messages import Lang, t


@dataclass(frozen=True)
class InputIssue:
    """One problem in an input file."""

    file: str
    line: int | None
    column: int | None
    key: str
    params: dict[str, object] = field(default_factory=dict)
    path: tuple[str | int, ...] = ()
    expected: str | None = None
    found: str | None = None
    suggestions: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order issues by file and position, so output is stable."""
        return (self.file, self.line or 0, self.column or 0, self.key)


class InputError(Exception):
    """Raised with one or more :class:`InputIssue` when an input cannot be used."""

    def __init__(self, issues: Iterable[InputIssue]) -> None:
        self.issues = sorted(issues, key=InputIssue.sort_key)
        super().__init__("; ".join(i.key for i in self.issues))


def format_path(path: tuple[str | int, ...]) -> str:
    """``("parties", 2, "role")`` → ``parties[2].role``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def location(file: str, line: int | None, column: int | None) -> str:
    """``file``, ``file:line`` or ``file:line:column`` — the form compilers and editors jump to."""
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


def render(issue: InputIssue, lang: Lang) -> str:
    """The issue as text: ``file:line:column: error: message`` and indented details."""
    where = location(issue.file, issue.line, issue.column)
    head = f"{where}: {t('error.prefix', lang)}: {t(issue.key, lang, **issue.params)}"
    lines = [head]
    if issue.path:
        lines.append(f"    {format_path(issue.path)}")
    if issue.expected is not None:
        lines.append(f"    {t('error.expected', lang)}: {issue.expected}")
    if issue.found is not None:
        lines.append(f"    {t('error.found', lang)}: {issue.found}")
    if issue.suggestions:
        lines.append(f"    {t('error.did_you_mean', lang)}: {', '.join(issue.suggestions)}")
    return "\n".join(lines)
