"""Read the parties of the delegation chain from the 委任先 / 委託先 field of a form.

The field is split into *levels* at its party-line labels (``forms.yaml`` ``party_lines``: 【委任先】,
委託先, 再委託先, 再々委託先 …; the field's own label opens the first level). Each level's parties
receive the work from the last party of the nearest level above of a lower rank, or from the
principal: 「委託先 A」「再委託先 B（コールセンター業務）」「再々委託先 C」 is the chain principal → A → B → C,
and 【委任先】 機構 / 【委任先が委託する事業者】 X、Y is principal → 機構 → X, Y. Names are split at 「、」
outside brackets only; a trailing 「（業務）」 becomes the party's note, 「（再委託あり）」 is noted as such,
and a fragment (unbalanced brackets, a clause of a sentence, a checkbox) is never a party. A level
written as a sentence (「A社は、…をC社(以下「C社」という。)に再委託する」) names C, received from A.

Ids are ASCII and deterministic: the ward from the municipality table, known organisations from the
organisation table (both in ``patterns.yaml``), others by role and position (``contractor-3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest.context import PartyDraft, Warnings
from safeguard_check.ingest.forms import PartyLine, forms
from safeguard_check.ingest.labels import Region
from safeguard_check.ingest.lists import parse_list
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.prose import named_before
from safeguard_check.ingest.sections import SectionName, SheetText
from safeguard_check.ingest.text import compact, join_lines, numbered

_DEFINITION_OPEN = "(以下「"
_DEFINITION_CLOSES = ("」という。)", "」という)")


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
    # Plain string search, not a regex: 「(?P<name>.+?)\(以下「(?P<short>[^」]+)」という」 backtracked
    # cubically on a long line of repeated 「(以下「」 (#15 item 8). The first definition whose quote
    # closes with 「」という)」 wins, as the lazy regex did.
    at = text.find(_DEFINITION_OPEN, 1)
    while at > 0:
        start = at + len(_DEFINITION_OPEN)
        close = text.find("」", start)
        if close < 0:
            break
        if close > start and text.startswith(_DEFINITION_CLOSES, close):
            return text[:at].strip(), text[start:close].strip()
        at = text.find(_DEFINITION_OPEN, at + 1)
    return text.strip(), None


def task_codes(labels: list[str], warnings: Warnings, where: str) -> list[str]:
    """Task codes for the printed task names (委任の内容 / 委託の内容), through the vocabulary's ja labels."""
    tasks = vocabulary().tasks
    by_label = {compact(e.ja): code for code, e in tasks.items()}
    phrases = [(compact(p), code) for code, words in patterns().task_phrases.items() for p in words]
    out: list[str] = []
    for label in labels:
        key = compact(label)
        code = by_label.get(key) or next((c for lab, c in by_label.items() if lab in key or key in lab), None)
        # 「個人番号カードの作成及び発行に関する事務」: the task as councils word it (patterns.yaml task_phrases);
        # one printed task may name several (「個人番号通知書の作成・送付、交付申請書の受付」 is split before).
        found = [c for p, c in phrases if p in key]
        for extra in found[1:]:
            if extra not in out:
                out.append(extra)
        code = code or (found[0] if found else None)
        if code is None:
            warnings.add(
                f"{where}: 業務「{label}」に対応する業務コードがありません",
                f"{where}: no task code for 「{label}」",
            )
        elif code not in out:
            out.append(code)
    return out


@dataclass
class _Segment:
    """One level of the chain as printed: the party-line label and the lines after it."""

    line: PartyLine
    lines: list[str] = field(default_factory=list)
    members: list[PartyDraft] = field(default_factory=list)


def _line_for(label: str) -> PartyLine | None:
    key = compact(label)
    for text, line in forms().party_line_labels():
        if key == text or key.startswith(text):
            return line
    return None


def _particle_follows(region: Region, end: int) -> bool:
    # 「再委託の許諾方法」「委託先は、」: the label's words open a row or a sentence, not a party line.
    rest = region.text[end:].lstrip()
    return bool(rest) and "\u3041" <= rest[0] <= "\u309f"


_COMPOUND = ("及び", "並びに", "・")
_COMPOUND_REACH = 15


def _compound_end(region: Region, end: int) -> int:
    # 「委任先及び委任の内容」「再委託先及び再委託の内容」: a heading or a table header naming the party
    # with what it does. The label runs to the end of the compound (its 「内容」); what follows is the value.
    rest = region.text[end : end + _COMPOUND_REACH + 2]
    if not rest.startswith(_COMPOUND):
        return end
    at = rest.find("内容")
    return end + at + 2 if at >= 0 else end


