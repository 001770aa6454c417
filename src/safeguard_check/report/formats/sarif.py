"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards and CI annotations.

One run holds every plan of the report. Each rule that produced a finding becomes a reporting
descriptor; each finding a result pointing at the plan file and line, with the subject as a logical
location and the finding's fingerprint as a partial fingerprint, so that dashboards track it across
edits. Waived findings stay in the log with an external, accepted suppression. Nothing in the log
needs the network: no ``informationUri``/``helpUri``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from safeguard_check.findings.model import CheckResult, Finding, Report, WaiverRef
from safeguard_check.messages import Lang, t
from safeguard_check.model.rule import Severity
from safeguard_check.report.json_text import dumps_streamed

from ._common import (
    SARIF_LEVEL,
    cap_text,
    citation_text,
    evidence_text,
    has_reading,
    line_label,
    mapped_text,
    missing_text,
    not_judged_lines,
    possibly_stated_lines,
    unique,
)

# Descriptors of the tool execution notifications that say what a council document's check could not
# read (the run's invocation): each names the document, and the line when it is known.
READING_NOTIFICATIONS = {
    "SGC-READING-SUMMARY": "ReadingSummary",
    "SGC-READING-UNRECOGNISED": "UnrecognisedSentence",
    "SGC-READING-MISSING-FIELD": "MissingFormField",
    "SGC-READING-NOT-JUDGED": "NotJudgedForLackOfText",
}
_NOTIFICATION_TEXT = {
    "SGC-READING-SUMMARY": "fmt.reading.title",
    "SGC-READING-UNRECOGNISED": "fmt.reading.intro",
    "SGC-READING-MISSING-FIELD": "fmt.reading.missing_fields",
    "SGC-READING-NOT-JUDGED": "fmt.reading.not_judged",
}

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "safeguardCheck/v1"
LANGUAGE: dict[str, str] = {"ja": "ja-JP", "en": "en-US"}
# GitHub code scanning reads a CVSS-like score from rule properties to rank security alerts.
SECURITY_SEVERITY: dict[Severity, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "0.0",
}


@lru_cache(maxsize=4096)
def artifact_uri(path: str) -> str:
    """A URI reference for a plan path: relative paths stay relative with forward slashes.

    Absolute paths become ``file:`` URIs. Characters outside the URI syntax (spaces, Japanese file
    names) are percent-encoded as RFC 3986 requires; plain ASCII paths are unchanged.
    """
    if PureWindowsPath(path).drive or PureWindowsPath(path).is_absolute():
        posix = PureWindowsPath(path).as_posix()
        return "file:///" + quote(posix.lstrip("/"), safe="/:")
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _rule_name(rule_id: str) -> str:
    """``SGC-CONTRACT-NO-TAKEOUT`` → ``ContractNoTakeout`` (SARIF names are identifiers)."""
    parts = rule_id.split("-")
    if len(parts) > 1 and parts[0] == "SGC":
        parts = parts[1:]
    return "".join(p[:1].upper() + p[1:].lower() for p in parts if p)


def _help_text(f: Finding, lang: Lang) -> str:
    lines = [f"{t('report.remediation', lang)}: {f.remediation.get(lang)}", f"{t('report.citations', lang)}:"]
    lines += [f"- {citation_text(r, lang)}" for r in f.requirements]
    return "\n".join(lines)


def _rule(f: Finding, lang: Lang) -> dict[str, Any]:
    """The reporting descriptor for ``f.rule_id``, described by its first finding."""
    return {
        "id": f.rule_id,
        "name": _rule_name(f.rule_id),
        "shortDescription": {"text": f.title.get(lang)},
        "fullDescription": {"text": f.message.get(lang)},
        "help": {"text": _help_text(f, lang)},
        "defaultConfiguration": {"level": SARIF_LEVEL[f.severity]},
        "properties": {
            "severity": f.severity,
            "requirements": [r.id for r in f.requirements],
            "citations": [r.label.get(lang) for r in f.requirements],
            "verification": {r.id: r.verification for r in f.requirements},
            "instruments": unique([r.instrument for r in f.requirements]),
            "security-severity": SECURITY_SEVERITY[f.severity],
            "tags": ["security", "compliance"],
        },
    }


