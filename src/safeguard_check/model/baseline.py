"""Legal baseline requirements: what the law says, where, since when, and how sure we are."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

RequirementId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")]


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
    kind: Literal["act", "ordinance", "notice", "guideline"]
    number: str | None = None
    title: Localized
    short: Localized
    version_note: Localized
    sources: list[Source] = Field(min_length=1)


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


class Requirement(_Model):
    """One legal requirement."""

    id: RequirementId
    title: Localized
    citation: Citation
    quote: str | None = None
    gist: Localized
    effective_from: dt.date | None = None
    effective_until: dt.date | None = Field(None, description="first day no longer in force (exclusive)")
    verification: Literal["official_text", "secondary_source", "unverified"]
    verification_note: str = Field(min_length=1)
    source: str
    machine_checkable: bool
    not_checkable_reason: Localized | None = None
    tags: list[str] = Field(default_factory=list)

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
        return self

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
        return self