def party_segments(label: str, lines: list[str]) -> list[_Segment]:
    """Split the 委任先/委託先 field into levels of the chain at its party-line labels (forms.yaml).

    The field's own label opens the first level. A label in 【】 opens a level wherever it stands;
    a bare label (再委託先, 再々委託先 …) only where a line starts, so a name that merely contains
    「委託先」 is not cut. Labels are matched on compact text: a label broken over lines is found.
    """
    table = forms().party_line_labels()
    by_label = dict(table)
    region = Region(lines)
    pattern = "|".join(re.escape(text) for text, _ in table)
    hits = [
        h
        for h in region.find_all("party", pattern)
        if h.matched.startswith("【") or (region.starts_line(h.start) and not _particle_follows(region, h.end))
        if h.matched not in by_label[h.matched].spaced_labels or region.text[h.end : h.end + 1].isspace()
    ]
    first = _line_for(label) or forms().party_lines[0]
    lead = len(region.text) - len(region.text.lstrip())
    opening = _compound_end(region, lead)  # the field's own label may be a compound too
    begin = opening if opening > lead else 0
    segments = [_Segment(first, region.lines_between(begin, hits[0].start if hits else None))]
    for index, hit in enumerate(hits):
        stop = hits[index + 1].start if index + 1 < len(hits) else None
        segments.append(_Segment(by_label[hit.matched], region.lines_between(_compound_end(region, hit.end), stop)))
    return segments


def _split_outside_brackets(text: str) -> list[str]:
    # 「A（入力、集計）、B」 → [A（入力、集計）, B]: a comma inside () or 「」 separates nothing.
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "(「『[":
            depth += 1
        elif ch in ")」』]" and depth > 0:
            depth -= 1
        if ch in "、," and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [piece.strip() for piece in out if piece.strip()]


def _trailing_parentheses(name: str) -> tuple[str, list[str]]:
    # 「株式会社B(コールセンター業務)(再委託あり)」 → (株式会社B, [コールセンター業務, 再委託あり]).
    notes: list[str] = []
    while name.endswith(")"):
        depth = 0
        for i in range(len(name) - 1, -1, -1):
            if name[i] == ")":
                depth += 1
            elif name[i] == "(":
                depth -= 1
                if depth == 0:
                    break
        else:
            return name, notes  # unbalanced: left to the fragment check
        if i == 0:
            break
        notes.insert(0, name[i + 1 : -1].strip())
        name = name[:i].rstrip()
    return name, notes


def is_party_name(name: str) -> bool:
    """False for a fragment: unbalanced brackets, a leading closing bracket or punctuation, too short."""
    key = compact(name)
    if len(key) < 2 or key[0] in ")]」』】、。,.・" or key.endswith(("、", "(", "【")):
        return False
    if any(ch in key for ch in "〔〕[]"):
        return False  # an item number or a PIA checkbox, not a name
    if key in {compact(w) for w in forms().not_names}:
        return False  # 「再委託 なし」: the answer of a row, not a name
    if "。" in key or key.endswith(_NOT_NAME_ENDINGS):
        return False  # a clause of a sentence (「…の選定に当たっては」), not a name
    return key.count("(") == key.count(")") and key.count("「") == key.count("」")


_NOT_NAME_ENDINGS = ("は", "を", "が", "に", "て", "で", "し", "る", "た", "と", "ば", "こと", "ため")


def segment_names(lines: list[str], warnings: Warnings, where: str) -> list[tuple[str, str | None, list[str]]]:
    """(name, short name, parenthesised notes) of each party a level names; fragments are refused."""
    # A line that closes a parenthesis (「株式会社A（印刷業務）」) ends a name even without 「、」: forms
    # list one business per line that way. Other line ends may fall inside a long name.
    lines = [line + "、" if line.rstrip().endswith(")") else line for line in lines]
    block = parse_list(lines)
    pieces = [block.intro.text, *(b.text for b in block.intro.bullets), *(i.text for i in block.items)]
    out: list[tuple[str, str | None, list[str]]] = []
    for piece in pieces:
        for written in _split_outside_brackets(piece):
            name, short = split_name(written)
            name, notes = _trailing_parentheses(name)
            if not is_party_name(name):
                warnings.add(
                    f"{where}: 「{written}」は当事者名として読めないため当事者にしていません",
                    f"{where}: 「{written}」 does not read as a party name; no party made of it",
                )
                continue
            out.append((name, short, notes))
    return out


_NEXT_HEADING = re.compile(r"\d{1,2}(?:\.|\s)\s*\S")


_TREE_GLYPHS = "└├┗┣┖┠|│┃─━-→⇒ 　"


