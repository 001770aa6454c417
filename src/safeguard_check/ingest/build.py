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
from safeguard_check.ingest.forms import affects, forms
from safeguard_check.ingest.lists import parse_list
from safeguard_check.ingest.mapping import read_codes, refers_to
from safeguard_check.ingest.parties import (
    PartyBook,
    SheetParties,
    add_party,
    principal_id,
    read_sheet_parties,
    tagged_lines,
    task_codes,
    tree_lines,
)
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.plan import (
    PeriodText,
    any_date,
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
from safeguard_check.ingest.prose import handed_work, handovers, municipality_in, received_by
from safeguard_check.ingest.sections import DocumentText, SheetText
from safeguard_check.ingest.text import compact, join_lines, line_number
from safeguard_check.ingest.text import sentences as text_sentences
from safeguard_check.model.declaration import Declaration
from safeguard_check.model.reading import PLACEHOLDER_EFFECTIVE_DATE, MissingField

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
    actor: str = "区"
    """How the document names the principal in 「…が行う」 (区, 市, 広域連合 …)."""

    @property
    def where(self) -> str:
        """「sheet1 区が行う 運用上の対策 3」 for review lists (「市が行う」 in a city's document)."""
        section = f"{self.actor}が行う" if self.section == "principal" else _SECTION_JA.get(self.section, self.section)
        return f"{self.sheet} {section} {_CATEGORY_JA.get(self.category, self.category)} {self.item}"


@dataclass(frozen=True)
class Built:
    """The draft declaration and what a reviewer must look at."""

    declaration: Declaration
    unmapped: tuple[Unmapped, ...]
    warnings: tuple[str, ...]
    missing: tuple[MissingField, ...] = ()
    """Form fields the document lacks; a placeholder stands in the draft where the model needs a value."""


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


def _about_vendors(codes: tuple[str, ...]) -> bool:
    # Choosing or supervising the 委託先 (stated, or stated as not done) and nothing else.
    return bool(codes) and all(c.startswith("vendor.") for c in codes)


def _measures(
    sentences: list[Sentence],
    facts: Facts,
    principal: str,
    actor: str = "区",
    upstream: dict[str, str | None] | None = None,
) -> tuple[list[dict[str, object]], list[Unmapped]]:
    out: list[dict[str, object]] = []
    unmapped: list[Unmapped] = []
    taken: set[str] = set()
    for s in sentences:
        # Contract clauses are the contract's, not the sentence's: only the lead sentence is mapped.
        body = s.text if s.key in facts.contract_sentences else s.full_text
        reading = read_codes(body, mask=facts.masks.get(s.key, ()))
        codes = reading.codes
        covers = list(facts.covers.get(s.key, []))
        implemented = list(s.implementers)
        if _client_side(s, codes, facts) and s.client is not None:
            implemented = [s.client]
            covers.extend(p for p in s.implementers if p not in covers)
        elif _about_vendors((*codes, *reading.not_done)) and upstream:
            # 「委託先の選定にあたっては…認証を確認する」 among the ward's own measures: choosing and
            # supervising the 委託先 is about the parties it hands the work to directly (not their
            # 再委託先, whom the contractor chooses).
            covers.extend(p for p in s.counterparts if upstream.get(p) in implemented and p not in covers)
        measure: dict[str, object] = {
            "id": _measure_id(s.sheet, s.section, s.category, s.item, taken),
            "codes": list(codes),
            "implemented_by": implemented,
            "imposed_by": principal,
            "category": s.category,
            "text": s.full_text,
        }
        if reading.not_done:
            measure["not_done"] = list(reading.not_done)
        refers = refers_to(s.text)
        if refers:
            measure["refers_to"] = refers
        if covers:
            measure["covers"] = covers
        measure["source"] = {"sheet": s.sheet, "section": s.section, "category": s.category, "item": s.item}
        out.append(measure)
        if not codes and not reading.not_done:
            unmapped.append(Unmapped("measure", s.full_text, s.sheet, s.section, s.category, s.item, actor))
    for key, clause in facts.unmapped_clauses:
        unmapped.append(Unmapped("clause", clause, *key, actor=actor))
    return out, unmapped


def _party_dict(p: PartyDraft, permission: dict[str, object] | None = None) -> dict[str, object]:
    out: dict[str, object] = {"id": p.id, "name": p.name, "role": p.role}
    for key in ("short_name", "received_from", "tasks_note", "legal_basis", "sheet", "department", "note"):
        value = getattr(p, key)
        if value:
            out[key] = value
    if p.tasks:
        out["tasks"] = list(p.tasks)
    if p.since is not None:
        out["since"] = p.since.isoformat()
    if permission is not None:
        out["permission"] = permission
    return out


def build(doc: DocumentText, document_number: str | None, w: Warnings) -> Built:
    """The draft declaration of ``doc``. A field the document lacks is a warning and a
    :class:`MissingField`; where the declaration model needs a value, a placeholder marked as such
    stands in (the draft's comments say so)."""
    ov = doc.overview
    missing: list[MissingField] = []
    scope = join_lines(ov.get("subjects", []))
    sheets_info = [read_info(s.fields.get("info", []), Warnings(), "") for s in doc.sheets]
    municipality = (
        municipality_of(scope)
        or next((m for i in sheets_info if i.scope and (m := municipality_of(i.scope))), None)
        or municipality_in("\n".join(doc.lines))
    )
    received = received_by(join_lines(doc.lines)) if all(s.prose for s in doc.sheets) else None
    if municipality is None and received is not None:
        municipality = received[0]  # 「市町村長(…)から委任を受けて」: the author is the delegate
    if municipality is None and all(s.prose and not s.measures for s in doc.sheets):
        # Neither the form nor a body, nor a measure sentence: this is not a delegation plan.
        raise IngestStructureError("no 別紙 form, no municipality and no measure sentence: not a delegation plan")
    if municipality is None:
        municipality = PLACEHOLDER_MUNICIPALITY
        missing.append(_missing("plan.municipality", "団体名", _first_line(doc)))
        w.add("団体名が見つからないため仮の名前を置きました", "municipality not found; a placeholder stands in")

    department = join_lines(ov.get("department", [])) or next(
        (join_lines(s.fields["department"]) for s in doc.sheets if s.fields.get("department")), None
    )
    if not department:
        missing.append(
            MissingField(
                "plan.department",
                "保有課",
                doc.sheets[0].line if doc.sheets else _first_line(doc),
                affects("plan.department"),
            )
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
        if not task_block.items and task_block.intro.lines:
            # 「委任の内容 個人番号カードの作成及び発行に関する事務」: one unnumbered task on the label's line.
            tasks = task_codes(re.split(r"[、,]", str(task_block.intro.lines[0])), Warnings(), sid)
        parties = SheetParties(kind="outsourcing") if sheet.prose else read_sheet_parties(book, sheet, sid, tasks, w)
        if sheet.prose:
            parties = _prose_parties(book, doc, sid, w, received)
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

    if len(book.parties) == 1:
        # Nobody the work is handed to: the chain's rules have nothing to judge.
        where = next((line_number(x) for sh in doc.sheets for x in sh.fields.get("party", [])[:1]), None)
        missing.append(_missing("parties", "委託先・委任先", where or _first_line(doc)))
    measured = {compact(s.text) for s in sentences}
    context = tuple(t for t, _ in text_sentences(doc.lines) if compact(t) not in measured)
    facts = extract_facts(book.parties, sentences, w, context)
    upstream = {p.id: p.received_from for p in book.parties}
    measures, unmapped = _measures(sentences, facts, principal.id, actor(municipality), upstream)
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
        effective = any_date(join_lines(doc.lines))
        if effective is not None:
            w.add(
                f"変更日・期間の記載がないため、文書中の日付 {effective.isoformat()} を適用日としました",
                f"no 変更日 or period; the date {effective.isoformat()} written in the document is used",
            )
    if effective is None:
        effective = PLACEHOLDER_DATE
        w.add(
            f"適用日が読み取れないため仮に {effective.isoformat()} としました",
            f"no date found; {effective.isoformat()} stands in as the effective date",
        )
    if printed is None:
        missing.append(_missing("plan.effective_date", "変更日", _first_line(doc)))

    plan = _plan(
        doc, municipality, department, effective.isoformat(), periods, document_number, sheet_dicts, w, missing
    )
    tree: dict[str, object] = {
        "schema_version": 1,
        "plan": plan,
        "sheets": sheet_dicts,
        "data_items": list(data_items.values()),
        "media": [
            {"id": mid, "name": name, "kind": "paper" if "紙" in name else "electronic"}
            for mid, name in media_names.items()
        ],
        "parties": [_party_dict(p, facts.permissions.get(p.id)) for p in book.parties],
        "transfers": facts.transfers,
        "terminals": facts.terminals,
        "measures": measures,
        "contracts": facts.contracts,
    }
    return Built(Declaration.model_validate(tree), tuple(unmapped), tuple(w.items), tuple(missing))


PLACEHOLDER_MUNICIPALITY = "（団体名不明）"
"""Stands in for a municipality the document does not name (listed in ``missing``)."""
PLACEHOLDER_DATE = PLACEHOLDER_EFFECTIVE_DATE
"""Stands in for an effective date the document does not give (listed in ``missing``): a fixed date,
so the same document always gives the same draft."""


def _missing(field: str, label: str, line: int | None) -> MissingField:
    return MissingField(field, label, line, affects(field))


def actor(municipality: str) -> str:
    """How a form names the principal in 「…が行う」: 新宿区 → 区, 八王子市 → 市, …広域連合 → 広域連合."""
    for suffix in forms().prose.unions:
        if municipality.endswith(suffix):
            return suffix
    return municipality[-1] if municipality[-1:] in "都道府県市区町村" else "団体"


def _first_line(doc: DocumentText) -> int | None:
    return next((n for line in doc.lines if (n := line_number(line)) is not None), None)


def _prose_parties(
    book: PartyBook, doc: DocumentText, sid: str, w: Warnings, received: tuple[str, str, str | None] | None
) -> SheetParties:
    # A document without the form names its parties in running text: 「…を機構に委託する」.
    tree = tree_lines(doc.lines) or tagged_lines(doc.lines)
    if tree:
        # 「└委託 A社」「└再委託 B社」 (a drawn chain) or 「株式会社A（受託者）」「B株式会社（再委託先）」 (a list
        # tagging each name with its role): read as the form's party field.
        sheet = SheetText(marker="本文", heading=[], fields={"party": tree}, labels={"party": ""})
        drawn = read_sheet_parties(book, sheet, sid, [], Warnings())
        if len(book.parties) > 1:
            # The delegate the text names in prose (「…事務は機構に行わせている」) is not drawn with the chain.
            for name, role, short in handovers(join_lines(doc.lines)):
                if role == "delegate" and book.by_name(name) is None:
                    party = add_party(book, name, short, [], role, book.principal.id, sid)
                    party.tasks = task_codes([handed_work(join_lines(doc.lines), name)], Warnings(), sid)
                    drawn.implementers["delegate"] = (*drawn.implementers.get("delegate", ()), party.id)
            return drawn
    out = SheetParties(kind="outsourcing")
    principal = book.principal.id
    out.implementers["principal"] = (principal,)
    found = handovers(join_lines(doc.lines))
    if not found and received is not None and received[0] == book.principal.name:
        found = [(received[1], "delegate", received[2])]
    members = [add_party(book, name, short, [], role, principal, sid) for name, role, short in found]
    for m in members:
        if m.role == "delegate" and not m.tasks:
            # 「カードの作成等に関する事務を機構に委任」: the work named before the handover is its task.
            m.tasks = task_codes([handed_work(join_lines(doc.lines), m.name)], Warnings(), sid)
    if not members:
        w.add("本文から委託先・委任先を読み取れません", "no delegate or contractor found in the text")
    delegates = tuple(m.id for m in members if m.role == "delegate")
    contractors = tuple(m.id for m in members if m.role == "contractor")
    if delegates:
        out.implementers["delegate"] = delegates
        out.kind = "delegation" if not contractors else "outsourcing"
    if contractors:
        out.implementers["contractor"] = contractors
    out.client = principal
    return out


def _title_from_text(doc: DocumentText) -> str:
    # The document's first line stands in for a 件名 it does not print (up to 60 characters).
    first = join_lines(doc.lines[:1])
    return first[:60]


def _report_type(doc: DocumentText, sheets: list[dict[str, object]]) -> str | None:
    # The cover's 条例の根拠, then the form headings, then the document's first lines (forms.yaml).
    places = [
        compact(join_lines(doc.cover.get("basis", []))),
        compact(" ".join(str(s.get("heading", "")) for s in sheets)),
        compact(join_lines(doc.lines[:5])),
    ]
    for place in places:
        for kind, words in forms().report_types.items():
            if any(compact(word) in place for word in words):
                return kind
    return None


def _plan(
    doc: DocumentText,
    municipality: str,
    department: str | None,
    effective: str,
    periods: list[PeriodText],
    document_number: str | None,
    sheets: list[dict[str, object]],
    w: Warnings,
    missing: list[MissingField],
) -> dict[str, object]:
    ov = doc.overview
    cover_basis = doc.cover.get("basis", [])
    report_type = _report_type(doc, sheets)
    if report_type is None:
        report_type = "report"
        missing.append(_missing("plan.report_type", "報告・諮問の別", _first_line(doc)))
        w.add("報告・諮問の別が見つからないため報告としました", "report/consultation not stated; report assumed")
    title = join_lines(doc.cover.get("title", [])) or (str(sheets[0]["title"]) if sheets else "")
    if not title:
        title = _title_from_text(doc)
        missing.append(_missing("plan.title", "件名", _first_line(doc)))
    plan: dict[str, object] = {
        "title": title,
        "municipality": municipality,
        "department": department or municipality,
        "report_type": report_type,
        "effective_date": effective,
    }
    if not department:
        w.add("担当課が見つかりません", "department (担当課/保有課) not found")
    if not title:
        title = PLACEHOLDER_MUNICIPALITY
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
    m = re.search(r"\(担当部課:([^)]{0,60})\)", join_lines(cover_basis))
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
