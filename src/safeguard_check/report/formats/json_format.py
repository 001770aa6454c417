"""``--format json``: the Report as data, with a versioned JSON Schema shipped in the package.

The document is ``Report.model_dump(mode="json")`` plus a top-level ``summary`` of counts. Its schema,
``safeguard_check/report/schema/report-v1.schema.json``, is generated from the same pydantic models by
:func:`report_schema`; a test keeps the committed file equal to a fresh generation. Regenerate it with::

    python -c "from safeguard_check.report.formats.json_format import write_schema; write_schema()"

The JSON carries every text in both Japanese and English, so ``lang`` does not change it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from safeguard_check.findings.model import CheckResult, Report
from safeguard_check.messages import Lang
from safeguard_check.report.json_text import dumps_indented, dumps_streamed

SCHEMA_ID = "urn:safeguard-check:report:v1"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "report-v1.schema.json"


class SeverityCounts(BaseModel):
    """Findings per severity (every severity present, zero included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    critical: int = Field(ge=0, description="findings of severity critical (重大)")
    high: int = Field(ge=0, description="findings of severity high (高)")
    medium: int = Field(ge=0, description="findings of severity medium (中)")
    low: int = Field(ge=0, description="findings of severity low (低)")
    info: int = Field(ge=0, description="findings of severity info (情報)")


class ReportSummary(BaseModel):
    """Counts over every plan in the report, for dashboards and CI gates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plans: int = Field(ge=0, description="number of plans checked (entries in results)")
    findings: int = Field(ge=0, description="all findings, open and waived")
    open: SeverityCounts = Field(description="open findings per severity (these decide the exit code)")
    waived: SeverityCounts = Field(description="findings covered by an accepted, unexpired waiver")
    open_total: int = Field(ge=0, description="open findings, all severities")
    waived_total: int = Field(ge=0, description="waived findings, all severities")
    baseline_suppressed: int = Field(ge=0, description="findings hidden by --baseline (not in findings)")
    waivers_expired: int = Field(ge=0, description="waivers past their expiry date, not applied")
    waivers_unmatched: int = Field(ge=0, description="waivers that matched no finding")


class JsonReport(Report):
    """A safeguard-check report: each checked plan with its findings, citations and coverage.

    Every text meant for people is given in Japanese (ja) and English (en). Findings are sorted by
    severity, file, line, subject and rule.
    """

    model_config = ConfigDict(title="safeguard-check report, format version 1")

    summary: ReportSummary = Field(description="counts over all plans")


def summarize(report: Report) -> ReportSummary:
    """The ``summary`` object: counts only, nothing re-evaluated."""
    open_counts = report.counts("open")
    waived_counts = report.counts("waived")
    return ReportSummary(
        plans=len(report.results),
        findings=sum(len(r.findings) for r in report.results),
        open=SeverityCounts.model_validate(open_counts),
        waived=SeverityCounts.model_validate(waived_counts),
        open_total=sum(open_counts.values()),
        waived_total=sum(waived_counts.values()),
        baseline_suppressed=sum(len(r.baseline_suppressed) for r in report.results),
        waivers_expired=sum(len(r.waivers_expired) for r in report.results),
        waivers_unmatched=sum(len(r.waivers_unmatched) for r in report.results),
    )


OPTIONAL_FIELDS: dict[str, frozenset[str]] = {
    "CheckResult": frozenset({"unrecognised", "reading"}),
    "Finding": frozenset({"possibly_stated"}),
}
"""Fields written only when they have something to say: what a plan read from a council document
could not read. A declaration's report is unchanged by them, byte for byte."""


def result_data(result: CheckResult) -> dict[str, Any]:
    """One entry of ``results``: the result as JSON data, without the reading fields it does not use.

    ``unrecognised`` and ``reading`` are written for a plan read from a document (``reading`` set),
    even when everything was understood; ``possibly_stated`` on every finding of a result where some
    finding has one (an empty list elsewhere).
    """
    exclude: dict[str, Any] = {}
    if result.reading is None and not result.unrecognised:
        exclude.update(dict.fromkeys(("unrecognised", "reading"), True))
    if not any(f.possibly_stated for f in result.findings):
        exclude["findings"] = {"__all__": {"possibly_stated"}}
    data: dict[str, Any] = result.model_dump(mode="json", exclude=exclude or None)
    return data


def report_document(report: Report) -> dict[str, Any]:
    """The JSON document as Python data (what :func:`render_json` serializes)."""
    data = report.model_dump(mode="json", exclude={"results"})
    data["results"] = [result_data(r) for r in report.results]
    data["summary"] = summarize(report).model_dump(mode="json")
    return data


def dumps(data: object) -> str:
    """Canonical JSON text: UTF-8 characters as is, 2-space indent, sorted keys, trailing newline.

    Keys are sorted (object member order carries no meaning); arrays keep their order, which does.
    """
    return dumps_indented(data, sort_keys=True)


def render_json(report: Report, lang: Lang = "ja") -> str:
    """The report as JSON conforming to ``report-v1.schema.json`` (``lang`` is not used)."""
    return "".join(stream_json(report, lang))


def stream_json(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_json` in pieces, one plan at a time (what the CLI writes: a batch's whole
    document as data took about 0.7 MB per plan)."""
    del lang  # both languages are in the data
    data = report.model_dump(mode="json", exclude={"results"})
    data["results"] = None
    data["summary"] = summarize(report).model_dump(mode="json")
    return dumps_streamed(data, "results", (result_data(r) for r in report.results), sort_keys=True)


# Descriptions for fields the models leave undocumented, by definition title then field name.
# A test requires every property of the schema to have a description.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "JsonReport": {
        "format_version": "version of this report format; a change that breaks readers increments it",
        "tool": "the program that wrote the report",
        "tool_version": "version of safeguard-check that wrote the report",
        "fail_on": "the --fail-on threshold: open findings at or above it made the check fail "
        "(critical|high|medium|low|info|never)",
        "waivers_file": "the waivers file given, if any",
        "waivers_applied": "false when waivers were deliberately not applied",
        "results": "one entry per plan checked, in the order given",
    },
    "CheckResult": {
        "file": "the plan file as given on the command line",
        "plan_title": "the plan's title (件名)",
        "municipality": "the municipality (団体)",
        "department": "the department holding the records (保有課)",
        "effective_date": "the date the plan takes effect (変更日)",
        "as_of": "the law applied is the law in force on this date",
        "as_of_source": "effective_date: the plan's own date; option: set with --as-of; document_date: a council "
        "document without a 変更日, another date it prints; no_date: a council document with no date at all, a "
        "placeholder date (the law applied was chosen for lack of a date)",
        "engine": "the rule engine that evaluated the plan",
        "catalog_digest": "digest of the requirement and rule catalogue used (identifies its version)",
        "instruments": "laws, ordinances, notices and guidelines, with how many of their requirements "
        "were in force on as_of",
        "rules_run": "ids of the rules in force on as_of, all of which were run",
        "rules_inactive": "ids of the rules not in force on as_of (not run)",
        "findings": "the gaps found, sorted by severity, file, line, subject and rule",
        "plan": "how much the plan declares, and its delegation chain",
        "coverage": "requirement × party matrix: for every requirement in force that a rule checks "
        "and every party, whether it is satisfied, a gap, waived or not applicable",
        "source_kind": "declaration: a structured declaration file; document: extracted from a document",
        "waivers_expired": "waivers for this plan past their expiry date; the findings they named are reported as open",
        "waivers_unmatched": "waivers for this plan that matched no finding",
        "unrecognised": "only for a plan read from a council document: every sentence that mapped to no "
        "measure or clause code, with its line and where it is printed",
        "reading": "only for a plan read from a council document: how much of it was read (N of M measure "
        "sentences mapped), the form fields it lacked and the rules they left unjudged",
    },
    "UnrecognisedNote": {
        "line": "1-based line of the document where the sentence starts, null when unknown (a PDF)",
        "text": "the sentence as printed",
        "where": "where it is printed, as a reader finds it (別紙, party, section, item)",
        "kind": "measure: a measure sentence; clause: a contract clause; other: any other sentence",
        "subjects": "ids of the plan's subjects (parties, contracts …) the sentence is about, when known",
    },
    "MissingFieldNote": {
        "field": "dotted path of the field in the declaration (plan.department …)",
        "label": "the field's label as forms print it (保有課 …)",
        "line": "where it was looked for in the document, null when unknown",
        "affects": "ids of the rules that could not be judged for lack of it",
    },
    "ReadingSummary": {
        "measure_sentences": "measure sentences read in the document (the N of 'M of N mapped')",
        "mapped_sentences": "of those, the ones mapped to at least one code (stated or stated as not done)",
        "unrecognised": "number of entries in the result's unrecognised list",
        "missing_fields": "form fields the document lacked (a warning, never a failure)",
        "not_judged": "ids of the rules that could not be judged, for some subject, for lack of text (from "
        "missing_fields and not_judged_findings)",
        "not_judged_findings": "findings not given because the document has no text to judge them by (a party "
        "no measure sentence is about): rule, subject, the severity it would have had, and the reason",
    },
    "NotJudgedNote": {
        "rule_id": "id of the rule not judged",
        "subject_kind": "kind of the subject it would have been about",
        "subject_id": "id of the subject in the plan",
        "subject_name": "name of the subject for people",
        "party_id": "the party the subject belongs to",
        "severity": "the severity the finding would have had",
        "reason": "no_measure_text: the document has no measure sentence about the party at all",
    },
    "PossibleStatement": {
        "line": "1-based line of the document where the sentence starts, null when unknown",
        "text": "the unmapped sentence",
        "where": "where it is printed",
        "codes": "the missing measure codes it may state",
        "shared": "the content words it shares with those codes' labels or vocabulary phrases (why it may state them)",
    },
    "AppliedInstrument": {
        "id": "instrument id in the catalogue",
        "short": "short name",
        "number": "official number (e.g. 平成25年法律第27号), null for guidelines without one",
        "version_note": "which text of the instrument the requirements were checked against",
        "requirements_in_force": "how many of its requirements were in force on as_of",
    },
    "Finding": {
        "rule_id": "id of the rule that found the gap",
        "title": "one-line title of the gap",
        "severity": "critical, high, medium, low or info",
        "requirements": "the legal requirements the finding rests on, with citations",
        "subject_kind": "what was examined: the plan, a party, a transfer, a terminal, a contract, or the "
        "document's own text (document: an individual number found in the file by the leak guard)",
        "subject_id": "id of the subject in the plan",
        "subject_name": "name of the subject for people",
        "party_id": "the party the subject belongs to (a transfer's sender, a contract's client)",
        "missing": "the measures the subject lacks",
        "missing_mode": "all_of: every measure listed is missing; any_of: any one of them would do; "
        "none: the finding is not about missing measures",
        "file": "the plan file",
        "line": "line of the subject in the plan file, null when unknown",
        "message": "what is wrong",
        "remediation": "suggested wording or action to fix the plan",
        "status": "open, or waived by an accepted risk (see waiver)",
        "waiver": "the waiver that covers the finding when status is waived, else null",
        "possibly_stated": "only when some finding of the plan has one: unmapped sentences of the council "
        "document that may state a missing measure; the finding stands but asks for review",
    },
    "CitedRequirement": {
        "id": "requirement id in the catalogue",
        "instrument": "id of the instrument containing the requirement",
        "label": "pinpoint citation (article, paragraph, item or guideline section)",
        "title": "what the requirement demands, in a line",
        "verification": "how the requirement was verified: against the official text, a secondary "
        "source, or not at all",
        "in_force": "whether the requirement was in force on as_of",
    },
    "MissingMeasure": {
        "code": "measure code from the vocabulary",
        "label": "what the measure is",
    },
    "WaiverRef": {
        "id": "waiver id in the waivers file",
        "rule": "the rule the waiver covers (null: any rule citing the requirement)",
        "requirement": "the requirement the waiver covers (null: named by rule)",
        "subject": "the subject id the waiver covers",
        "justification": "why the risk was accepted",
        "approved_by": "who accepted the risk",
        "granted_on": "when the risk was accepted",
        "expires": "last day the waiver applies",
        "file": "the waivers file",
        "line": "line of the waiver in the waivers file, null when unknown",
    },
    "PlanSummary": {
        "sheets": "number of sheets (別紙) declared",
        "data_items": "number of data items declared",
        "media": "number of recording media declared",
        "parties": "number of parties in the chain",
        "transfers": "number of transfers between parties",
        "terminals": "number of terminals",
        "measures": "number of measures declared",
        "contracts": "number of contracts",
        "chain": "the delegation chain: every party with its role and depth, in declaration order",
    },
    "PartySummary": {
        "id": "party id in the plan",
        "name": "party name",
        "role": "principal (委任元), delegate (委任先), contractor (委託先) or subcontractor (再委託先)",
        "received_from": "the party it received the work from (null for the principal)",
        "depth": "links from the principal (0 for the principal)",
    },
    "CoverageCell": {
        "requirement": "requirement id",
        "party": "party id",
        "status": "satisfied: a rule applied and found no gap; gap: an open finding; waived: every "
        "finding waived; not_applicable: no rule for the requirement applied to the party",
    },
    "Localized": {
        "ja": "Japanese text",
        "en": "English text",
    },
}


def _document(node: dict[str, Any], title: str) -> None:
    docs = FIELD_DOCS.get(title, {})
    props: dict[str, Any] = node.get("properties", {})
    for name, prop in props.items():
        if "description" not in prop and name in docs:
            prop["description"] = docs[name]
        prop.setdefault("title", name.replace("_", " ").title())  # pydantic omits it beside $ref
    # model_dump writes every field, defaults included: say so, so readers need no fallbacks. The
    # reading fields are the exception (written for a plan read from a document only).
    if props:
        node["required"] = [p for p in props if p not in OPTIONAL_FIELDS.get(title, ())]


def report_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of :func:`render_json`'s output, generated from the models."""
    schema = JsonReport.model_json_schema(mode="serialization")
    _document(schema, "JsonReport")
    for title, node in schema.get("$defs", {}).items():
        _document(node, title)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    """The schema file's exact content."""
    return dumps(report_schema())


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Regenerate the committed schema file (run after changing the result model)."""
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    return path
