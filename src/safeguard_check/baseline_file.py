"""Baseline mode: remember today's open findings so that a later check reports only new ones.

The baseline file is JSON (UTF-8, two-space indent, keys sorted, Japanese kept as is, one finding per
entry, entries sorted by municipality, plan, rule, subject kind, subject id, fingerprint; no timestamp), so the
same findings always give the same bytes and a diff in review shows exactly which gaps came or went::

    {
      "findings": [
        {
          "fingerprint": "3f1c…",        # the identity used for matching
          "municipality": "新宿区",        # the rest is for the humans reading the file
          "plan": "path:plans/shinjuku.yaml",
          "rule": "SGC-TERMINAL-MFA",
          "severity": "medium",
          "subject": "shinjuku-resident-info-terminal",
          "subject_kind": "terminal"
        }
      ],
      "kind": "safeguard-check-baseline",
      "schema_version": 2
    }

Only the fingerprint is matched. It is built from the plan's identity (its declared ``plan.id``, else
its file's path in the repository), rule and subject, never the line or a value
(:func:`safeguard_check.findings.identity.fingerprint`), so edits of the plan do not bring old gaps
back, and two plans of one municipality never suppress each other's gaps.

Schema version 1 files (written before plan identities) hold fingerprints of municipality, rule and
subject only; they are still read, and a finding also matches when its old-style fingerprint
(:func:`~safeguard_check.findings.identity.legacy_fingerprint`) is recorded. Such a file cannot tell
two plans of one municipality apart (as before); write it again with ``--write-baseline`` to get
per-plan fingerprints. Only ``open`` findings are recorded and suppressed: a waived finding is already accepted, and
if its waiver expires it is rightly reported as new. Apply waivers before :func:`filter_new`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path as FsPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.findings.identity import legacy_fingerprint
from safeguard_check.findings.model import UNSUPPRESSIBLE_RULES, CheckResult, Finding
from safeguard_check.load.declaration import max_bytes_limit, read_text
from safeguard_check.load.tree import read_tree
from safeguard_check.model.rule import Severity, SubjectKind
from safeguard_check.validate.schema_errors import validation_issues

BASELINE_KIND: Literal["safeguard-check-baseline"] = "safeguard-check-baseline"
BASELINE_VERSION: Literal[2] = 2
"""Version 2: fingerprints keyed by plan identity, entries name their plan (version 1 is still read)."""

Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{20}$")]


class BaselineEntry(BaseModel):
    """One recorded finding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: Fingerprint
    municipality: str
    plan: str | None = None
    """The plan's identity (version 2 files; for the humans reading the file, never matched)."""
    rule: str
    severity: Severity
    subject: str
    subject_kind: SubjectKind


class BaselineFileModel(BaseModel):
    """The whole baseline file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1, 2]
    kind: Literal["safeguard-check-baseline"]
    findings: list[BaselineEntry]


def baseline_entries(results: Iterable[CheckResult]) -> list[BaselineEntry]:
    """The open findings of ``results`` as sorted, de-duplicated baseline entries."""
    entries: dict[str, BaselineEntry] = {}
    for result in results:
        for f in result.findings:
            if f.status != "open":
                continue
            entries.setdefault(
                f.fingerprint,
                BaselineEntry(
                    fingerprint=f.fingerprint,
                    municipality=result.municipality,
                    plan=result.plan_id or None,
                    rule=f.rule_id,
                    severity=f.severity,
                    subject=f.subject_id,
                    subject_kind=f.subject_kind,
                ),
            )
    return sorted(
        entries.values(),
        key=lambda e: (e.municipality, e.plan or "", e.rule, e.subject_kind, e.subject, e.fingerprint),
    )


def baseline_text(results: Iterable[CheckResult]) -> str:
    """The baseline file's content for ``results`` (deterministic)."""
    data = BaselineFileModel(schema_version=BASELINE_VERSION, kind=BASELINE_KIND, findings=baseline_entries(results))
    return json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_baseline(path: str | FsPath, results: Iterable[CheckResult]) -> int:
    """Write the open findings of ``results`` to ``path`` atomically; returns how many were recorded.

    The text goes to a temporary file in the same directory, is flushed to disk and then renamed over
    ``path`` (``os.replace``), so a reader never sees half a baseline; a character device or FIFO
    (``/dev/null``) is written through, never replaced (:func:`~safeguard_check.report.output.write_atomic`).
    :class:`InputError` (``baseline.write_failed``) when the file cannot be written.
    """
    from safeguard_check.report.output import write_atomic

    results = list(results)
    write_atomic(FsPath(path), baseline_text(results), error_key="baseline.write_failed", fsync=True)
    return len(baseline_entries(results))


def read_baseline(path: str | FsPath) -> set[str]:
    """The fingerprints recorded in the baseline file ``path``; :class:`InputError` with file:line."""
    fs_path = FsPath(path)
    name = str(path)
    text, _ = read_text(fs_path, max_bytes_limit(name))
    tree, smap = read_tree(text, name, "json")
    if not isinstance(tree, dict):
        raise InputError([InputIssue(name, 1, 1, "syntax.root_not_mapping")])
    try:
        data = BaselineFileModel.model_validate(tree)
    except ValidationError as exc:
        raise InputError(validation_issues(exc, tree, smap, BaselineFileModel)) from None
    return {e.fingerprint for e in data.findings}


def filter_new(result: CheckResult, baseline: set[str] | frozenset[str]) -> CheckResult:
    """A copy of ``result`` without the open findings recorded in ``baseline``.

    Their fingerprints go to ``baseline_suppressed`` (sorted, added to any already there). Waived
    findings stay. Coverage is left alone: a suppressed gap is still a gap, only not a new one.
    """
    kept: list[Finding] = []
    suppressed: set[str] = set(result.baseline_suppressed)
    for f in result.findings:
        # A version 1 baseline recorded the old fingerprint (municipality, rule, subject): matched too.
        known = f.fingerprint in baseline or (
            legacy_fingerprint(result.municipality, f.rule_id, f.subject_kind, f.subject_id) in baseline
        )
        if f.status == "open" and known and f.rule_id not in UNSUPPRESSIBLE_RULES:
            suppressed.add(f.fingerprint)
        else:
            kept.append(f)
    return result.model_copy(update={"findings": tuple(kept), "baseline_suppressed": tuple(sorted(suppressed))})
