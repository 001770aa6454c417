"""Wording and ordering shared by the report formats.

Everything here only reads the :class:`Report`; nothing re-evaluates a plan. Text comes from the
message catalogue (``fmt.*`` and the ``report.*`` keys the console listing uses), so every format says
the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from safeguard_check.findings.model import (
    CheckResult,
    CitedRequirement,
    CoverageStatus,
    Finding,
    PartySummary,
    Report,
    WaiverRef,
)
from safeguard_check.load.wareki import DateParseError, to_wareki
from safeguard_check.messages import Lang, catalog, t
from safeguard_check.model.rule import SEVERITIES, Severity

SARIF_LEVEL: dict[Severity, str] = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "info": "note",
}

COVERAGE_MARK: dict[CoverageStatus, str] = {
    "satisfied": "✓",
    "gap": "✗",
    "waived": "〜",
    "not_applicable": "−",
}


def date_text(d: dt.date, lang: Lang) -> str:
    """``令和2年5月25日 (2020-05-25)`` in Japanese, ISO 8601 in English."""
    if lang != "ja":
        return d.isoformat()
    try:
        return f"{to_wareki(d)} ({d.isoformat()})"
    except DateParseError:  # before the Meiji calendar: no 和暦 to show
        return d.isoformat()


def severity_label(severity: str, lang: Lang) -> str:
    """The severity's word in ``lang`` (重大 / 高 / 中 / 低 / 情報)."""
    return t(f"severity.{severity}", lang)


def role_label(role: str, lang: Lang) -> str:
    """The party's role in ``lang`` (委任元 / 委任先 / 委託先 / 再委託先)."""
    return t(f"cli.role.{role}", lang)


def fail_on_text(fail_on: str, lang: Lang) -> str:
    """The ``--fail-on`` threshold in words."""
    if fail_on in SEVERITIES:
        return t("fmt.fail_on_value", lang, severity=severity_label(fail_on, lang))
    return t("fmt.fail_on_never", lang)


def as_of_text(result: CheckResult, lang: Lang) -> str:
    """The date the law was applied at and why (the plan's effective date or ``--as-of``)."""
    source = t(f"report.as_of_source.{result.as_of_source}", lang)
    return f"{date_text(result.as_of, lang)} — {source}"


def instrument_lines(result: CheckResult, lang: Lang) -> list[str]:
    """One line per instrument with requirements in force on the as-of date."""
    return [
        f"{i.short.get(lang)}: " + t("report.requirements_in_force", lang, n=i.requirements_in_force)
        for i in result.instruments
        if i.requirements_in_force
    ]


def profile_text(result: CheckResult, lang: Lang) -> str:
    """The profile applied, e.g. ``law（法令のみ：ガイドライン・技術的助言・運用慣行は数えない）``."""
    key = f"report.profile.{result.profile}"
    # A custom profile has no catalogue entry: its id is all the report can say.
    return t(key, lang) if key in catalog() else result.profile


def rules_text(result: CheckResult, lang: Lang) -> str:
    """How many rules ran and how many were not in force."""
    text = t("report.rules_count", lang, run=len(result.rules_run), inactive=len(result.rules_inactive))
    if result.rules_excluded:
        text += t("report.rules_excluded", lang, n=len(result.rules_excluded), profile=result.profile)
    return text


def subject_text(f: Finding, lang: Lang) -> str:
    """``新宿区 (当事者 shinjuku)``: the subject's name, kind and id."""
    return f"{f.subject_name} ({t(f'subject.{f.subject_kind}', lang)} {f.subject_id})"


def location_text(file: str, line: int | None) -> str:
    """``file:line``, or the file alone when the line is unknown."""
    return f"{file}:{line}" if line else file


def missing_items(f: Finding, lang: Lang) -> list[str]:
    """Each missing measure as ``label [code]``."""
    return [f"{m.label.get(lang)} [{m.code}]" for m in f.missing]


def missing_text(f: Finding, lang: Lang) -> str:
    """The missing measures on one line: joined by 「または」 when any one of them would do."""
    plain = "、" if lang == "ja" else ", "
    sep = t("report.or", lang) if f.missing_mode == "any_of" else plain
    return sep.join(missing_items(f, lang))


def citation_text(r: CitedRequirement, lang: Lang) -> str:
    """``番号法第11条 [BANGO-11] 法律``: the basis kind, how the requirement was verified unless from the
    official text, and a note when the quoted text is a later edition than the one applied."""
    text = f"{r.label.get(lang)} [{r.id}]"
    if r.basis_kind is not None:
        text += f" {t(f'basis.{r.basis_kind}', lang)}"
    if r.verification != "official_text":
        text += f" ({t(f'verification.{r.verification}', lang)})"
    note = edition_note(r, lang)
    if note:
        text += f" — {note}"
    return text