def _message(f: Finding, lang: Lang) -> str:
    text = f.message.get(lang)
    if f.missing:
        text += f"\n{t('report.missing', lang)}: {missing_text(f, lang)}"
        text += f"\n{t('report.evidence', lang)}: {evidence_text(f, lang)}"
    cap = cap_text(f, lang)
    if cap is not None:
        text += f"\n{t('report.cap', lang)}: {cap}"
    for line in possibly_stated_lines(f, lang):
        text += f"\n{line}"
    return text


def _physical(file: str, line: int | None, index: int | None = None) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": artifact_uri(file)}
    if index is not None:
        artifact["index"] = index
    location: dict[str, Any] = {"artifactLocation": artifact}
    if line is not None and line >= 1:
        location["region"] = {"startLine": line}
    return location


def _suppression(w: WaiverRef | None, lang: Lang) -> dict[str, Any]:
    if w is None:  # waived without a waiver reference: still suppressed, say so
        return {"kind": "external", "status": "accepted", "justification": t("fmt.status.waived", lang)}
    properties: dict[str, Any] = {"waiver": w.id, "expires": w.expires.isoformat(), "subject": w.subject}
    if w.rule is not None:
        properties["rule"] = w.rule
    if w.requirement is not None:
        properties["requirement"] = w.requirement
    if w.approved_by is not None:
        properties["approved_by"] = w.approved_by
    if w.granted_on is not None:
        properties["granted_on"] = w.granted_on.isoformat()
    return {
        "kind": "external",
        "status": "accepted",
        "justification": w.justification,
        "location": {"physicalLocation": _physical(w.file, w.line)},
        "properties": properties,
    }


def _result(f: Finding, rule_index: int, artifact_index: int, lang: Lang) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": _message(f, lang)},
        "locations": [
            {
                "physicalLocation": _physical(f.file, f.line, artifact_index),
                "logicalLocations": [
                    {
                        "name": f.subject_name,
                        "fullyQualifiedName": f"{f.party_id}/{f.subject_id}",
                        "kind": f.subject_kind,
                        "properties": {"id": f.subject_id, "party": f.party_id},
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "severity": f.severity,
            "status": f.status,
            "title": f.title.get(lang),
            "requirements": [r.id for r in f.requirements],
            "missing": [m.code for m in f.missing],
            "missing_mode": f.missing_mode,
            "evidence": f.evidence,
            "rule_severity": f.rule_severity,
            "severity_cap": f.cap.model_dump(mode="json") if f.cap is not None else None,
            "basis_kinds": {r.id: r.basis_kind for r in f.requirements},
            "subject": {"kind": f.subject_kind, "id": f.subject_id, "name": f.subject_name, "party": f.party_id},
        },
    }
    if f.possibly_stated:
        out["properties"]["possibly_stated"] = [p.model_dump(mode="json") for p in f.possibly_stated]
    if f.status == "waived":
        out["suppressions"] = [_suppression(f.waiver, lang)]
    return out


def _plan_properties(result: CheckResult, lang: Lang) -> dict[str, Any]:
    return {
        "file": result.file,
        "uri": artifact_uri(result.file),
        "municipality": result.municipality,
        "plan_title": result.plan_title,
        "department": result.department,
        "effective_date": result.effective_date.isoformat(),
        "as_of": result.as_of.isoformat(),
        "as_of_source": result.as_of_source,
        "engine": result.engine,
        "catalog_digest": result.catalog_digest,
        "instruments": [
            {
                "id": i.id,
                "name": i.short.get(lang),
                "number": i.number,
                "requirements_in_force": i.requirements_in_force,
            }
            for i in result.instruments
            if i.requirements_in_force
        ],
        "rules_run": list(result.rules_run),
        "rules_inactive": list(result.rules_inactive),
        "rules_excluded": list(result.rules_excluded),
        "profile": result.profile,
        "waivers_expired": [w.id for w in result.waivers_expired],
        "waivers_unmatched": [w.id for w in result.waivers_unmatched],
        "baseline_suppressed": list(result.baseline_suppressed),
    } | _reading_properties(result)


def _reading_properties(result: CheckResult) -> dict[str, Any]:
    # Only for a plan read from a council document: a declaration's log stays as it was.
    if not has_reading(result):
        return {}
    return {
        "reading": result.reading.model_dump(mode="json") if result.reading is not None else None,
        "unrecognised": [u.model_dump(mode="json") for u in result.unrecognised],
    }


def _notification(
    rule: str, text: str, level: str, file: str, line: int | None, index: int, properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "descriptor": {"id": rule},
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(file, line, index)}],
        "properties": properties,
    }


