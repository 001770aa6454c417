"""Read the parties of the delegation chain from the 委任先 / 委託先 fields of the 別紙.

* A 委任 sheet (label 委任先) names the delegate: role ``delegate``, received from the ward.
* A 委託 sheet (label 委託先) names either the businesses the ward contracts (role ``contractor``,
  received from the ward) or, under 【委任先】 and 【委任先が委託する事業者】, the delegate and the list
  of businesses *it* contracts: one party per business, role ``contractor``, received from the delegate.
* A 再委託 sheet (label 再委託先) names subcontractors under 【委託先】 / 【再委託先】.

Ids are ASCII and deterministic: the ward from the municipality table, known organisations from the
organisation table (both in ``patterns.yaml``), others by role and position (``contractor-3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest.context import PartyDraft, Warnings
from safeguard_check.ingest.labels import Region
from safeguard_check.ingest.lists import parse_list
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.sections import SectionName, SheetText
from safeguard_check.ingest.text import compact, join_lines

_NAMED = re.compile(r"(?P<name>.+?)\(以下「(?P<short>[^」]+)」という。?\)")
_SUB_DELEGATE = r"【委任先】"
_SUB_CONTRACTOR = r"【(?:委任先が委託する事業者|委託先|受託事業者)】"
_SUB_SUBCONTRACTOR = r"【再委託先】"


@dataclass
class SheetParties:
    """The parties one 別紙 is about, and who each of its measure sections speaks of."""

    kind: str
    """``delegation`` / ``outsourcing`` / ``subcontracting``."""
    implementers: dict[SectionName, tuple[str, ...]] = field(default_factory=dict)
    client: str | None = None
    """The party that hands the work to this sheet's outermost parties."""


class PartyBook:
    """All parties found so far, with id allocation and lookup by name."""

    def __init__(self, principal: PartyDraft) -> None:
        self.parties: list[PartyDraft] = [principal]
        self.principal = principal

    def by_name(self, name: str) -> PartyDraft | None:
        """The party whose name or short name equals ``name`` (compared compactly)."""
        key = compact(name)
        for party in self.parties:
            if any(compact(a) == key for a in party.aliases()):
                return party
        return None

    def new_id(self, name: str, role: str) -> str:
        """A fresh ASCII id: the organisation table's, else ``{role}-{n}``; suffixed if taken."""
        key = compact(name)
        base = next((o.id for o in patterns().organisations if o.match in key), None)
        taken = {p.id for p in self.parties}
        if base is None:
            n = 1 + sum(1 for p in self.parties if p.role == role)
            base = role if role == "delegate" and "delegate" not in taken else f"{role}-{n}"
        ident, k = base, 2
        while ident in taken:
            ident, k = f"{base}-{k}", k + 1
        return ident

    def add(self, party: PartyDraft) -> PartyDraft:
        """Add ``party`` (its id already allocated)."""
        self.parties.append(party)
        return party


def principal_id(municipality: str) -> str:
    """The ward's party id: the municipality table's romanisation, else ``principal``."""
    return patterns().municipalities.get(compact(municipality), "principal")


def split_name(text: str) -> tuple[str, str | None]:
    """「地方公共団体情報システム機構（以下「機構」という。）」 → (name, short name)."""
    m = _NAMED.search(text)
    if m:
        return m.group("name").strip(), m.group("short").strip()
    return text.strip(), None


def names_of(lines: list[str]) -> tuple[list[str], list[str]]:
    """The names in a list field (「A、B、C」 or one per bullet) and its ※ notes."""
    block = parse_list(lines)
    names: list[str] = []
    pieces = [block.intro.text, *(b.text for b in block.intro.bullets), *(i.text for i in block.items)]
    for piece in pieces:
        names.extend(n.strip() for n in re.split(r"[、,]", piece) if n.strip())
    return names, [n.text for n in block.notes]