def tree_lines(lines: list[str] | tuple[str, ...]) -> list[str]:
    """The lines of a chain drawn as a tree (「└委託 A社」「　└再委託 B社」), glyphs removed, from the
    first one that names a level (a party-line label after the glyph); empty when there is none."""
    labels = [text for text, _ in forms().party_line_labels()]
    out: list[str] = []
    for line in lines:
        text = str(line)
        bare = text.lstrip(_TREE_GLYPHS)
        if bare == text.lstrip() or not any(compact(bare).startswith(label) for label in labels):
            continue  # not drawn: a glyph must open the line and a party-line label follow it
        out.append(numbered(bare, line))
    return out


_ITEM_MARK = re.compile(r"\s*(?:\(\d{1,2}\)|〔\d{1,2}〕|\d{1,2}[.\s])\s*")
_TAG_MAX = 60


def tagged_lines(lines: list[str] | tuple[str, ...]) -> list[str]:
    """Party lines for a list that tags each name with its role (「２ 株式会社A（受託者）」「３ B株式会社
    （再委託先）」), written 「受託者 株式会社A」 so the form's party-line reading applies; empty when none."""
    labels = {text: line for text, line in forms().party_line_labels()}
    out: list[str] = []
    for line in lines:
        text = str(line).strip()
        mark = _ITEM_MARK.match(text)
        body = text[mark.end() :] if mark else text
        if not body.endswith(")") or "(" not in body or len(body) > _TAG_MAX:
            continue
        at = body.rfind("(")
        tag, name = compact(body[at + 1 : -1]), body[:at].strip()
        if tag in labels and is_party_name(name) and "。" not in body and "、" not in name:
            out.append(numbered(f"{tag} {name}", line))
    return out


_LABELLED = re.compile(r"\((?P<label>[^():]{2,12}):(?P<name>[^():]{2,60})\)")


def labelled_in_brackets(lines: list[str]) -> list[str]:
    """Party lines for names given in a parenthesis after a party-line label (「（再委託先：株式会社A）」)."""
    labels = {text for text, _ in forms().party_line_labels()}
    out: list[str] = []
    for line in lines:
        for m in _LABELLED.finditer(str(line)):
            if compact(m.group("label")) in labels:
                out.append(numbered(f"{compact(m.group('label'))} {m.group('name').strip()}", line))
    return out


