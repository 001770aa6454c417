"""Recognise the structure of a council document: cover sheet, 事業の概要 and the 別紙 forms.

The forms are the ones Tokyo wards use for 「電子計算機による個人情報の処理委託」: a fixed sequence of
labelled fields (件名, 保有課, 登録業務の名称, 委任先/委託先, 情報項目, 記録媒体, 委任理由/委託理由,
委任の内容/委託の内容, 開始時期及び期限) and two measure sections (区が行う / 委任先に行わせる or
受託事業者に行わせる), each split into 【運用上の対策】 and 【システム上の対策】. Labels are found in that
order on compact text (see :mod:`labels`); a missing label is reported, not fatal.

Nothing is interpreted here beyond the structure: values are kept as lines, measure items as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from safeguard_check.ingest.labels import Region, find_in_order, values
from safeguard_check.ingest.lists import Block, Unit, parse_list

SectionName = Literal["principal", "delegate", "contractor", "other"]
CategoryName = Literal["operational", "technical"]

_COVER_LABELS = [
    ("title", r"件名"),
    ("content_ref", r"内容は別紙のとおり"),
    ("basis", r"条例の根拠"),
]
_OVERVIEW_LABELS = [
    ("project", r"事業名"),
    ("department", r"担当課"),
    ("purpose", r"目的"),
    ("subjects", r"対象者"),
    ("content", r"事業内容"),
]
_ACT = r"(?:再委託|委託|委任)"
SHEET_LABELS = [
    ("title", r"件名"),
    ("department", r"保有課(?:\(担当課\))?"),
    ("registered", r"登録業務の名称"),
    ("party", r"再委託先|委託先|委任先"),
    ("info", _ACT + r"に伴い.{0,12}?処理させる情報項目(?:\(だれの、どのような項目か\))?"),
    ("media", r"処理させる情報項目の記録媒体"),
    ("reason", _ACT + r"理由"),
    ("content", _ACT + r"の内容"),
    ("period", _ACT + r"の開始時期及び期限"),
    ("principal_measures", _ACT + r"にあたり[区市町村都道府県]が行う情報保護対策"),
    ("party_measures", r"(?:委任先|受託事業者|再受託事業者|委託先|再委託先)に行わせる情報保護対策"),
]
"""The fields of a 別紙 form in order (name, compact regex)."""

_OVERVIEW = r"事業の概要"
# 「別紙（業務委託）」 as a heading; 「内容は別紙のとおり」 is not one (no ◇ or 件名 follows).
_SHEET = r"別紙\d*(?:\([^)]{0,20}\))?(?=◇|件名)"
_CATEGORIES: list[tuple[CategoryName, str]] = [
    ("operational", r"【運用上の対策】"),
    ("technical", r"【システム上の対策】"),
]


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


@dataclass
class DocumentText:
    """The whole document, structured but not interpreted."""

    cover: dict[str, list[str]]
    cover_lines: list[str]
    overview: dict[str, list[str]]
    overview_lines: list[str]
    sheets: list[SheetText]


def _section_of(label: str) -> SectionName:
    if "区が行う" in label or "が行う情報保護対策" in label:
        return "principal"
    if label.startswith("委任先"):
        return "delegate"
    return "contractor"


def block_units(block: Block) -> list[tuple[str, Unit]]:
    """Every unit of a parsed field with its printed item number, in document order."""
    out: list[tuple[str, Unit]] = []
    if block.intro.lines or block.intro.bullets:
        out.append(("intro", block.intro))
    out.extend((f"({sub.number})", sub) for sub in block.intro.subs)
    for item in block.items:
        out.append((str(item.number), item))
        out.extend((f"{item.number}-({sub.number})", sub) for sub in item.subs)
    out.extend((f"※{k}", note) for k, note in enumerate(block.notes, start=1))
    return out


def _measures(section: SectionName, lines: list[str], problems: list[str]) -> list[MeasureText]:
    region = Region(lines)
    hits = sorted(
        (h for name, pattern in _CATEGORIES if (h := region.search(name, pattern)) is not None),
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
    for category, part in parts:
        for number, unit in block_units(parse_list(part)):
            text = unit.text
            bullets = tuple(b.text for b in unit.bullets if b.text)
            if text or bullets:
                out.append(MeasureText(section, category, number, text, bullets, unit.first_line))
    return out


def _sheet(marker: str, line: int | None, lines: list[str]) -> SheetText:
    region = Region(lines)
    found = find_in_order(region, SHEET_LABELS)
    fields = values(region, found)
    heading = region.lines_between(0, found[0].start) if found else list(lines)
    sheet = SheetText(
        marker=marker,
        heading=heading,
        fields=fields,
        labels={h.name: h.matched for h in found},
        line=line,
        missing=[name for name, _ in SHEET_LABELS if name not in fields],
    )
    for name in ("principal_measures", "party_measures"):
        if name in fields:
            section = _section_of(sheet.labels[name])
            sheet.measures.extend(_measures(section, fields[name], sheet.problems))
    return sheet


def parse_document(lines: tuple[str, ...] | list[str]) -> DocumentText:
    """Split repaired lines into cover, 事業の概要 and 別紙, and read each one's fields."""
    region = Region(lines)
    overview = region.search("overview", _OVERVIEW)
    markers: list[tuple[int, int, str]] = []
    cursor = overview.end if overview else 0
    while (hit := region.search("sheet", _SHEET, cursor)) is not None:
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
    return DocumentText(
        cover=values(cover_region, find_in_order(cover_region, _COVER_LABELS)),
        cover_lines=cover_lines,
        overview=values(overview_region, find_in_order(overview_region, _OVERVIEW_LABELS)),
        overview_lines=overview_lines,
        sheets=sheets,
    )
