"""Why a finding's measures count as missing: not stated, stated as not done, or not evidenced.

* ``stated_not_done``: a measure applying to the subject says the missing measure is NOT taken
  (``Measure.not_done``, 「暗号化は行わない」) — the plan itself states the gap.
* ``not_evidenced``: the plan defers to something the tool cannot read — a contract whose clause list
  is open (「以下の内容等」, ``Contract.clauses_open``) or names another document (``refers_to``), or a
  measure of the subject's party that says 「評価書のとおり」 (``Measure.refers_to``). The measure may be
  there; a person must check (要確認).
* ``absent``: nothing in the plan says anything about it.

Which measures apply to a subject follows facts/build.py: a party's own measures and those covering
it; a terminal's or a transfer's owner/sender measures and those covering it; a contract's clauses.
Codes the facts derive from structure alone (a terminal's declared authentication factors, a
transfer's ``encrypted`` flag or method, the recorded permission, the existence of a contract) cannot
be held by another document, so a reference never makes them ``not_evidenced``.
"""

from __future__ import annotations

from collections.abc import Iterable

from safeguard_check.findings.model import Evidence
from safeguard_check.model.declaration import Declaration

STRUCTURAL_CODES = frozenset(
    {"contract.declared", "delegation.permission_recorded", "transfer.encryption", "network.dedicated_line"}
)
"""Codes facts/build.py derives from the declaration's structure (plus every ``terminal.auth.*``)."""


def _referable(code: str) -> bool:
    return code not in STRUCTURAL_CODES and not code.startswith("terminal.auth.")


class EvidenceIndex:
    """Per subject (kind, id): codes stated as not done, and what an open list or reference may hold."""

    def __init__(self, decl: Declaration) -> None:
        self._not_done: dict[tuple[str, str], set[str]] = {}
        # (kind, id) → True: any referable code may be elsewhere; for contracts only contract.* codes.
        self._open: set[tuple[str, str]] = set()
        # Most plans say nothing is not done and refer to nothing: then every finding is ``absent``, and
        # the index is not built (it cost about a tenth of checking a small plan).
        if not any(m.not_done or m.refers_to is not None for m in decl.measures) and not any(
            c.clauses_open or c.refers_to is not None for c in decl.contracts
        ):
            return
        party_not_done: dict[str, set[str]] = {}
        party_refers: set[str] = set()
        covered_not_done: dict[str, set[str]] = {}
        covered_refers: set[str] = set()
        for measure in decl.measures:
            for pid in measure.implemented_by:
                party_not_done.setdefault(pid, set()).update(measure.not_done)
                if measure.refers_to is not None:
                    party_refers.add(pid)
            for sid in measure.covers:
                covered_not_done.setdefault(sid, set()).update(measure.not_done)
                if measure.refers_to is not None:
                    covered_refers.add(sid)

        def add(kind: str, ident: str, owner: str | None) -> None:
            codes = set(covered_not_done.get(ident, ()))
            if owner is not None:
                codes |= party_not_done.get(owner, set())
            if codes:
                self._not_done[(kind, ident)] = codes
            if ident in covered_refers or (owner is not None and owner in party_refers):
                self._open.add((kind, ident))

        for party in decl.parties:
            add("party", party.id, party.id)
        for transfer in decl.transfers:
            add("transfer", transfer.id, transfer.from_party)
        for terminal in decl.terminals:
            add("terminal", terminal.id, terminal.owner)
        for contract in decl.contracts:
            if contract.clauses_open or contract.refers_to is not None:
                self._open.add(("contract", contract.id))

    def evidence(self, kind: str, ident: str, missing: Iterable[str]) -> Evidence:
        """The evidence state of a finding on subject (``kind``, ``ident``) lacking ``missing``."""
        codes = set(missing)
        if not codes:
            return "absent"
        if codes & self._not_done.get((kind, ident), set()):
            return "stated_not_done"
        if (kind, ident) in self._open:
            if kind == "contract":
                if any(code.startswith("contract.") for code in codes):
                    return "not_evidenced"
            elif any(_referable(code) for code in codes):
                return "not_evidenced"
        return "absent"