def _notifications(report: Report, artifact_index: dict[str, int], lang: Lang) -> list[dict[str, Any]]:
    """What each council document's check could not read, as tool execution notifications."""
    out: list[dict[str, Any]] = []
    for result in report.results:
        if not has_reading(result):
            continue
        index = artifact_index[result.file]
        if result.reading is not None:
            r = result.reading
            out.append(
                _notification(
                    "SGC-READING-SUMMARY",
                    mapped_text(result, lang),
                    "note",
                    result.file,
                    None,
                    index,
                    {
                        "measure_sentences": r.measure_sentences,
                        "mapped_sentences": r.mapped_sentences,
                        "unrecognised": r.unrecognised,
                        "not_judged": list(r.not_judged),
                    },
                )
            )
        for u in result.unrecognised:
            out.append(
                _notification(
                    "SGC-READING-UNRECOGNISED",
                    f"{line_label(u.line, lang)} "
                    + t("fmt.reading.unrecognised_one", lang, where=u.where, text=u.text),
                    "warning",
                    result.file,
                    u.line,
                    index,
                    {"kind": u.kind, "where": u.where, "subjects": list(u.subjects)},
                )
            )
        for m in result.reading.missing_fields if result.reading is not None else ():
            out.append(
                _notification(
                    "SGC-READING-MISSING-FIELD",
                    t("fmt.reading.missing_one", lang, label=m.label, field=m.field)
                    + (f" — {t('fmt.reading.affects', lang, rules=', '.join(m.affects))}" if m.affects else ""),
                    "warning",
                    result.file,
                    m.line,
                    index,
                    {"field": m.field, "label": m.label, "affects": list(m.affects)},
                )
            )
        notes = result.reading.not_judged_findings if result.reading is not None else ()
        for n, text in zip(notes, not_judged_lines(result, lang), strict=True):
            out.append(
                _notification(
                    "SGC-READING-NOT-JUDGED",
                    text,
                    "warning",
                    result.file,
                    None,
                    index,
                    {
                        "rule": n.rule_id,
                        "subject": n.subject_id,
                        "subject_kind": n.subject_kind,
                        "severity": n.severity,
                        "reason": n.reason,
                    },
                )
            )
    return out


def sarif_log(report: Report, lang: Lang = "ja") -> dict[str, Any]:
    """The SARIF log as Python data."""
    log, results = _skeleton(report, lang)
    log["runs"][0]["results"] = list(results)
    return log


