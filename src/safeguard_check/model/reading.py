"""What a check of a council document could not read: the contract between ``ingest`` and the reports.

A declaration written by a person says everything it means; a draft read from a council document may
not. So a plan read from a document carries :class:`ReadingNotes`: every measure sentence that mapped
to no code (with its line), how many measure sentences were read and mapped, and the form fields that
were missing (with what could therefore not be judged). ``ingest`` fills them in; every report shows
them, so a reader can tell a real gap from a sentence the tool did not understand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

PLACEHOLDER_EFFECTIVE_DATE = dt.date(2026, 1, 1)
"""The effective date a draft gets when its document has no date at all (``ingest``): the law applied is
then chosen for lack of a date, and every report says so (``CheckResult.as_of_source`` ``no_date``)."""


@dataclass(frozen=True)
class UnrecognisedSentence:
    """A sentence of the document that mapped to no measure code (or a clause to no clause code)."""

    line: int | None
    """1-based line of the document where the sentence starts; None when not known (a PDF)."""
    text: str
    where: str
    """Where it was printed, as a reader finds it: 「別紙1 区が行う 運用上の対策 3」."""
    kind: Literal["measure", "clause", "other"]
    subjects: tuple[str, ...] = ()
    """Ids of the declaration subjects (parties, contracts …) the sentence is about."""


@dataclass(frozen=True)
class MissingField:
    """A form field the document did not have (保有課, 報告/諮問 …): a warning, never a failure."""

    field: str
    """Dotted path in the declaration, e.g. ``plan.department``."""
    label: str
    """The field's label as forms print it (「保有課」)."""
    line: int | None
    """Where it was looked for (the heading or the line above which it belongs), if known."""
    affects: tuple[str, ...] = ()
    """Rule ids that could not be judged for lack of it (empty: nothing depends on it)."""


@dataclass(frozen=True)
class ReadingNotes:
    """How much of a council document was understood."""

    unrecognised: tuple[UnrecognisedSentence, ...] = ()
    measure_sentences: int = 0
    """Measure sentences read (the M of "N of M mapped")."""
    mapped_sentences: int = 0
    """Of those, the ones that mapped to at least one code (stated or stated as not done)."""
    missing_fields: tuple[MissingField, ...] = ()
