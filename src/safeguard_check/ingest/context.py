"""Shared shapes of the ingest pipeline: parties found, measure sentences in context, warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safeguard_check.ingest.sections import CategoryName, SectionName

SentenceKey = tuple[str, str, str, str]
"""(sheet id, section, category, item): where a measure sentence stands in the document."""


@dataclass
class PartyDraft:
    """A party as read from the 別紙 (becomes a ``Party`` of the declaration)."""

    id: str
    name: str
    role: str
    received_from: str | None = None
    short_name: str | None = None
    tasks: list[str] = field(default_factory=list)
    tasks_note: str | None = None
    legal_basis: str | None = None
    since: dt.date | None = None
    sheet: str | None = None
    department: str | None = None
    note: str | None = None

    def aliases(self) -> list[str]:
        """How sentences name this party (full name, then the 「以下「機構」という。」 short name)."""
        return [a for a in (self.name, self.short_name) if a]


@dataclass(frozen=True)
class Sentence:
    """A measure sentence with the parties of its section."""

    sheet: str
    section: SectionName
    category: CategoryName
    item: str
    text: str
    bullets: tuple[str, ...]
    implementers: tuple[str, ...]
    """The parties the section speaks about (区が行う → the ward; 受託事業者に行わせる → the contractors)."""
    client: str | None
    """For the contractor section: the party that makes the 委託 (the contractors' ``received_from``)."""
    counterparts: tuple[str, ...] = ()
    """The parties the sheet hands work to (its delegate or contractors): whom a contract of the
    ward's own section binds."""

    @property
    def key(self) -> SentenceKey:
        """Where the sentence stands: (sheet, section, category, item)."""
        return (self.sheet, self.section, self.category, self.item)

    @property
    def full_text(self) -> str:
        """The sentence with its bullets, one per line (as the hand-written declarations keep them)."""
        return "\n".join([self.text, *(f"・{b}" for b in self.bullets)]) if self.bullets else self.text


class Warnings:
    """Collects review warnings (Japanese first, English after a slash) in the order raised."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, ja: str, en: str) -> None:
        """Record one warning; duplicates are kept once."""
        text = f"{ja} / {en}"
        if text not in self.items:
            self.items.append(text)
