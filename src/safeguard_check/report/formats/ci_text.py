"""Text shared by the CI formats (``github``, ``gitlab``, ``concise``): one finding on one line."""

from __future__ import annotations

from safeguard_check.findings.model import CheckResult, FailedInput, Finding
from safeguard_check.messages import Lang, t

from ._common import evidence_text, missing_text


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) as one space."""
    return " ".join(text.split())


def finding_text(f: Finding, lang: Lang, *, missing: bool = True) -> str:
    """The finding's message, the subject it is about and (``missing``) what is missing, on one line."""
    text = f"{f.message.get(lang)} — {t('report.subject', lang)}: {f.subject_name} ({f.subject_id})"
    if missing and f.missing:
        text += f" — {t('report.missing', lang)}: {missing_text(f, lang)} ({evidence_text(f, lang)})"
    return one_line(text)


def relative_file(path: str) -> str:
    """``path`` as CI tools match it against the repository: forward slashes, no leading ``./``."""
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def repository_path(item: CheckResult | FailedInput) -> str:
    """The plan's path as CI systems resolve it, from the repository's root: the path its identity was
    derived from (``plan_id`` ``path:…``, relative to the git work tree), else the file as given.

    A plan with a declared ``plan.id`` has no such path recorded: its file as given is used (run the
    check from the repository's root).
    """
    kind, sep, value = item.plan_id.partition(":")
    return value if sep and kind == "path" else relative_file(item.file)
