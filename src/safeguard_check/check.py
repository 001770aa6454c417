"""The pipeline for one plan: load → validate → facts → evaluate → findings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from safeguard_check.engine import durable, reference
from safeguard_check.engine.selection import law_in_force
from safeguard_check.facts.build import build_facts
from safeguard_check.facts.legal_status import legal_status
from safeguard_check.findings.build import applied_instruments, build_findings
from safeguard_check.findings.coverage import applied_pairs, coverage
from safeguard_check.findings.identity import plan_identity
from safeguard_check.findings.model import CheckResult, PartySummary, PlanSummary
from safeguard_check.findings.reading import annotate, not_judged_for_lack_of_text, reading_notes, with_not_judged
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import LoadedPlan
from safeguard_check.model.chain import ascend
from safeguard_check.model.declaration import Party
from safeguard_check.model.profile import Profile
from safeguard_check.model.reading import PLACEHOLDER_EFFECTIVE_DATE

EngineName = Literal["durable", "reference"]


def check_plan(
    plan: LoadedPlan,
    catalog: Catalog,
    *,
    as_of: dt.date | None = None,
    engine: EngineName = "durable",
    detail: bool = True,
    profile: Profile | None = None,
) -> CheckResult:
    """Evaluate ``plan`` against the law in force on ``as_of`` (default: the plan's effective date).

    ``detail=False`` leaves out the coverage matrix and the examined (rule, subject) pairs, which
    only the detailed reports read (terminal report of one plan, JSON, JUnit, Markdown, HTML): the
    findings are the same either way. A batch whose outputs need neither saves most of its time.
    """
    decl = plan.declaration
    on = as_of or decl.plan.effective_date
    law = law_in_force(catalog, on, profile)
    facts = build_facts(decl, plan.leaks)
    hits = durable.evaluate(facts, law.rules) if engine == "durable" else reference.evaluate(facts, law.rules)
    findings = build_findings(hits, facts, law, catalog, plan)
    unrecognised, reading = reading_notes(plan.reading) if plan.reading is not None else ((), None)
    if unrecognised:
        # A gap an unmapped sentence may fill is still reported, but names the sentence to review.
        party_of = {m.id: m.implemented_by[0] for m in decl.measures if m.id is not None}
        party_of.update({f.subject.id: f.subject.party for f in facts})
        findings = annotate(findings, unrecognised, party_of)
    if reading is not None:
        # A party no measure sentence of the document is about (a cover page, the opening of a 仕様書):
        # "declared no safeguard at all" cannot be judged, and is reported as such instead of as a gap.
        findings, unjudged = not_judged_for_lack_of_text(
            findings, {pid for m in decl.measures for pid in m.implemented_by}
        )
        reading = with_not_judged(reading, unjudged)
    pairs = applied_pairs(facts, law) if detail else ()
    return CheckResult(
        file=plan.path,
        plan_title=decl.plan.title,
        municipality=decl.plan.municipality,
        department=decl.plan.department,
        effective_date=decl.plan.effective_date,
        as_of=on,
        as_of_source=_as_of_source(plan, as_of),
        engine=engine,
        catalog_digest=catalog.digest,
        instruments=applied_instruments(law, catalog),
        rules_run=law.rule_ids,
        rules_inactive=law.inactive_rules,
        findings=findings,
        plan=plan_summary(plan),
        coverage=coverage(facts, law, findings, pairs) if detail else (),
        applied=pairs,
        profile=law.profile_id,
        rules_excluded=law.excluded_rules,
        unrecognised=unrecognised,
        reading=reading,
        plan_id=plan_identity(decl.plan.id, plan.path),
    )


def _as_of_source(
    plan: LoadedPlan, as_of: dt.date | None
) -> Literal["effective_date", "option", "document_date", "no_date"]:
    # A council document without a 変更日 gets, in the draft (ingest), another date it prints or, with
    # none at all, a placeholder: the law applied was then chosen for lack of a date, which the report
    # must say rather than present the placeholder as the plan's own date.
    if as_of:
        return "option"
    if plan.reading is not None and any(m.field == "plan.effective_date" for m in plan.reading.missing_fields):
        no_date = plan.declaration.plan.effective_date == PLACEHOLDER_EFFECTIVE_DATE
        return "no_date" if no_date else "document_date"
    return "effective_date"


def plan_summary(plan: LoadedPlan) -> PlanSummary:
    """Counts of what the plan declares, and its chain with depths."""
    decl = plan.declaration
    parties = {p.id: p for p in decl.parties}

    def depth(pid: str) -> int:
        return len(ascend(parties[pid], parties).upstream)

    return PlanSummary(
        sheets=len(decl.sheets),
        data_items=len(decl.data_items),
        media=len(decl.media),
        parties=len(decl.parties),
        transfers=len(decl.transfers),
        terminals=len(decl.terminals),
        measures=len(decl.measures),
        contracts=len(decl.contracts),
        chain=tuple(_party_summary(p, depth(p.id)) for p in decl.parties),
    )


def _party_summary(party: Party, depth: int) -> PartySummary:
    status = legal_status(party)
    return PartySummary(
        id=party.id,
        name=party.name,
        role=party.role,
        received_from=party.received_from,
        depth=depth,
        legal_status=status.status,
        legal_status_source=status.source,
    )
