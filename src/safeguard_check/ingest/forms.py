"""The labels of council forms (``forms.yaml``): field labels, party lines, section headings.

They are data so that a new form is read by adding its wordings, not by changing code. The file is
read with the safe loader and validated here: every label must be a regular expression that
compiles, field names must be the ones the reader knows, and the party-line roles and ranks must fit
the declaration model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from safeguard_check.ingest.text import compact

CoverField = Literal["title", "content_ref", "basis"]
OverviewField = Literal["project", "department", "purpose", "subjects", "content"]
SheetField = Literal[
    "title",
    "department",
    "registered",
    "party",
    "subcontract_flag",
    "party_address",
    "info",
    "media",
    "reason",
    "content",
    "period",
    "principal_measures",
    "party_measures",
    "delegate_measures",
    "measures",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_patterns(labels: tuple[str, ...]) -> tuple[str, ...]:
    if not labels:
        raise ValueError("at least one label is needed")
    for label in labels:
        try:
            re.compile(label)
        except re.error as exc:
            raise ValueError(f"label {label!r} is not a regular expression: {exc}") from None
    return labels


class _Labelled(_Model):
    labels: tuple[str, ...]

    @field_validator("labels")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(value)

    @property
    def pattern(self) -> str:
        """One compact regex for all the synonyms (tried as alternatives), in 【】 or not."""
        return "【?(?:" + "|".join(f"(?:{label})" for label in self.labels) + ")】?"


class CoverLabel(_Labelled):
    field: CoverField


class OverviewLabel(_Labelled):
    field: OverviewField


class SheetLabel(_Labelled):
    field: SheetField


class SectionLabel(_Labelled):
    section: Literal["principal", "delegate", "contractor"]


class CategoryLabel(_Labelled):
    category: Literal["operational", "technical"]


class PartyLine(_Model):
    """A label that opens one level of the chain inside the 委任先/委託先 field."""

    role: Literal["delegate", "contractor", "subcontractor"]
    rank: int
    labels: tuple[str, ...]
    spaced_labels: tuple[str, ...] = ()
    """Labels that open a level only when whitespace follows them (short words that begin others)."""

    @field_validator("labels", "spaced_labels")
    @classmethod
    def _compact_labels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(compact(v) for v in value)


class ContractorSentence(_Model):
    mentions: tuple[str, ...]
    causatives: tuple[str, ...]


class Prose(_Model):
    """How a document without the form is read (see ``forms.yaml`` ``prose``)."""

    measure_words: tuple[str, ...]
    not_measures: tuple[str, ...]
    list_leads: tuple[str, ...] = ()
    """A sentence with one of these opens a list (「次に掲げる事項」): the items after it, up to the next
    article, are measure sentences even without a measure word."""
    lead_only: tuple[str, ...] = ()
    """A list lead that is only that (「次の事項に留意する」): not a measure sentence itself."""
    not_name_starts: tuple[str, ...] = ()
    """Counters a body's name never begins with (「第3回南原市」: 回), stripped from a name found."""
    handover_verbs: dict[Literal["contractor", "delegate"], tuple[str, ...]]
    received_verbs: tuple[str, ...]
    name_breaks: tuple[str, ...]
    generic_bodies: tuple[str, ...]
    unions: tuple[str, ...]
    contractor_terms: tuple[str, ...]
    corporate_affixes: tuple[str, ...]
    contractor_sentence: ContractorSentence
    subcontract_verbs: tuple[str, ...]


class Forms(_Model):
    """The contents of ``forms.yaml``; see the comments there."""

    schema_version: Literal[1]
    cover: tuple[CoverLabel, ...]
    overview_heading: tuple[str, ...]
    overview: tuple[OverviewLabel, ...]
    sheet_heading: tuple[str, ...]
    sheet: tuple[SheetLabel, ...]
    sections: tuple[SectionLabel, ...]
    categories: tuple[CategoryLabel, ...]
    party_lines: tuple[PartyLine, ...]
    subcontract_notes: tuple[str, ...]
    not_names: tuple[str, ...] = ()
    """Answers a party line may hold instead of a name (「再委託 なし」)."""
    party_columns: tuple[str, ...] = ()
    """Labels of cells printed beside a party's name (委任事務, 委託内容, 所在地): the name ends there,
    and the cell's text is the party's tasks."""
    report_types: dict[Literal["consultation", "report"], tuple[str, ...]]
    prose: Prose
    field_affects: dict[str, tuple[str, ...]]

    @field_validator("overview_heading", "sheet_heading")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_patterns(value)

    @field_validator("sheet")
    @classmethod
    def _unique_fields(cls, value: tuple[SheetLabel, ...]) -> tuple[SheetLabel, ...]:
        names = [v.field for v in value]
        if len(set(names)) != len(names):
            raise ValueError("a sheet field is listed twice")
        return value

    @property
    def cover_labels(self) -> list[tuple[str, str]]:
        """(field, compact regex) of the cover sheet, in order."""
        return [(x.field, x.pattern) for x in self.cover]

    @property
    def overview_labels(self) -> list[tuple[str, str]]:
        """(field, compact regex) of 事業の概要, in order."""
        return [(x.field, x.pattern) for x in self.overview]

    @property
    def sheet_labels(self) -> list[tuple[str, str]]:
        """(field, compact regex) of one form, in order."""
        return [(x.field, x.pattern) for x in self.sheet]

    @property
    def category_labels(self) -> list[tuple[str, str]]:
        """(category, compact regex) of the halves of a measure section."""
        return [(x.category, x.pattern) for x in self.categories]

    def party_line_labels(self) -> list[tuple[str, PartyLine]]:
        """Every party-line label with its level, longest first (so 再委託先 wins over 委託先)."""
        out = [(label, line) for line in self.party_lines for label in (*line.labels, *line.spaced_labels)]
        return sorted(out, key=lambda x: -len(x[0]))

    def section_of(self, label: str) -> Literal["principal", "delegate", "contractor"]:
        """The measure section a measure-field label opens."""
        text = compact(label)
        for entry in self.sections:
            if any(re.search(p, text) for p in entry.labels):
                return entry.section
        return "contractor"


def affects(field: str) -> tuple[str, ...]:
    """Rule ids that cannot be judged when the document lacks ``field`` (``forms.yaml`` field_affects)."""
    return forms().field_affects.get(field, ())


def section_of_sentence(text: str) -> Literal["principal", "contractor"]:
    """Whose measure a sentence of an undivided list is: the contractor's when it makes someone do it
    and names the contractor (``forms.yaml`` prose.contractor_sentence), else the principal's."""
    rule = forms().prose.contractor_sentence
    key = compact(text)
    if any(m in key for m in rule.mentions) and any(c in key for c in rule.causatives):
        return "contractor"
    return "principal"


@lru_cache(maxsize=1)
def forms() -> Forms:
    """The bundled form labels, parsed and validated once per process."""
    text = Path(__file__).with_name("forms.yaml").read_text(encoding="utf-8")
    return Forms.model_validate(yaml.safe_load(text))