def _skeleton(report: Report, lang: Lang) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    # The log with ``results`` left empty (None), and the results to put there, made one at a time.
    first: dict[str, Finding] = {}
    for result in report.results:
        for f in result.findings:
            first.setdefault(f.rule_id, f)
    rule_ids = sorted(first)
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}

    artifact_files = unique(
        [r.file for r in report.results]
        + [f.file for r in report.results for f in r.findings]
        + [e.file for e in report.errors]
    )
    artifact_index = {path: i for i, path in enumerate(artifact_files)}

    run_properties: dict[str, Any] = {
        "format_version": report.format_version,
        "fail_on": report.fail_on,
        "waivers_file": report.waivers_file,
        "waivers_applied": report.waivers_applied,
        "plans": [_plan_properties(r, lang) for r in report.results],
    }
    # Shared by every plan (one catalogue per run, usually one date): the value, else null.
    digests = unique([r.catalog_digest for r in report.results])
    dates = unique([r.as_of.isoformat() for r in report.results])
    run_properties["catalog_digest"] = digests[0] if len(digests) == 1 else None
    run_properties["as_of"] = dates[0] if len(dates) == 1 else None
    driver: dict[str, Any] = {
        "name": report.tool,
        "version": report.tool_version,
        "language": LANGUAGE[lang],
        "rules": [_rule(first[rid], lang) for rid in rule_ids],
    }
    notifications = _notifications(report, artifact_index, lang)
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "language": LANGUAGE[lang],
        "artifacts": [
            {"location": {"uri": artifact_uri(path)}, "roles": ["analysisTarget"]} for path in artifact_files
        ],
        "results": None,
        "properties": run_properties,
    }
    log: dict[str, Any] = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    failed = _failed_notifications(report, artifact_index, lang)
    descriptors = [
        {"id": rid, "name": name, "shortDescription": {"text": t(_NOTIFICATION_TEXT[rid], lang)}}
        for rid, name in READING_NOTIFICATIONS.items()
        if notifications
    ]
    if failed:
        descriptors.append(
            {"id": FAILED_INPUT, "name": "InputNotChecked", "shortDescription": {"text": t("fmt.failed.title", lang)}}
        )
    if descriptors:
        driver["notifications"] = descriptors
    if notifications or failed:
        # The invocation is where SARIF readers look for how the run went (what it could not read, which
        # inputs it could not check); results stay about the plans' gaps. An input that failed makes the
        # execution unsuccessful: its findings are missing, not fixed.
        run["invocations"] = [{"executionSuccessful": not failed, "toolExecutionNotifications": failed + notifications}]
    identities = {r.plan_id for r in report.results} | {e.plan_id for e in report.errors}
    if len(identities) == 1 and "" not in identities:
        # One plan per log (``-o sarif-dir=``, or a single plan checked): its own category, so that each
        # plan's alerts are tracked apart (GitHub takes the category from automationDetails.id up to
        # its last '/'). A plan that failed to load keeps the category it has when it loads, unless it
        # declares a plan.id (unreadable then).
        run["automationDetails"] = {"id": f"{report.tool}/{identities.pop()}/"}
    return log, _results(report, rule_index, artifact_index, lang)


FAILED_INPUT = "SGC-INPUT-NOT-CHECKED"
"""Descriptor of the notification that an input could not be checked (did not load, or met a bug)."""


def _failed_notifications(report: Report, artifact_index: dict[str, int], lang: Lang) -> list[dict[str, Any]]:
    out = []
    for e in report.errors:
        location = _physical(e.file, e.line, artifact_index[e.file])
        if e.line is not None and e.line >= 1 and e.column is not None and e.column >= 1:
            location["region"]["startColumn"] = e.column
        out.append(
            {
                "descriptor": {"id": FAILED_INPUT},
                "level": "error",
                "message": {"text": e.message.get(lang)},
                "locations": [{"physicalLocation": location}],
                "properties": {"key": e.key, "internal": e.internal},
            }
        )
    return out


def _results(
    report: Report, rule_index: dict[str, int], artifact_index: dict[str, int], lang: Lang
) -> Iterator[dict[str, Any]]:
    for r in report.results:
        for f in r.findings:
            yield _result(f, rule_index[f.rule_id], artifact_index[f.file], lang)


def render_sarif(report: Report, lang: Lang = "ja") -> str:
    """The report as a SARIF 2.1.0 log (JSON text, trailing newline)."""
    return "".join(stream_sarif(report, lang))


def stream_sarif(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_sarif` in pieces, one result at a time (what the CLI writes for a batch)."""
    log, results = _skeleton(report, lang)
    return dumps_streamed(log, "results", results)