def cut_columns(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines of a level without the cells printed beside the names (``forms.yaml`` party_columns:
    「委任事務  個人番号通知書の作成・送付」), and the text of those cells (the level's tasks)."""
    labels = forms().party_columns
    names: list[str] = []
    cells: list[str] = []
    for index, line in enumerate(lines):
        text = str(line)
        if index and _NEXT_HEADING.match(text):
            break  # 「3 取り扱う個人情報」: the next numbered part of the document, not a name
        at = min((i for label in labels if (i := text.find(label)) >= 0), default=-1)
        if at < 0:
            names.append(line)
            continue
        label = next(label for label in labels if text.startswith(label, at))
        cells.append(text[at + len(label) :].strip())
        if text[:at].strip():
            names.append(text[:at].rstrip())
    return names, cells


def _handed_on(book: PartyBook, segment: _Segment) -> tuple[str, str | None, list[str], str | None] | None:
    # A party line written as a sentence: 「A社は、…を株式会社コールワン(以下「C社」という。)に再委託する。」
    # → (name, short name, notes, id of the subject that hands the work on, if it is a known party).
    text = compact(join_lines(segment.lines))
    for verb in forms().prose.subcontract_verbs:
        at = text.find(compact(verb))
        if at < 0:
            continue
        named = named_before(text[:at])
        if named is None:
            return None
        subject = re.match(r"(?P<who>[^、。]{1,30}?)は", text)
        upstream = book.by_name(subject.group("who")) if subject else None
        return named[0], named[1], [], upstream.id if upstream else None
    return None


def read_sheet_parties(
    book: PartyBook, sheet: SheetText, sheet_id: str, tasks: list[str], warnings: Warnings
) -> SheetParties:
    """Add the parties named in ``sheet`` to ``book`` and say whom its sections speak of.

    The field is split into levels (:func:`party_segments`); each level's parties receive the work
    from the last party of the nearest level above it of a lower rank, or from the principal.
    """
    label = sheet.labels.get("party", "")
    lines = sheet.fields.get("party", [])
    principal = book.principal.id
    first = _line_for(label)
    kind = {"delegate": "delegation", "subcontractor": "subcontracting"}.get(first.role if first else "", "outsourcing")
    out = SheetParties(kind=kind)
    out.implementers["principal"] = (principal,)
    if not lines:
        warnings.add(f"{sheet_id}: 委任先・委託先が見つかりません", f"{sheet_id}: no 委任先/委託先 field")
        return out
    segments = party_segments(label, lines)
    # A PIA prints the 再委託先 after the 再委託の有無 row, outside the 委託先名 field: its party lines
    # (not the row itself) continue the chain.
    segments.extend(party_segments("", sheet.fields.get("subcontract_flag", []))[1:])
    # 「（１）委任先 機構 委任の内容 … （２）委託先 A社 委託の内容 …」: the 委任の内容 label opened the content
    # field, so the party lines after it are read from there.
    segments.extend(party_segments("", sheet.fields.get("content", []))[1:])
    # 「⑨再委託事項 …の一部（再委託先：株式会社A）」: a party named in a parenthesis with its level's label.
    segments.extend(party_segments("", labelled_in_brackets([x for v in sheet.fields.values() for x in v]))[1:])
    done: list[_Segment] = []
    for segment in segments:
        segment.lines, cells = cut_columns(segment.lines)
        handed = _handed_on(book, segment)
        names = [handed[:3]] if handed else segment_names(segment.lines, warnings, sheet_id)
        if not names:
            continue
        above = next((d for d in reversed(done) if d.line.rank < segment.line.rank), None)
        upstream = above.members[-1].id if above else principal
        if handed is not None and handed[3] is not None:
            upstream = handed[3]  # 「A社は、…をC社に再委託する」: the subject hands the work on
        if above is not None and len(above.members) > 1:
            warnings.add(
                f"{sheet_id}: 「{names[0][0]}」の委託元が複数の事業者のいずれか不明なため"
                f"「{above.members[-1].name}」としました",
                f"{sheet_id}: which of several businesses hands work to 「{names[0][0]}」 is not said; "
                f"「{above.members[-1].name}」 assumed",
            )
        for name, short, notes in names:
            party = add_party(book, name, short, notes, segment.line.role, upstream, sheet_id)
            if cells and not party.tasks:
                party.tasks = task_codes(_split_outside_brackets("、".join(cells)), Warnings(), sheet_id)
            if notes and not party.tasks:
                # 「株式会社A（窓口受付、カード受渡しの補助）」: the parenthesis says what the party does.
                party.tasks = task_codes([x for n in notes for x in _split_outside_brackets(n)], Warnings(), sheet_id)
            segment.members.append(party)
        done.append(segment)
    role_of_sheet = {"delegation": "delegate", "subcontracting": "subcontractor"}.get(kind, "contractor")
    delegates = [m for d in done if d.line.role == "delegate" for m in d.members]
    if delegates:
        out.implementers["delegate"] = tuple(dict.fromkeys(d.id for d in delegates))
    if kind == "delegation":
        for d in delegates:
            d.tasks = d.tasks or list(tasks)
        out.client = principal
        own = [d for d in done if d.line.role == "contractor" and all(m.received_from == principal for m in d.members)]
        if not own:
            # 「機構及び事業者に行わせる情報保護対策」 on a 委任 sheet: the section speaks of the delegate (its
            # contractors share the delegate's section).
            out.implementers.setdefault("contractor", out.implementers.get("delegate", ()))
            return out
        # 「(1) 委任先 機構 (2) 委託先 A社」: the sheet also names the principal's own contractors; its
        # 委託先 section speaks of them. The sheet's tasks were the delegate's.
        role_of_sheet, tasks = "contractor", []
    # The 受託事業者 section speaks of the outermost level the sheet is about: its contractors (or, on
    # a 再委託 sheet, its subcontractors).
    group = next((d for d in done if d.line.role == role_of_sheet), None)
    members = (
        [m for d in done if d.line.role == role_of_sheet and d.line.rank == group.line.rank for m in d.members]
        if group
        else []
    )
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
    out.client = next((m.received_from for m in members if m.received_from), principal)
    return out


def add_party(
    book: PartyBook, name: str, short: str | None, notes: list[str], role: str, upstream: str, sheet: str
) -> PartyDraft:
    """The party named ``name`` (an existing one of that name, else a new one received from ``upstream``)."""
    existing = book.by_name(name)
    if existing is not None:
        return existing
    subcontracts = [n for n in notes if compact(n) in {compact(x) for x in forms().subcontract_notes}]
    described = [n for n in notes if n not in subcontracts]
    note_parts = [f"({n})" for n in described]
    if subcontracts:
        note_parts.append(f"({subcontracts[0]}): 文書は再委託があると記載 / the document says it subcontracts")
    return book.add(
        PartyDraft(
            id=book.new_id(name, role),
            name=name,
            short_name=short,
            role=role,
            received_from=upstream,
            sheet=sheet,
            note=" ".join(note_parts) or None,
        )
    )
