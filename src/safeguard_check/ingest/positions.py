"""Where each part of a draft was read in its council document: the source map of a checked document.

``check FILE.txt`` must point every finding at the place in *that* file the tool examined, not at a
draft the user never wrote. The repaired lines carry their line numbers (``text.Line``), the measure
items and 別紙 headings keep the line they start on, and every part of the draft that comes from a
measure sentence (measures, transfers, terminals, contracts) names it in ``source`` (sheet, section,
category, item). A party is found by its name in its 別紙's 委任先/委託先 field; the plan by its 件名.
A part with no line of its own falls back, as in any source map, to its nearest located ancestor.
"""

from __future__ import annotations

from collections.abc import Sequence

from safeguard_check.ingest.sections import DocumentText, SheetText
from safeguard_check.ingest.text import compact, line_number
from safeguard_check.load.tree import Path, Position
from safeguard_check.model.declaration import Declaration

SourceKey = tuple[str, str, str, str]


def document_positions(doc: DocumentText, declaration: Declaration) -> dict[Path, Position]:
    """The line (column 1) of each located part of ``declaration`` in the document ``doc`` was read from."""
    found: dict[Path, int | None] = {(): 1}
    sheets = {f"sheet{k}": sheet for k, sheet in enumerate(doc.sheets, start=1)}
    items: dict[SourceKey, int | None] = {}
    for sid, sheet in sheets.items():
        for m in sheet.measures:
            items.setdefault((sid, m.section, m.category, m.item), m.line)
    found[("plan",)] = _first_line(doc.cover.get("title", [])) or next(
        (_first_line(s.fields.get("title", [])) for s in doc.sheets), None
    )
    for index, sheet_decl in enumerate(declaration.sheets):
        read = sheets.get(sheet_decl.id)
        found[("sheets", index)] = read.line if read else None
    for index, party in enumerate(declaration.parties):
        found[("parties", index)] = _party_line(party.name, party.role, sheets.get(party.sheet or ""), doc)
    located: list[tuple[str, Sequence[object]]] = [
        ("measures", declaration.measures),
        ("transfers", declaration.transfers),
        ("terminals", declaration.terminals),
        ("contracts", declaration.contracts),
    ]
    for name, parts in located:
        for index, part in enumerate(parts):
            source = getattr(part, "source", None)
            if source is not None:
                found[(name, index)] = items.get((source.sheet, source.section, source.category, source.item))
    return {path: Position(line, 1) for path, line in found.items() if line is not None}


def _first_line(lines: Sequence[str]) -> int | None:
    return next((n for line in lines if (n := line_number(line)) is not None), None)


def _party_line(name: str, role: str, sheet: SheetText | None, doc: DocumentText) -> int | None:
    if role == "principal":
        # The ward is named by its department (保有課 / 担当課), the first place the form speaks of it.
        for s in doc.sheets:
            if line := _first_line(s.fields.get("department", [])):
                return line
        return _first_line(doc.overview.get("department", []))
    if sheet is None:
        return None
    return _line_naming(name, sheet.fields.get("party", [])) or sheet.line


def _line_naming(name: str, lines: Sequence[str]) -> int | None:
    # The line where ``name`` starts, matched without whitespace: a long name may break over lines.
    wanted = compact(name)
    if not wanted:
        return None
    joined = ""
    starts: list[tuple[int, str]] = []
    for line in lines:
        starts.append((len(joined), line))
        joined += compact(line)
    at = joined.find(wanted)
    if at < 0:
        return None
    owner = lines[0]
    for start, line in starts:
        if start > at:
            break
        owner = line
    return line_number(owner)
