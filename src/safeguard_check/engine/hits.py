"""What an engine returns: which rule fired on which subject, and which codes were missing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Hit:
    """Rule ``rule_id`` found subject ``subject`` lacking ``missing`` (empty for prohibitions)."""

    rule_id: str
    subject: str
    missing: frozenset[str]
