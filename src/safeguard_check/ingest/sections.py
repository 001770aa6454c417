"""Recognise the structure of a council document: cover sheet, 事業の概要 and the forms.

The model form is the one Tokyo wards use for 「電子計算機による個人情報の処理委託」 (別紙): a sequence of
labelled fields (件名, 保有課, 登録業務の名称, 委任先/委託先, 情報項目, 記録媒体, 委任理由/委託理由,
委任の内容/委託の内容, 開始時期及び期限) and two measure sections (区が行う / 委任先に行わせる or
受託事業者に行わせる), each split into 【運用上の対策】 and 【システム上の対策】. Other forms are read
through the synonyms of the same fields (``forms.yaml``, :mod:`forms`): a numbered outline without
別紙 (「1 保有課 … 5 情報保護対策」), labels in 【】, cells run together on one line, a PIA's 委託事項
blocks, and a single measure section whose sentences say whose measures they are. Labels are found in
order on compact text (see :mod:`labels`), then out of order where they head a line; a missing label
is reported, not fatal. A document with no form at all is read as prose (:mod:`prose`).

Nothing is interpreted here beyond the structure: values are kept as lines, measure items as text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from safeguard_check.ingest.forms import forms, section_of_sentence
from safeguard_check.ingest.labels import Region, find_any_order, find_in_order, values
from safeguard_check.ingest.lists import Block, Unit, parse_list
from safeguard_check.ingest.text import compact, join_lines, line_number, sentences

SectionName = Literal["principal", "delegate", "contractor", "other"]
CategoryName = Literal["operational", "technical"]


@dataclass(frozen=True)
class MeasureText:
    """One measure sentence as printed, with where it stands in the document."""

    section: SectionName
    category: CategoryName
    item: str
    """Item number as printed: ``1``, ``3-(1)``; ``intro`` for text before item 1; ``※1`` for notes."""
    text: str
    bullets: tuple[str, ...] = ()
    line: int | None = None
    """The document line the item starts on (``None`` when the lines carry no numbers)."""


@dataclass
class SheetText:
    """One 別紙: its heading marker, field values (as lines) and its measure sentences."""

    marker: str
    heading: list[str]
    fields: dict[str, list[str]]
    labels: dict[str, str]
    """The label text found for each field (tells 委任先 from 委託先)."""
    measures: list[MeasureText] = field(default_factory=list)
    line: int | None = None
    """The document line of the 別紙 heading."""
    missing: list[str] = field(default_factory=list)
    """Fields whose label was not found."""
    problems: list[str] = field(default_factory=list)
    prose: bool = False
    """True for a document without the form, read as prose (:mod:`prose`): no fields, no parties field."""


@dataclass
class DocumentText:
    """The whole document, structured but not interpreted."""

    cover: dict[str, list[str]]
    cover_lines: list[str]
    overview: dict[str, list[str]]
    overview_lines: list[str]
    sheets: list[SheetText]
    lines: tuple[str, ...] = ()
    """All the repaired lines (for what is looked for anywhere: the municipality, 報告/諮問 …)."""


def _section_of(label: str) -> SectionName:
    return forms().section_of(label)


def block_units(block: Block) -> list[tuple[str, Unit]]:
    """Every unit of a parsed field with its printed item number, in document order."""
    out: list[tuple[str, Unit]] = []

    def with_circs(label: str, unit: Unit) -> None:
        out.append((label, unit))
        prefix = "" if label == "intro" else f"{label}-"
        out.extend((f"{prefix}〔{c.number}〕", c) for c in unit.circs)

    if block.intro.lines or block.intro.bullets or block.intro.circs:
        with_circs("intro", block.intro)
    for sub in block.intro.subs:
        with_circs(f"({sub.number})", sub)
    for item in block.items:
        with_circs(str(item.number), item)
        for sub in item.subs:
            with_circs(f"{item.number}-({sub.number})", sub)
    out.extend((f"※{k}", note) for k, note in enumerate(block.notes, start=1))
    return out


_HEADING_MAX = 20
"""A unit's first line this short, without 「。」「、」, over more text is a heading (「ア　委託先の選定」)."""


def _heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and not any(ch in text for ch in "。、")


