"""``--format junit``: JUnit XML, so that CI test dashboards list every check made.

One ``<testsuite>`` per plan; one ``<testcase>`` per (rule, subject) pair a rule examined
(``CheckResult.applied``), with ``classname`` = rule id and ``name`` = subject. An open finding is a
``<failure>``, a waived one ``<skipped message="waived: …">``, a pair without a finding passes. Each
rule not in force on the as-of date is one more skipped test case. Each input that could not be
checked (``Report.errors``: it did not load, or met a bug) is a suite of its own with one test case
holding an ``<error>``, so ``errors`` counts the files the report lacks instead of hiding them.

Suite names carry the plan's identity (``plan.id``, else its file's path): two plans of one
municipality with the same title stay two suites.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from safeguard_check.findings.model import CheckResult, FailedInput, Finding, Report
from safeguard_check.messages import Lang, t
from safeguard_check.report.failed import by_file, failed_line

from ._common import (
    cap_text,
    citation_text,
    date_text,
    evidence_text,
    has_reading,
    instrument_lines,
    line_label,
    location_text,
    mapped_text,
    missing_field_lines,
    missing_text,
    not_judged,
    not_judged_lines,
    plan_label,
    possibly_stated_lines,
    severity_label,
    subject_names,
    subject_text,
    waiver_summary,
)

# Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` made representable in XML 1.0 (forbidden characters become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _failure_text(fs: list[Finding], lang: Lang) -> str:
    blocks = []
    for f in fs:
        lines = [
            f"[{severity_label(f.severity, lang)}] {f.rule_id} {f.title.get(lang)}",
            f"{t('report.subject', lang)}: {subject_text(f, lang)}",
            f"{t('report.location', lang)}: {location_text(f.file, f.line)}",
            f"{t('report.message', lang)}: {f.message.get(lang)}",
        ]
        if f.missing:
            lines.append(f"{t('report.missing', lang)}: {missing_text(f, lang)}")
            lines.append(f"{t('report.evidence', lang)}: {evidence_text(f, lang)}")
        cap = cap_text(f, lang)
        if cap is not None:
            lines.append(f"{t('report.cap', lang)}: {cap}")
        lines.append(f"{t('report.citations', lang)}:")
        lines += [f"  - {citation_text(r, lang)}" for r in f.requirements]
        lines.append(f"{t('report.remediation', lang)}: {f.remediation.get(lang)}")
        lines += possibly_stated_lines(f, lang)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _case_name(subject_id: str, names: dict[str, str]) -> str:
    name = names.get(subject_id)
    return f"{subject_id} ({name})" if name and name != subject_id else subject_id


def suite_name(result: CheckResult) -> str:
    """``新宿区 件名 [plans/shinjuku.yaml]``: municipality, title and what identifies the plan."""
    return f"{result.municipality} {result.plan_title} [{plan_label(result)}]"


def _failed_suite(parent: ET.Element, file: str, errors: list[FailedInput], lang: Lang) -> None:
    name = t("fmt.failed.case", lang)
    suite = _el(parent, "testsuite", name=f"{name}: {file}", tests="1", failures="0", errors="1", skipped="0")
    case = _el(suite, "testcase", classname=FAILED_CLASSNAME, name=file, file=file)
    head = errors[0]
    text = "\n".join(failed_line(e, lang) for e in errors)
    if any(e.internal for e in errors):
        text += "\n" + t("fmt.failed.internal", lang)
    _el(case, "error", text, message=head.message.get(lang).split("\n")[0], type=head.key)


FAILED_CLASSNAME = "safeguard-check.input"
"""``classname`` of the test case that stands for an input that could not be checked."""


def _suite(parent: ET.Element, result: CheckResult, lang: Lang, tool_version: str) -> None:
    suite = _el(parent, "testsuite", name=suite_name(result))
    props = _el(suite, "properties")
    for key, value in (
        ("file", result.file),
        ("plan_id", result.plan_id),
        ("municipality", result.municipality),
        ("department", result.department),
        ("plan_title", result.plan_title),
        ("effective_date", result.effective_date.isoformat()),
        ("as_of", result.as_of.isoformat()),
        ("as_of_source", result.as_of_source),
        ("engine", result.engine),
        ("catalog_digest", result.catalog_digest),
        ("tool_version", tool_version),
    ):
        _el(props, "property", name=key, value=value)
    for line in instrument_lines(result, lang):
        _el(props, "property", name="instrument", value=line)
    if result.reading is not None:
        r = result.reading
        _el(props, "property", name="reading.measure_sentences", value=str(r.measure_sentences))
        _el(props, "property", name="reading.mapped_sentences", value=str(r.mapped_sentences))
        _el(props, "property", name="reading.unrecognised", value=str(r.unrecognised))
        for rule in r.not_judged:
            _el(props, "property", name="reading.not_judged", value=rule)
        for note in r.not_judged_findings:
            value = f"{note.rule_id} {note.subject_id} {note.reason}"
            _el(props, "property", name="reading.not_judged_finding", value=value)

    by_pair = _findings_by_pair(result)
    names = subject_names(result)
    for rule_id, subject_id in _pairs(result, by_pair):
        case = _el(suite, "testcase", classname=rule_id, name=_case_name(subject_id, names), file=result.file)
        found = by_pair.get((rule_id, subject_id), [])
        open_ = [f for f in found if f.status == "open"]
        waived = [f for f in found if f.status == "waived"]
        if open_:
            head = open_[0]
            _el(
                case,
                "failure",
                _failure_text(open_, lang),
                message=head.title.get(lang),
                type=head.severity,
            )
        elif waived:
            reasons = "; ".join(
                waiver_summary(f.waiver, lang) if f.waiver else t("fmt.status.waived", lang) for f in waived
            )
            _el(case, "skipped", _failure_text(waived, lang), message=t("fmt.junit.waived", lang, reason=reasons))
    not_in_force = t("fmt.junit.not_in_force", lang, date=date_text(result.as_of, lang))
    for rule_id in result.rules_inactive:
        case = _el(suite, "testcase", classname=rule_id, name=not_in_force, file=result.file)
        _el(case, "skipped", message=not_in_force)
    excluded = t("fmt.junit.excluded", lang, profile=result.profile)
    for rule_id in result.rules_excluded:
        case = _el(suite, "testcase", classname=rule_id, name=excluded, file=result.file)
        _el(case, "skipped", message=excluded)
    if has_reading(result):
        _el(suite, "system-out", _reading_text(result, lang))
    tests, failures, skipped = _counts(result)
    for attr, n in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", skipped)):
        suite.set(attr, str(n))


def _reading_text(result: CheckResult, lang: Lang) -> str:
    """What the council document's check could not read, as the suite's ``system-out``."""
    lines = [t("fmt.reading.title", lang)]
    if result.reading is not None:
        lines.append(mapped_text(result, lang))
    if result.unrecognised:
        lines.append(t("fmt.reading.intro", lang))
        lines += [
            f"  {location_text(result.file, u.line)} ({line_label(u.line, lang)}) {u.where}: {u.text}"
            for u in result.unrecognised
        ]
    else:
        lines.append(t("fmt.reading.all_read", lang))
    fields = missing_field_lines(result, lang)
    if fields:
        lines.append(f"{t('fmt.reading.missing_fields', lang)}:")
        lines += [f"  - {x}" for x in fields]
    rules = not_judged(result)
    if rules:
        lines.append(f"{t('fmt.reading.not_judged', lang)}: {', '.join(rules)}")
        lines += [f"  - {x}" for x in not_judged_lines(result, lang)]
    return "\n".join(lines)


def _findings_by_pair(result: CheckResult) -> dict[tuple[str, str], list[Finding]]:
    by_pair: dict[tuple[str, str], list[Finding]] = {}
    for f in result.findings:
        by_pair.setdefault((f.rule_id, f.subject_id), []).append(f)
    return by_pair


def _pairs(result: CheckResult, by_pair: dict[tuple[str, str], list[Finding]]) -> list[tuple[str, str]]:
    # Every examined pair, then any finding's pair the applied list lacks: a failure is never lost.
    return list(dict.fromkeys([*result.applied, *by_pair]))


def _counts(result: CheckResult) -> tuple[int, int, int]:
    """(tests, failures, skipped) of a plan's suite, without building it (the totals come first)."""
    by_pair = _findings_by_pair(result)
    pairs = _pairs(result, by_pair)
    failures = skipped = 0
    for pair in pairs:
        statuses = {f.status for f in by_pair.get(pair, ())}
        if "open" in statuses:
            failures += 1
        elif "waived" in statuses:
            skipped += 1
    inactive = len(result.rules_inactive) + len(result.rules_excluded)
    return len(pairs) + inactive, failures, skipped + inactive


