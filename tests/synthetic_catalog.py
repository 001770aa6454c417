"""A small catalogue whose requirements cover every basis kind the caps and profiles distinguish.

Built in a temporary directory so tests of caps, profiles and ``explain`` do not depend on the legal
content of ``baselines/`` (which legal staff revise), only on the engine's contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# (id, basis_kind override or None, verification). The instrument is an act (basis: law).
REQUIREMENTS: tuple[tuple[str, str | None, str], ...] = (
    ("T-LAW", None, "official_text"),
    ("T-LAW-SECONDARY", None, "secondary_source"),
    ("T-NOTICE", "notice", "unverified"),
    ("T-GUIDELINE", "guideline", "official_text"),
    ("T-PRACTICE", "practice", "official_text"),
)

# (id, severity, implements). Every rule fires on the principal of tests/data/minimal.yaml, which
# declares no firewall.
RULES: tuple[tuple[str, str, list[str]], ...] = (
    ("R-LAW", "critical", ["T-PRACTICE", "T-LAW"]),
    ("R-NOTICE", "critical", ["T-NOTICE"]),
    ("R-GUIDELINE", "critical", ["T-NOTICE", "T-GUIDELINE"]),
    ("R-PRACTICE", "high", ["T-PRACTICE"]),
    ("R-LOW", "low", ["T-LAW"]),
    ("R-SECONDARY", "critical", ["T-LAW-SECONDARY"]),
)


def _requirement(rid: str, basis: str | None, verification: str) -> dict[str, Any]:
    req: dict[str, Any] = {
        "id": rid,
        "title": {"ja": f"{rid}の題", "en": f"{rid} title"},
        "citation": {"article": "1", "label": {"ja": f"{rid}条", "en": f"{rid} art."}},
        "quote": f"{rid}の本文",
        "gist": {"ja": "要旨", "en": "gist"},
        "effective_from": "2015-01-01",
        "effective_until": None,
        "verification": verification,
        "verification_note": "synthetic",
        "source": "S1",
        "machine_checkable": True,
    }
    if basis is not None:
        req["basis_kind"] = basis
    return req


def _rule(rid: str, severity: str, implements: list[str]) -> dict[str, Any]:
    return {
        "id": rid,
        "title": {"ja": f"{rid}題", "en": f"{rid} title"},
        "implements": implements,
        "subject": "party",
        "when": {"role": ["principal"]},
        "require": {"all_of": ["network.firewall"]},
        "severity": severity,
        "message": {"ja": "ファイアウォールの記載がない", "en": "no firewall"},
        "remediation": {"ja": "記載する", "en": "state it"},
    }


def write_catalog(root: Path, *, editions: list[dict[str, Any]] | None = None) -> tuple[Path, Path]:
    """Write the catalogue under ``root``; ``editions`` (if given) replace T-LAW's default edition."""
    baselines, rules = root / "baselines", root / "rules"
    baselines.mkdir(parents=True)
    rules.mkdir(parents=True)
    requirements = [_requirement(*r) for r in REQUIREMENTS]
    if editions is not None:
        requirements[0]["editions"] = editions
    data = {
        "schema_version": 1,
        "instrument": {
            "id": "test-act",
            "kind": "act",
            "title": {"ja": "試験法", "en": "Test Act"},
            "short": {"ja": "試験法", "en": "Test Act"},
            "version_note": {"ja": "合成", "en": "synthetic"},
            "sources": [{"id": "S1", "description": "one"}, {"id": "S2", "description": "two"}],
        },
        "requirements": requirements,
    }
    (baselines / "test-act.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rule_data = {"schema_version": 1, "rules": [_rule(*r) for r in RULES]}
    (rules / "test.yaml").write_text(yaml.safe_dump(rule_data, allow_unicode=True), encoding="utf-8")
    return baselines, rules
