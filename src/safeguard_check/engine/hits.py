"""What an engine returns: which rule fired on which subject, and which codes were missing."""

from __future__ import annotations

from typing import NamedTuple


class Hit(NamedTuple):
    """Rule ``rule_id`` found subject ``subject`` lacking ``missing`` (empty for prohibitions).

    A named tuple (immutable, hashable, ordered field by field like a frozen ``order=True``
    dataclass), because engines make one per gap of every plan and a tuple is built about three
    times faster.
    """

    rule_id: str
    subject: str
    missing: frozenset[str]
