"""The change in findings between two checks: gaps introduced, resolved and changed.

Findings are matched by fingerprint (municipality, rule, subject kind, subject id — never the line).
The old plan's fingerprints are recomputed under the new plan's municipality and ids (through the
:class:`IdMap`), so re-identifying a party or correcting the municipality's name does not make every
gap look new. A gap present in both whose missing measures or severity differ is *changed*, not
introduced.
"""

from __future__ import annotations

from safeguard_check.diff.fields import IdMap
from safeguard_check.diff.model import FindingDelta
from safeguard_check.findings.build import fingerprint
from safeguard_check.findings.model import CheckResult, Finding

_SUBJECT_KINDS = {"party", "transfer", "terminal", "contract"}


def diff_findings(old: CheckResult, new: CheckResult, ids: IdMap) -> tuple[tuple[FindingDelta, ...], int]:
    """The finding deltas (sorted) and how many gaps are the same in both."""
    subject = ids.forward("subject")

    def old_key(f: Finding) -> str:
        sid = subject(f.subject_id) if f.subject_kind in _SUBJECT_KINDS else f.subject_id
        return fingerprint(new.municipality, f.rule_id, f.subject_kind, sid)

    def new_key(f: Finding) -> str:
        return fingerprint(new.municipality, f.rule_id, f.subject_kind, f.subject_id)

    before = {old_key(f): f for f in old.findings if f.status == "open"}
    after = {new_key(f): f for f in new.findings if f.status == "open"}
    out: list[FindingDelta] = []
    unchanged = 0
    for key, f in after.items():
        prev = before.get(key)
        if prev is None:
            out.append(_delta("introduced", f))
            continue
        was = {m.code for m in prev.missing}
        now = {m.code for m in f.missing}
        if was == now and prev.severity == f.severity:
            unchanged += 1
            continue
        out.append(
            _delta(
                "changed",
                f,
                old_severity=prev.severity if prev.severity != f.severity else None,
                missing_added=tuple(sorted(now - was)),
                missing_removed=tuple(sorted(was - now)),
            )
        )
    for key, f in before.items():
        if key not in after:
            out.append(_delta("resolved", f))
    return tuple(sorted(out, key=FindingDelta.sort_key)), unchanged


def _delta(status: str, f: Finding, **extra: object) -> FindingDelta:
    return FindingDelta.model_validate(
        {
            "status": status,
            "fingerprint": f.fingerprint,
            "rule_id": f.rule_id,
            "title": f.title,
            "severity": f.severity,
            "subject_kind": f.subject_kind,
            "subject_id": f.subject_id,
            "subject_name": f.subject_name,
            "party_id": f.party_id,
            "missing": f.missing,
            "missing_mode": f.missing_mode,
            "requirements": f.requirements,
            "file": f.file,
            "line": f.line,
            **extra,
        }
    )
