"""Assemble the draft :class:`Declaration` from the structure, the parties, the facts and the codes.

Who implements a measure sentence (``implemented_by``), by the section it is printed in:

* 区が行う → the ward;
* 委任先に行わせる → the delegate(s) of the sheet;
* 受託事業者に行わせる (委託先に…, 再委託先に…) → the businesses the sheet names, **except** sentences
  about the 委託 itself — choosing the contractor or binding it by contract. Those are done by the
  party that makes the 委託 (the businesses' ``received_from``: the 機構 after a 委任, else the ward),
  and they ``cover`` the businesses. A sentence is about the 委託 itself when all its codes are of the
  ``vendor.`` family (selection, supervision), when it says so (``client_side_phrases``: 委託を行う際 …),
  or when its bullets are contract clauses. This is how the hand-written Shinjuku case reads 3⑴ / 3⑵.

``imposed_by`` is always the ward: the document is the ward's plan. Every sentence is kept; one that
maps to no code becomes a measure with ``codes: []`` and is listed as unmapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safeguard_check.ingest.context import PartyDraft, Sentence, Warnings
from safeguard_check.ingest.facts import Facts, extract_facts
from safeguard_check.ingest.lists import parse_list
from safeguard_check.ingest.mapping import map_codes
from safeguard_check.ingest.parties import PartyBook, SheetParties, principal_id, read_sheet_parties, task_codes
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.plan import (
    PeriodText,
    delegation_basis,
    effective_date,
    legal_basis_citation,
    municipality_of,
    prior_approvals,
    read_date,
    read_info,
    read_media,
    read_period,
    strip_title,
    subjects_count,
)
from safeguard_check.ingest.sections import DocumentText, SheetText
from safeguard_check.ingest.text import compact, join_lines
from safeguard_check.model.declaration import Declaration

_CATEGORY_SLUG = {"operational": "op", "technical": "sys"}
_SECTION_JA = {"principal": "区が行う", "delegate": "委任先に行わせる", "contractor": "受託事業者に行わせる"}
_CATEGORY_JA = {"operational": "運用上の対策", "technical": "システム上の対策"}


class IngestStructureError(ValueError):
    """The document lacks something a declaration cannot do without (municipality, effective date)."""


@dataclass(frozen=True)
class Unmapped:
    """A sentence (or contract clause) for which no code was found; it is kept in the draft."""

    kind: str
    """``measure`` or ``clause``."""
    text: str
    sheet: str
    section: str
    category: str
    item: str

    @property
    def where(self) -> str:
        """「sheet1 区が行う 運用上の対策 3」 for review lists."""
        return (
            f"{self.sheet} {_SECTION_JA.get(self.section, self.section)} "
            f"{_CATEGORY_JA.get(self.category, self.category)} {self.item}"
        )


@dataclass(frozen=True)
class Built:
    """The draft declaration and what a reviewer must look at."""

    declaration: Declaration
    unmapped: tuple[Unmapped, ...]
    warnings: tuple[str, ...]


def _sheet_fields(
    k: int, sheet: SheetText, parties: SheetParties, period: PeriodText, tasks: list[str], w: Warnings
) -> tuple[dict[str, object], list[str]]:
    sid = f"sheet{k}"
    title_block = parse_list(sheet.fields.get("title", []))
    media_names = read_media(sheet.fields["media"]) if "media" in sheet.fields else []
    info = read_info(sheet.fields.get("info", []), w, sid)
    content = parse_list(sheet.fields.get("content", []))
    out: dict[str, object] = {
        "id": sid,
        "title": title_block.intro.text or sheet.marker,
        "kind": parties.kind,
    }
    optional = {
        "heading": join_lines(sheet.heading),
        "changes_note": " ".join(n.text for n in title_block.notes),
        "reason": join_lines(sheet.fields.get("reason", [])),
        "content_intro": content.intro.text,
        "data_scope": info.scope,
        "data_items_note": info.note,
    }
    out.update({key: value for key, value in optional.items() if value})
    out["tasks"] = tasks
    if period.as_dict():
        out["period"] = period.as_dict()
    out["data_items"] = [str(i["id"]) for i in info.items]
    notes = [sheet.marker]
    if sheet.fields.get("department"):
        notes.append(f"{sheet.labels['department']} {join_lines(sheet.fields['department'])}")
    if sheet.fields.get("party"):
        notes.append(f"{sheet.labels['party']} {join_lines(sheet.fields['party'])}")
    notes.extend(n.text for n in content.notes)
    out["notes"] = notes
    for name in sheet.missing:
        w.add(f"{sid}: 欄「{name}」が見つかりません", f"{sid}: field {name} not found")
    for problem in sheet.problems:
        w.add(f"{sid}: {problem}", f"{sid}: {problem}")
    return out, media_names


def _media_ids(names: list[str], registry: dict[str, str]) -> list[str]:
    table = patterns().media
    ids: list[str] = []
    for name in names:
        key = compact(name)
        if key not in registry:
            registry[key] = table.get(key) or f"medium-{len(registry) + 1}"
        ids.append(registry[key])
    return ids


def _measure_id(sheet: str, section: str, category: str, item: str, taken: set[str]) -> str:
    slug = item.replace("※", "note-")
    slug = re.sub(r"[^0-9A-Za-z]+", "-", slug).strip("-") or "x"
    base = f"s{sheet.removeprefix('sheet')}-{section}-{_CATEGORY_SLUG[category]}-{slug}"
    ident, k = base, 2
    while ident in taken:
        ident, k = f"{base}-{k}", k + 1
    taken.add(ident)
    return ident


def _client_side(s: Sentence, codes: tuple[str, ...], facts: Facts) -> bool:
    if s.section != "contractor" or s.client is None:
        return False
    if s.key in facts.contract_sentences:
        return True
    if codes and all(c.startswith("vendor.") for c in codes):
        return True
    text = compact(s.text)
    return any(p in text for p in patterns().client_side_phrases)


def _measures(
    sentences: list[Sentence], facts: Facts, principal: str
) -> tuple[list[dict[str, object]], list[Unmapped]]:
    out: list[dict[str, object]] = []
    unmapped: list[Unmapped] = []
    taken: set[str] = set()
    for s in sentences:
        # Contract clauses are the contract's, not the sentence's: only the lead sentence is mapped.
        body = s.text if s.key in facts.contract_sentences else s.full_text
        codes = map_codes(body, mask=facts.masks.get(s.key, ()))
        covers = list(facts.covers.get(s.key, []))
        implemented = list(s.implementers)
        if _client_side(s, codes, facts) and s.client is not None:
            implemented = [s.client]
            covers.extend(p for p in s.implementers if p not in covers)
        measure: dict[str, object] = {
            "id": _measure_id(s.sheet, s.section, s.category, s.item, taken),
            "codes": list(codes),
            "implemented_by": implemented,
            "imposed_by": principal,
            "category": s.category,
            "text": s.full_text,
        }
        if covers:
            measure["covers"] = covers
        measure["source"] = {"sheet": s.sheet, "section": s.section, "category": s.category, "item": s.item}
        out.append(measure)
        if not codes:
            unmapped.append(Unmapped("measure", s.full_text, s.sheet, s.section, s.category, s.item))
    for key, clause in facts.unmapped_clauses:
        unmapped.append(Unmapped("clause", clause, *key))
    return out, unmapped


def _party_dict(p: PartyDraft) -> dict[str, object]:
    out: dict[str, object] = {"id": p.id, "name": p.name, "role": p.role}
    for key in ("short_name", "received_from", "tasks_note", "legal_basis", "sheet", "department", "note"):
        value = getattr(p, key)
        if value:
            out[key] = value
    if p.tasks:
        out["tasks"] = list(p.tasks)
    if p.since is not None:
        out["since"] = p.since.isoformat()
    return out


def build(doc: DocumentText, document_number: str | None, w: Warnings) -> Built:
    """The draft declaration of ``doc``. Raises :class:`IngestStructureError` without a municipality
    or an effective date, since a declaration cannot be checked without them."""
    ov = doc.overview
    scope = join_lines(ov.get("subjects", []))
    sheets_info = [read_info(s.fields.get("info", []), Warnings(), "") for s in doc.sheets]
    municipality = municipality_of(scope) or next(
        (m for i in sheets_info if i.scope and (m := municipality_of(i.scope))), None
    )
    if municipality is None:
        raise IngestStructureError("municipality not found (対象者 / 個人の範囲: 「…区の住民基本台帳…」)")

    department = join_lines(ov.get("department", [])) or next(
        (join_lines(s.fields["department"]) for s in doc.sheets if s.fields.get("department")), None
    )
    principal = PartyDraft(id=principal_id(municipality), name=municipality, role="principal")
    if department:
        principal.department = department
    book = PartyBook(principal)
    if principal.id == "principal":
        w.add(
            f"団体「{municipality}」の ASCII id が表にないため principal としました",
            f"no ASCII id known for 「{municipality}」; the ward is `principal`",
        )

    sheet_dicts: list[dict[str, object]] = []
    media_registry: dict[str, str] = {}
    media_names: dict[str, str] = {}
    sentences: list[Sentence] = []
    periods: list[PeriodText] = []
    for k, sheet in enumerate(doc.sheets, start=1):
        sid = f"sheet{k}"
        task_block = parse_list(sheet.fields.get("content", []))
        tasks = task_codes([i.text for i in task_block.items], w, sid)
        parties = read_sheet_parties(book, sheet, sid, tasks, w)
        period = read_period(sheet.fields.get("period", []), w, sid)
        periods.append(period)
        if parties.kind == "delegation":
            reason = join_lines(sheet.fields.get("reason", []))
            for pid in parties.implementers.get("delegate", ()):
                party = next(p for p in book.parties if p.id == pid)
                party.legal_basis = party.legal_basis or delegation_basis(reason)
                party.since = party.since or period.since
        fields, names = _sheet_fields(k, sheet, parties, period, tasks, w)
        media_ids = _media_ids(names, media_registry)
        for name, mid in zip(names, media_ids, strict=True):
            media_names.setdefault(mid, name)
        fields["media"] = media_ids
        sheet_dicts.append(fields)
        for printed_measure in sheet.measures:
            implementers = parties.implementers.get(printed_measure.section, ())
            if not implementers:
                w.add(
                    f"{sid} {printed_measure.section}: この欄の当事者が不明なため区の対策として記録しました",
                    f"{sid} {printed_measure.section}: no party known for this section; filed under the ward",
                )
                implementers = (principal.id,)
            client = parties.client if printed_measure.section == "contractor" else None
            counterparts = parties.implementers.get("contractor") or parties.implementers.get("delegate", ())
            sentences.append(
                Sentence(
                    sid,
                    printed_measure.section,
                    printed_measure.category,
                    printed_measure.item,
                    printed_measure.text,
                    printed_measure.bullets,
                    implementers,
                    client,
                    counterparts,
                )
            )
    if not doc.sheets:
        w.add("別紙が見つかりません", "no 別紙 (attachment form) found")

    facts = extract_facts(book.parties, sentences, w)
    measures, unmapped = _measures(sentences, facts, principal.id)
    data_items: dict[str, dict[str, object]] = {}
    for info in sheets_info:
        for item in info.items:
            data_items.setdefault(str(item["id"]), item)

    content = ov.get("content", [])
    printed = effective_date(content)
    effective = read_date(printed, w, "事業内容") if printed else None
    if effective is None:
        effective = next((p.start for p in periods if p.start is not None), None)
        if effective is not None:
            w.add(
                "変更日の記載がないため、期間の開始日を変更日としました",
                "no 変更日 found; the start of the first period is used as the effective date",
            )
    if effective is None:
        raise IngestStructureError("effective date not found (事業内容「変更日」 or 開始時期)")

    plan = _plan(doc, municipality, department, effective.isoformat(), periods, document_number, sheet_dicts, w)
    tree: dict[str, object] = {
        "schema_version": 1,
        "plan": plan,
        "sheets": sheet_dicts,
        "data_items": list(data_items.values()),
        "media": [
            {"id": mid, "name": name, "kind": "paper" if "紙" in name else "electronic"}
            for mid, name in media_names.items()
        ],
        "parties": [_party_dict(p) for p in book.parties],
        "transfers": facts.transfers,
        "terminals": facts.terminals,
        "measures": measures,
        "contracts": facts.contracts,
    }
    return Built(Declaration.model_validate(tree), tuple(unmapped), tuple(w.items))


def _plan(
    doc: DocumentText,
    municipality: str,
    department: str | None,
    effective: str,
    periods: list[PeriodText],
    document_number: str | None,
    sheets: list[dict[str, object]],
    w: Warnings,
) -> dict[str, object]:
    ov = doc.overview
    cover_basis = doc.cover.get("basis", [])
    basis_text = compact(join_lines(cover_basis))
    headings = " ".join(str(s.get("heading", "")) for s in sheets)
    if "【諮問】" in basis_text or "諮問事項" in headings:
        report_type = "consultation"
    elif "【報告】" in basis_text or "報告事項" in headings:
        report_type = "report"
    else:
        report_type = "report"
        w.add("報告・諮問の別が見つからないため報告としました", "report/consultation not stated; report assumed")
    title = join_lines(doc.cover.get("title", [])) or (str(sheets[0]["title"]) if sheets else "")
    if not title:
        raise IngestStructureError("title (件名) not found")
    plan: dict[str, object] = {
        "title": title,
        "municipality": municipality,
        "department": department or municipality,
        "report_type": report_type,
        "effective_date": effective,
    }
    if not department:
        w.add("担当課が見つかりません", "department (担当課/保有課) not found")
    citation = legal_basis_citation(cover_basis)
    if citation:
        plan["legal_basis"] = {"kind": "ordinance", "citation": citation}
    first_period = next((p for p in periods if p.as_dict()), None)
    if first_period is not None:
        plan["period"] = first_period.as_dict()
    scope = join_lines(ov.get("subjects", []))
    content = ov.get("content", [])
    count, as_of = subjects_count(content)
    if scope:
        subjects: dict[str, object] = {"scope": scope}
        if count is not None:
            subjects["count"] = count
        if as_of:
            d = read_date(as_of, w, "対象者数")
            if d:
                subjects["as_of"] = d.isoformat()
        plan["subjects"] = subjects
    registered: list[str] = []
    for sheet in doc.sheets:
        block = parse_list(sheet.fields.get("registered", []))
        for b in [*block.intro.bullets, *block.items]:
            if b.text and b.text not in registered:
                registered.append(b.text)
    if registered:
        plan["registered_processing"] = registered
    purpose = join_lines(ov.get("purpose", []))
    if purpose:
        plan["purpose"] = purpose
    block = parse_list(content)
    notes: list[str] = []
    if ov.get("project"):
        notes.append(f"事業名:{join_lines(ov['project'])}")
    m = re.search(r"\(担当部課:([^)]*)\)", join_lines(cover_basis))
    if m:
        notes.append(f"担当部課:{m.group(1)}")
    for unit in block.items:
        summary = strip_title(unit, "概要")
        if summary is not None:
            plan["summary"] = summary
            continue
        if any(strip_title(unit, t) is not None for t in ("変更日", "実施日", "対象者数")):
            continue
        notes.append(unit.text)
        notes.extend(f"({sub.number}){sub.text}" for sub in unit.subs)
    notes.extend(n.text for n in block.notes)
    approvals = prior_approvals(join_lines(content) + " " + " ".join(str(s.get("changes_note", "")) for s in sheets))
    if approvals:
        plan["prior_approvals"] = approvals
    if document_number:
        plan["document"] = document_number
    if notes:
        plan["notes"] = notes
    return plan