def render_junit(report: Report, lang: Lang = "ja") -> str:
    """The report as JUnit XML (``<testsuites>`` → ``<testsuite>`` per plan → ``<testcase>``)."""
    return "".join(stream_junit(report, lang))


def stream_junit(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_junit` in pieces, one ``<testsuite>`` at a time (what the CLI writes for a batch).

    The totals on ``<testsuites>`` are counted first; each suite is then built, indented as it sits in
    the whole document (two spaces a level) and serialised on its own, so a batch never holds the
    XML tree of every plan at once.
    """
    root = ET.Element("testsuites", {"name": report.tool})
    totals = [0, 0, 0]
    for result in report.results:
        for i, n in enumerate(_counts(result)):
            totals[i] += n
    failed = by_file(report)
    tests, failures, skipped = totals
    tests += len(failed)
    for attr, n in (("tests", tests), ("failures", failures), ("errors", len(failed)), ("skipped", skipped)):
        root.set(attr, str(n))
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not report.results and not failed:
        yield ET.tostring(root, encoding="unicode") + "\n"
        return
    # The root's own tags around its children, as ElementTree writes them (attributes escaped).
    root.text = _CHILDREN
    head, tail = ET.tostring(root, encoding="unicode").split(_CHILDREN)
    yield head + "\n  "
    last = len(report.results) + len(failed) - 1
    items: list[CheckResult | tuple[str, list[FailedInput]]] = [*report.results, *failed.items()]
    for index, item in enumerate(items):
        holder = ET.Element("testsuites")
        if isinstance(item, CheckResult):
            _suite(holder, item, lang, report.tool_version)
        else:
            _failed_suite(holder, item[0], item[1], lang)
        suite = holder[0]
        ET.indent(suite, level=1)
        suite.tail = "\n" if index == last else "\n  "
        yield ET.tostring(suite, encoding="unicode")
    yield tail + "\n"


_CHILDREN = "\ue000children\ue000"
"""Stands for the suites while the root's tags are written: a private-use text no attribute escapes."""
