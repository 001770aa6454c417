"""Legal baseline requirements: what the law says, where, since when, and how sure we are."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

RequirementId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")]

InstrumentKind = Literal["act", "cabinet_order", "ordinance", "notice", "guideline", "advice", "practice"]
"""What the instrument is as a document (法律, 政令, 省令・命令, 告示, ガイドライン, 技術的助言, 運用慣行)."""
BasisKind = Literal[
    "law", "cabinet_order", "ministerial_ordinance", "notice", "guideline", "technical_advice", "practice"
]
"""The legal weight a requirement rests on; decides the severity cap (``baselines/weights.yaml``)."""
BASIS_KINDS: tuple[BasisKind, ...] = (
    "law",
    "cabinet_order",
    "ministerial_ordinance",
    "notice",
    "guideline",
    "technical_advice",
    "practice",
)
Verification = Literal["official_text", "secondary_source", "unverified"]
VERIFICATIONS: tuple[Verification, ...] = ("official_text", "secondary_source", "unverified")

BASIS_OF_KIND: dict[str, BasisKind] = {
    "act": "law",
    "cabinet_order": "cabinet_order",
    "ordinance": "ministerial_ordinance",
    "notice": "notice",
    "guideline": "guideline",
    "advice": "technical_advice",
    "practice": "practice",
}
"""The basis kind an instrument has unless it says otherwise (``instrument.basis_kind``)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Model):
    """A text in Japanese and English."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (Japanese unless ``en``)."""
        return self.en if lang == "en" else self.ja


class Source(_Model):
    """A text the requirement was read from."""

    id: str
    description: str


class Instrument(_Model):
    """A law, ordinance, notice or guideline."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    kind: InstrumentKind
    basis_kind: BasisKind | None = Field(None, description="default: derived from kind (BASIS_OF_KIND)")
    number: str | None = None
    title: Localized
    short: Localized
    version_note: Localized
    sources: list[Source] = Field(min_length=1)

    @property
    def basis(self) -> BasisKind:
        """The basis kind: the declared one, else the one that goes with ``kind``."""
        return self.basis_kind or BASIS_OF_KIND[self.kind]


class Citation(_Model):
    """Pinpoint citation: article/paragraph/item of a statute, or a guideline section."""

    article: str | None = None
    paragraph: int | None = None
    item: int | None = None
    section: str | None = None
    label: Localized

    @model_validator(mode="after")
    def _pinpoint(self) -> Citation:
        if self.article is None and self.section is None:
            raise ValueError("a citation needs an article or a section")
        return self


class CheckedAgainst(_Model):
    """Which source (and which edition of it) an edition's text was compared with, and how sure that is."""

    source: str
    edition: str | None = Field(None, description="the source's own edition, e.g. its date")
    verification: Verification


class Edition(_Model):
    """The text of a requirement during one period: ``from`` inclusive, ``until`` exclusive.

    ``from: null`` means from the requirement's own start, ``until: null`` to its own end (or still in
    force); the period actually meant is always the intersection with the requirement's window.
    """

    # ``from`` is a Python keyword; the YAML key stays ``from`` and the cache (dumped by field name) can
    # read its own output back.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: dt.date | None = Field(None, alias="from")
    until: dt.date | None = None
    quote: str | None = None
    checked_against: CheckedAgainst

    def covers(self, on: dt.date) -> bool:
        """Whether ``on`` falls in this edition's period."""
        if self.from_ is not None and on < self.from_:
            return False
        return not (self.until is not None and on >= self.until)


@dataclass(frozen=True)
class EditionChoice:
    """The edition whose text a report shows for a date, and whether it is a later one than that date's."""

    edition: Edition
    later: bool
    """True: no text of the edition in force on the date is held; this is the nearest later edition."""