def task_codes(labels: list[str], warnings: Warnings, where: str) -> list[str]:
    """Task codes for the printed task names (委任の内容 / 委託の内容), through the vocabulary's ja labels."""
    tasks = vocabulary().tasks
    by_label = {compact(e.ja): code for code, e in tasks.items()}
    out: list[str] = []
    for label in labels:
        key = compact(label)
        code = by_label.get(key) or next((c for lab, c in by_label.items() if lab in key or key in lab), None)
        if code is None:
            warnings.add(
                f"{where}: 業務「{label}」に対応する業務コードがありません",
                f"{where}: no task code for 「{label}」",
            )
        elif code not in out:
            out.append(code)
    return out


def _add_named(book: PartyBook, text: str, role: str, upstream: str, sheet: str) -> PartyDraft:
    name, short = split_name(text)
    existing = book.by_name(name)
    if existing is not None:
        return existing
    return book.add(
        PartyDraft(
            id=book.new_id(name, role), name=name, short_name=short, role=role, received_from=upstream, sheet=sheet
        )
    )


def read_sheet_parties(
    book: PartyBook, sheet: SheetText, sheet_id: str, tasks: list[str], warnings: Warnings
) -> SheetParties:
    """Add the parties named in ``sheet`` to ``book`` and say whom its sections speak of."""
    label = sheet.labels.get("party", "")
    lines = sheet.fields.get("party", [])
    principal = book.principal.id
    kind = {"委任先": "delegation", "再委託先": "subcontracting"}.get(label, "outsourcing")
    out = SheetParties(kind=kind)
    out.implementers["principal"] = (principal,)
    if not lines:
        warnings.add(f"{sheet_id}: 委任先・委託先が見つかりません", f"{sheet_id}: no 委任先/委託先 field")
        return out
    region = Region(lines)
    subs = {
        name: hit
        for name, pattern in (
            ("delegate", _SUB_DELEGATE),
            ("contractor", _SUB_CONTRACTOR),
            ("subcontractor", _SUB_SUBCONTRACTOR),
        )
        if (hit := region.search(name, pattern)) is not None
    }
    ordered = sorted(subs.values(), key=lambda h: h.start)

    def part(name: str) -> list[str]:
        hit = subs[name]
        later = [h.start for h in ordered if h.start > hit.start]
        return region.lines_between(hit.end, later[0] if later else None)

    if kind == "delegation":
        # The ※ notes stay in the sheet's notes with the whole field (build.py).
        names, _notes = names_of(lines)
        delegates = [_add_named(book, n, "delegate", principal, sheet_id) for n in names[:1]]
        for d in delegates:
            d.tasks = d.tasks or list(tasks)
        out.implementers["delegate"] = tuple(d.id for d in delegates)
        out.client = principal
        return out

    upstream = principal
    if "delegate" in subs:
        delegate = _add_named(book, join_lines(part("delegate")), "delegate", principal, sheet_id)
        upstream = delegate.id
    role = "contractor"
    if kind == "subcontracting":
        role = "subcontractor"
        if "contractor" in subs:
            upstream = _add_named(book, join_lines(part("contractor")), "contractor", upstream, sheet_id).id
        body = part("subcontractor") if "subcontractor" in subs else lines
    else:
        body = part("contractor") if "contractor" in subs else ([] if "delegate" in subs else lines)
    names, _notes = names_of(body)
    members = [_add_named(book, n, role, upstream, sheet_id) for n in names]
    for m in members:
        m.tasks = m.tasks or list(tasks)
        if len(members) > 1:
            m.tasks_note = (
                "「委託の内容」は事業者全体について列挙されており、事業者ごとの業務は記載されていない。"
                " The tasks are listed for the group; the document does not say which business does which."
            )
    if not members:
        warnings.add(f"{sheet_id}: 委託先の事業者が見つかりません", f"{sheet_id}: no contractor named")
    out.implementers["contractor"] = tuple(m.id for m in members)
    out.client = upstream
    return out