def edition_note(r: CitedRequirement, lang: Lang) -> str | None:
    """「この版の原文は未確認。以下は YYYY-MM-DD 版」 when only a later edition's text is held."""
    edition = r.edition
    if edition is None or not edition.later:
        return None
    start = edition.valid_from.isoformat() if edition.valid_from else "-"
    # 「以下は … 版」: the later edition's text follows, so the reader sees exactly what was not checked.
    quoted = f"「{edition.quote}」" if lang == "ja" else f'"{edition.quote}"'
    return f"{t('report.edition_later', lang, date=start)}: {quoted}"


def evidence_text(f: Finding, lang: Lang) -> str:
    """What the plan says about the missing measures: nothing, that they are not done, or an open list
    or another document that may hold them (要確認)."""
    return t(f"evidence.{f.evidence}", lang)


def cap_text(f: Finding, lang: Lang) -> str | None:
    """Why the finding is less severe than its rule, when the cap lowered it (else ``None``)."""
    if not f.capped or f.cap is None or f.rule_severity is None:
        return None
    cap = f.cap
    return t(
        "report.cap_detail",
        lang,
        rule=severity_label(f.rule_severity, lang),
        severity=severity_label(f.severity, lang),
        requirement=cap.requirement,
        basis=t(f"basis.{cap.basis_kind}", lang),
        verification=t(f"verification.{cap.verification}", lang),
    )


def waiver_target(w: WaiverRef) -> str:
    """What a waiver names: rule and/or requirement, then the subject (``SGC-X / REQ @ subject``)."""
    what = " / ".join(x for x in (w.rule, w.requirement) if x) or "*"
    return f"{what} @ {w.subject}"


def waiver_summary(w: WaiverRef, lang: Lang) -> str:
    """``justification (expires …)`` for one-line mentions of a waiver."""
    return t("fmt.waiver_line", lang, justification=w.justification, expires=date_text(w.expires, lang))


def plan_label(result: CheckResult) -> str:
    """What identifies the plan, for people: its declared ``plan.id``, else its file's path in the
    repository (``CheckResult.plan_id`` without its ``id:``/``path:`` prefix), else the file as given."""
    kind, sep, value = result.plan_id.partition(":")
    return value if sep and kind in ("id", "path") else result.file


def chain_order(result: CheckResult) -> tuple[PartySummary, ...]:
    """The parties along the chain: 区 → 機構 → 委託先 → 再委託先 (depth, then declaration order)."""
    return tuple(sorted(result.plan.chain, key=lambda p: p.depth))


@dataclass(frozen=True)
class PartyGroup:
    """The findings of one party (``party`` is None for findings naming a party not in the chain)."""

    party: PartySummary | None
    party_id: str
    findings: tuple[Finding, ...]


def group_by_party(result: CheckResult, findings: Iterable[Finding]) -> list[PartyGroup]:
    """``findings`` grouped by party in chain order, each group keeping the findings' own order.

    Parties without findings are left out; a finding whose party is not in the chain (which the
    checker does not produce, but a report file might) is kept in a trailing group, never dropped.
    """
    by_party: dict[str, list[Finding]] = {}
    for f in findings:
        by_party.setdefault(f.party_id, []).append(f)
    groups: list[PartyGroup] = []
    for party in chain_order(result):
        if party.id in by_party:
            groups.append(PartyGroup(party, party.id, tuple(by_party.pop(party.id))))
    for pid in sorted(by_party):
        groups.append(PartyGroup(None, pid, tuple(by_party[pid])))
    return groups


def party_heading(group: PartyGroup, lang: Lang) -> str:
    """``新宿区（委任元）`` / ``Shinjuku (principal)``; an unknown party shows its id."""
    if group.party is None:
        return t("fmt.party_unknown", lang, id=group.party_id)
    return t("fmt.party_heading", lang, name=group.party.name, role=role_label(group.party.role, lang))


def open_findings(result: CheckResult) -> tuple[Finding, ...]:
    """The findings not waived, in the result's order."""
    return tuple(f for f in result.findings if f.status == "open")


def waived_findings(result: CheckResult) -> tuple[Finding, ...]:
    """The waived findings, in the result's order."""
    return tuple(f for f in result.findings if f.status == "waived")


def coverage_rows(result: CheckResult) -> tuple[list[str], list[tuple[str, list[CoverageStatus]]], int]:
    """The coverage matrix: party ids in chain order, rows (requirement, statuses) and rows omitted.

    Requirements that applied to no party (every cell "not applicable") are omitted to keep the matrix
    compact; their number is returned so the reader is told. Requirement order is the result's.
    """
    parties = [p.id for p in chain_order(result)]
    for cell in result.coverage:  # cells naming a party outside the chain still get a column
        if cell.party not in parties:
            parties.append(cell.party)
    cells: dict[str, dict[str, CoverageStatus]] = {}
    for cell in result.coverage:
        cells.setdefault(cell.requirement, {})[cell.party] = cell.status
    rows: list[tuple[str, list[CoverageStatus]]] = []
    omitted = 0
    for requirement, by_party in cells.items():
        statuses: list[CoverageStatus] = [by_party.get(p, "not_applicable") for p in parties]
        if all(s == "not_applicable" for s in statuses):
            omitted += 1
            continue
        rows.append((requirement, statuses))
    return parties, rows, omitted


