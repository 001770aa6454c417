"""Accepted-risk waivers: load a waivers file against the catalogue and apply it to check results.

Typical use (what ``check --waivers FILE`` does)::

    waivers = load_waivers(path, catalog)          # InputError (exit 2) on any problem
    result = apply_waivers(result, waivers, date.today())
"""

from __future__ import annotations

from safeguard_check.waivers.apply import apply_waivers, recompute_coverage
from safeguard_check.waivers.load import load_waivers, parse_waivers
from safeguard_check.waivers.model import WILDCARD, Waiver, WaiverEntry, WaiverFile, WaiverSet

__all__ = [
    "WILDCARD",
    "Waiver",
    "WaiverEntry",
    "WaiverFile",
    "WaiverSet",
    "apply_waivers",
    "load_waivers",
    "parse_waivers",
    "recompute_coverage",
]