def _measures(
    section: SectionName, lines: list[str], problems: list[str], one_section: bool = False
) -> list[MeasureText]:
    region = Region(lines)
    hits = sorted(
        (h for name, pattern in forms().category_labels if (h := region.search(name, pattern)) is not None),
        key=lambda h: h.start,
    )
    parts: list[tuple[CategoryName, list[str]]] = []
    head = region.lines_between(0, hits[0].start if hits else None)
    if head:
        # Text outside 【運用上の対策】/【システム上の対策】: kept, filed as operational for review.
        problems.append(f"{section}: text before 【運用上の対策】/【システム上の対策】 filed as operational")
        parts.append(("operational", head))
    for index, hit in enumerate(hits):
        stop = hits[index + 1].start if index + 1 < len(hits) else None
        category: CategoryName = "operational" if hit.name == "operational" else "technical"
        parts.append((category, region.lines_between(hit.end, stop)))
    out: list[MeasureText] = []
    leads = tuple(compact(w) for w in forms().prose.list_leads)
    for category, part in parts:
        consumed: set[int] = set()
        block = parse_list(part)
        # 「3.」 as the first numbered item of a field that opened without numbers: the document's own
        # numbering going on (its next part), not the field's list.
        outer = block.items[0] if block.items and (block.items[0].number or 0) > 1 and block.intro.lines else None
        for number, unit in block_units(block):
            if id(unit) in consumed:
                continue
            if number == "intro" and not unit.subs and not unit.circs:
                out.extend(_unnumbered(section, category, unit))
                continue
            text = unit.text
            line = unit.first_line
            bullets = tuple(b.text for b in unit.bullets if b.text)
            if not bullets and unit.circs and any(w in compact(text) for w in leads):
                # 「契約書に次の事項を定め、…」 over ①②…: the numbered items are the sentence's list (its
                # clauses), as 「・」 bullets would be.
                bullets = tuple(c.text for c in unit.circs if c.text)
                consumed.update(id(c) for c in unit.circs)
            if (unit.subs or unit.circs) and not bullets and _heading(text):
                continue  # 「⑴ 委託先への引渡し」 over ①②: a heading, the items below are the measures
            if one_section and unit.kind in ("item", "sub") and len(unit.lines) > 1 and _heading(unit.lines[0]):
                # 「4.特定個人情報ファイルの取扱いの委託」 over the rows of a PIA table (or a paragraph):
                # each row is a measure. Only in the one-section forms: in the 別紙, a short first line
                # is a line break, not a heading.
                out.extend(
                    MeasureText(section, category, f"{number}-{k}", piece, (), piece_line)
                    for k, (piece, piece_line) in enumerate(_rows(unit.lines[1:]), start=1)
                )
                continue
            if (
                not one_section
                and section != "principal"
                and unit is outer
                and len(unit.lines) > 1
                and _heading(str(unit.lines[0]))
                and not unit.subs
                and not unit.circs
            ):
                # 「3. 特定個人情報保護評価」 after a party's section (「③ 委託先における対策」 …): the document's
                # next part, in its own voice — its sentences are the principal's unless they say otherwise.
                out.extend(
                    MeasureText(section_of_sentence(piece), category, f"{number}-{k}", piece, (), piece_line)
                    for k, (piece, piece_line) in enumerate(sentences(unit.lines[1:]), start=1)
                )
                continue
            if unit.kind == "circ" and len(unit.lines) > 1 and _heading(join_lines(unit.lines[:1])):
                # 「ア　委託先の選定」 then sentences on the next lines: each sentence is a measure.
                body = list(unit.lines[1:])
                if not bullets:
                    # 「a) b) …」 written under the last sentence are that sentence's bullets.
                    while body and str(body[-1]).lstrip().startswith(("・", "•")):
                        bullets = (str(body.pop()).lstrip()[1:].strip(), *bullets)
                pieces = sentences(body)
                if len(pieces) > 1:
                    # Bullets under such an item belong to the sentence that leads them (「以下の事項を遵守
                    # させる。」 over a) b) …), else to its last sentence.
                    leads = tuple(compact(w) for w in forms().prose.list_leads)
                    leader = next(
                        (k for k, (piece, _) in enumerate(pieces, start=1) if any(w in compact(piece) for w in leads)),
                        len(pieces),
                    )
                    out.extend(
                        MeasureText(
                            section, category, f"{number}-{k}", piece, bullets if k == leader else (), piece_line
                        )
                        for k, (piece, piece_line) in enumerate(pieces, start=1)
                    )
                    continue
                text, line = join_lines(unit.lines[1:]), line_number(unit.lines[1])
            if text or bullets:
                out.append(MeasureText(section, category, number, text, bullets, line))
    return out


def _rows(lines: list[str]) -> list[tuple[str, int | None]]:
    # Rows of a table flattened into lines: a row ends at 「。」 or at its [checkbox] answer; a short
    # line without either, standing before more rows, is a sub-heading, not a measure.
    out: list[tuple[str, int | None]] = []
    buffer: list[str] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        if not buffer and not last and len(line) <= 40 and "。" not in line and not line.endswith("]"):
            continue
        buffer.append(line)
        if line.endswith(("。", "]")) or last:
            out.extend(sentences(buffer) if len(buffer) > 1 else [(join_lines(buffer), line_number(buffer[0]))])
            buffer = []
    return out