def party_names(result: CheckResult) -> dict[str, str]:
    """Party id → name, from the chain."""
    return {p.id: p.name for p in result.plan.chain}


def subject_names(result: CheckResult) -> dict[str, str]:
    """Subject id → name, as far as the report knows it (the chain and the findings)."""
    names = party_names(result)
    for f in result.findings:
        names.setdefault(f.subject_id, f.subject_name)
    return names


def count_rows(counts_open: dict[str, int], counts_waived: dict[str, int]) -> list[tuple[str, int, int]]:
    """(severity, open, waived) for every severity, most severe first."""
    return [(s, counts_open.get(s, 0), counts_waived.get(s, 0)) for s in SEVERITIES]


def report_counts(report: Report) -> tuple[dict[str, int], dict[str, int]]:
    """Open and waived counts per severity over all plans."""
    return report.counts("open"), report.counts("waived")


def unique(items: Sequence[str]) -> list[str]:
    """``items`` without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))


def generated_by(report: Report, lang: Lang) -> str:
    """The footer line of document formats: tool, version, report format and catalogue digest(s)."""
    digests = ", ".join(dict.fromkeys(r.catalog_digest for r in report.results)) or "−"
    return t(
        "fmt.generated_by",
        lang,
        tool=report.tool,
        version=report.tool_version,
        format=report.format_version,
        digest=digests,
    )


# What a check of a council document could not read (``CheckResult.unrecognised`` / ``reading``).
# A result without ReadingNotes (a declaration) shows none of it, so its reports are unchanged.


def has_reading(result: CheckResult) -> bool:
    """Whether the result carries what its council document could not read (never for a declaration)."""
    return result.reading is not None or bool(result.unrecognised)


def line_label(line: int | None, lang: Lang) -> str:
    """``行34`` / ``line 34``, or that the line is not known (a PDF)."""
    return t("fmt.reading.line", lang, line=line) if line else t("fmt.reading.line_unknown", lang)


def mapped_text(result: CheckResult, lang: Lang) -> str:
    """「N 件中 M 件の対策文を読み取りました」 / ``M of N measure sentences mapped`` ('' without a summary)."""
    if result.reading is None:
        return ""
    r = result.reading
    return t("fmt.reading.mapped", lang, total=r.measure_sentences, mapped=r.mapped_sentences)


def unrecognised_rows(result: CheckResult, lang: Lang) -> list[tuple[str, str, str, str]]:
    """(line, where, kind, text) for each sentence that mapped to nothing, in the document's order."""
    return [
        (line_label(u.line, lang), u.where, t(f"fmt.reading.kind.{u.kind}", lang), u.text) for u in result.unrecognised
    ]


def missing_field_lines(result: CheckResult, lang: Lang) -> list[str]:
    """One line per form field the document lacked: label, path, where looked for, rules left unjudged."""
    if result.reading is None:
        return []
    out = []
    for m in result.reading.missing_fields:
        text = t("fmt.reading.missing_field", lang, label=m.label, field=m.field)
        if m.line:
            text += f" — {line_label(m.line, lang)}"
        if m.affects:
            text += " — " + t("fmt.reading.affects", lang, rules=", ".join(m.affects))
        out.append(text)
    return out


def not_judged(result: CheckResult) -> tuple[str, ...]:
    """Ids of the rules that could not be judged for lack of text."""
    return result.reading.not_judged if result.reading is not None else ()


# Literal keys (the catalogue test finds the keys the formats use by scanning for them).
_NOT_JUDGED_REASON = {"no_measure_text": "fmt.reading.not_judged_reason.no_measure_text"}


def not_judged_lines(result: CheckResult, lang: Lang) -> list[str]:
    """One line per finding not given for lack of text: rule, subject, reason, the severity it would have."""
    if result.reading is None:
        return []
    return [
        t(
            "fmt.reading.not_judged_finding",
            lang,
            rule=n.rule_id,
            subject=n.subject_name,
            reason=t(_NOT_JUDGED_REASON[n.reason], lang),
            severity=t(f"severity.{n.severity}", lang),
        )
        for n in result.reading.not_judged_findings
    ]


def possibly_stated_lines(f: Finding, lang: Lang) -> list[str]:
    """「次の文がこの対策を述べている可能性があります（要確認）: 行N「…」」 (with the words in common),
    one line per unmapped sentence that may state a measure ``f`` reports missing."""
    sep = "、" if lang == "ja" else ", "
    return [
        t("fmt.possibly_stated", lang, line=line_label(p.line, lang), text=p.text)
        # Without shared words the sentence is named because the finding says the party states no
        # measure at all (findings/reading.py): listing every code again would say nothing.
        + (
            f" [{', '.join(p.codes)}] ({t('fmt.possibly_stated.shared', lang, words=sep.join(p.shared))})"
            if p.shared
            else ""
        )
        for p in f.possibly_stated
    ]