class Requirement(_Model):
    """One legal requirement."""

    id: RequirementId
    title: Localized
    citation: Citation
    quote: str | None = None
    gist: Localized
    effective_from: dt.date | None = None
    effective_until: dt.date | None = Field(None, description="first day no longer in force (exclusive)")
    verification: Verification
    verification_note: str = Field(min_length=1)
    source: str
    machine_checkable: bool
    not_checkable_reason: Localized | None = None
    tags: list[str] = Field(default_factory=list)
    basis_kind: BasisKind | None = Field(None, description="overrides the instrument's basis kind")
    editions: list[Edition] | None = Field(
        None, min_length=1, description="default: one edition from effective_from/until, quote, source, verification"
    )

    @model_validator(mode="after")
    def _reason(self) -> Requirement:
        if not self.machine_checkable and self.not_checkable_reason is None:
            raise ValueError("not_checkable_reason is required when machine_checkable is false")
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until <= self.effective_from
        ):
            raise ValueError("effective_until must be after effective_from")
        if self.editions is not None:
            _check_editions(self.editions, self.effective_from, self.effective_until)
        return self

    def all_editions(self) -> tuple[Edition, ...]:
        """The editions, oldest first; without ``editions`` one built from the requirement's own fields."""
        if self.editions is not None:
            return tuple(sorted(self.editions, key=lambda e: e.from_ or dt.date.min))
        # Built by the YAML key (``from``), as a catalogue file would write it.
        fields: dict[str, Any] = {
            "from": self.effective_from,
            "until": self.effective_until,
            "quote": self.quote,
            "checked_against": CheckedAgainst(source=self.source, edition=None, verification=self.verification),
        }
        return (Edition(**fields),)

    def edition_on(self, on: dt.date) -> Edition | None:
        """The edition in force on ``on`` (``None``: the requirement is not in force or no edition covers it)."""
        if not self.in_force(on):
            return None
        return next((e for e in self.all_editions() if e.covers(on)), None)

    def verification_on(self, on: dt.date) -> Verification:
        """How sure the text in force on ``on`` is: its edition's verification, else the requirement's."""
        edition = self.edition_on(on)
        return edition.checked_against.verification if edition is not None else self.verification

    def quoted_edition(self, on: dt.date) -> EditionChoice | None:
        """The edition whose quote a report shows for ``on``.

        The edition in force when its quote is held; otherwise the nearest later edition with a quote
        (``later=True``: the report says the text of the applied date's edition was not seen). ``None``
        when neither exists — an earlier edition's text is never shown as if it were the law on ``on``.
        """
        if not self.in_force(on):
            return None
        current = self.edition_on(on)
        if current is not None and current.quote is not None:
            return EditionChoice(current, later=False)
        for edition in self.all_editions():
            if edition.quote is not None and edition.from_ is not None and edition.from_ > on:
                return EditionChoice(edition, later=True)
        return None

    def in_force(self, on: dt.date) -> bool:
        """Whether the requirement applies on ``on`` (from inclusive, until exclusive)."""
        if self.effective_from is not None and on < self.effective_from:
            return False
        return not (self.effective_until is not None and on >= self.effective_until)


class BaselineFile(_Model):
    """One catalogue file under ``baselines/``."""

    schema_version: Literal[1]
    instrument: Instrument
    requirements: list[Requirement]

    @model_validator(mode="after")
    def _sources_exist(self) -> BaselineFile:
        known = {s.id for s in self.instrument.sources}
        for req in self.requirements:
            if req.source not in known:
                raise ValueError(f"requirement {req.id}: source {req.source!r} is not in instrument.sources")
            for edition in req.editions or ():
                if edition.checked_against.source not in known:
                    raise ValueError(
                        f"requirement {req.id}: edition source {edition.checked_against.source!r}"
                        " is not in instrument.sources"
                    )
        return self


def _check_editions(editions: list[Edition], start: dt.date | None, end: dt.date | None) -> None:
    """Each edition a non-empty period inside the requirement's window, no two overlapping."""
    lo, hi = dt.date.min, dt.date.max
    periods: list[tuple[dt.date, dt.date]] = []
    for edition in editions:
        if edition.from_ is not None and edition.until is not None and edition.until <= edition.from_:
            raise ValueError(f"edition from {edition.from_}: until must be after from")
        if start is not None and edition.from_ is not None and edition.from_ < start:
            raise ValueError(f"edition from {edition.from_} starts before effective_from {start}")
        if end is not None and edition.until is not None and edition.until > end:
            raise ValueError(f"edition until {edition.until} ends after effective_until {end}")
        if end is not None and edition.from_ is not None and edition.from_ >= end:
            raise ValueError(f"edition from {edition.from_} starts after effective_until {end}")
        if start is not None and edition.until is not None and edition.until <= start:
            raise ValueError(f"edition until {edition.until} ends before effective_from {start}")
        periods.append((edition.from_ or lo, edition.until or hi))
    periods.sort()
    for (_, prev_end), (next_start, _) in itertools.pairwise(periods):
        if next_start < prev_end:
            raise ValueError(f"editions overlap: one starting {next_start} begins before the previous ends")