def _unnumbered(section: SectionName, category: CategoryName, unit: Unit) -> list[MeasureText]:
    # Measures not numbered: each 「・」 bullet, and each sentence of a paragraph, is one measure (as a
    # numbered item would be), so every sentence keeps its own line and codes.
    out: list[MeasureText] = []
    pieces = [(text, line) for text, line in sentences(unit.lines)]
    if len(pieces) == 1 and not unit.bullets:
        return [MeasureText(section, category, "intro", pieces[0][0], (), unit.first_line)]
    leads = tuple(compact(w) for w in forms().prose.list_leads)
    leader = next((k for k, (text, _) in enumerate(pieces, start=1) if any(w in compact(text) for w in leads)), 0)
    led = bool(unit.bullets) and leader > 0
    for k, (text, line) in enumerate(pieces, start=1):
        bullets = tuple(b.text for b in unit.bullets if b.text) if led and k == leader else ()
        out.append(MeasureText(section, category, f"intro-{k}", text, bullets, line))
    if led:
        # 「契約書において、以下の事項を遵守させる。」 over 「・…」: the bullets are that sentence's list.
        return out
    for k, bullet in enumerate(unit.bullets, start=1):
        if bullet.text:
            out.append(MeasureText(section, category, f"・{k}", bullet.text, (), bullet.first_line))
    return out


def _looks_like_form(sheet: SheetText, party_heads_a_line: bool) -> bool:
    # A document without 別紙 is read as one form only when it prints the form's fields as headings:
    # the 委託先 label opening a line and at least two more fields. Otherwise it is prose, where
    # 「委託先は、…」 is a sentence, not a field.
    others = set(sheet.fields) - {"party", "title"}
    return party_heads_a_line and len(others) >= 2


def _sheet(marker: str, line: int | None, lines: list[str]) -> SheetText:
    region = Region(lines)
    labels = forms().sheet_labels
    found = find_any_order(region, labels)
    if any(h.name in ("principal_measures", "party_measures", "delegate_measures") for h in found):
        # The one-section label (「情報保護対策」) is only a fallback: inside a two-section form its
        # words occur in measure sentences (「特定個人情報の保護を…」).
        labels = [(name, pattern) for name, pattern in labels if name != "measures"]
        found = find_any_order(region, labels)
    fields = values(region, found)
    heading = region.lines_between(0, found[0].start) if found else list(lines)
    sheet = SheetText(
        marker=marker,
        heading=heading,
        fields=fields,
        labels={h.name: h.matched for h in found},
        line=line,
        missing=[name for name, _ in labels if name not in fields and name != "measures"],
    )
    for name in ("principal_measures", "delegate_measures", "party_measures", "measures"):
        if name in fields:
            section = _section_of(sheet.labels[name])
            read = _measures(section, fields[name], sheet.problems, one_section=name == "measures")
            if name == "measures":
                read = [dataclasses.replace(m, section=section_of_sentence(m.text)) for m in read]
            sheet.measures.extend(read)
    return sheet


def parse_document(lines: tuple[str, ...] | list[str]) -> DocumentText:
    """Split repaired lines into cover, 事業の概要 and 別紙, and read each one's fields."""
    region = Region(lines)
    form = forms()
    overview = region.search("overview", "|".join(form.overview_heading))
    markers: list[tuple[int, int, str]] = []
    cursor = overview.end if overview else 0
    while (hit := region.search("sheet", "|".join(form.sheet_heading), cursor)) is not None:
        markers.append((hit.start, hit.end, hit.matched))
        cursor = hit.end
    first_sheet = markers[0][0] if markers else None
    cover_end = overview.start if overview else first_sheet
    cover_lines = region.lines_between(0, cover_end)
    overview_lines = region.lines_between(overview.end, first_sheet) if overview else []
    cover_region = Region(cover_lines)
    overview_region = Region(overview_lines)
    sheets = [
        _sheet(
            marker,
            region.line_number_at(start),
            region.lines_between(end, markers[index + 1][0] if index + 1 < len(markers) else None),
        )
        for index, (start, end, marker) in enumerate(markers)
    ]
    if not sheets:
        # No 別紙 heading: the whole document may still be one form (「1 保有課 … 5 情報保護対策」).
        start = overview.end if overview else 0
        whole_region = Region(region.lines_between(start))
        whole = _sheet("本文", region.line_number_at(start), region.lines_between(start))
        party = whole_region.search("party", dict(forms().sheet_labels)["party"])
        if _looks_like_form(whole, party is not None and whole_region.starts_line(party.start)):
            sheets.append(whole)
    return DocumentText(
        cover=values(cover_region, find_in_order(cover_region, form.cover_labels)),
        cover_lines=cover_lines,
        overview=values(overview_region, find_in_order(overview_region, form.overview_labels)),
        overview_lines=overview_lines,
        sheets=sheets,
        lines=tuple(lines),
    )
