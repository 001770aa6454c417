"""The facts builder as it was before it was made faster (commit bb5af4a), kept as the oracle.

``tests/facts/test_equivalence.py`` checks that :func:`safeguard_check.facts.build.build_facts`
builds exactly these facts (same subjects, values, flags and codes, in the same order). Do not
"fix" this copy: it is the reference the fast builder is compared against.
"""

from __future__ import annotations

from collections.abc import Sequence

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.facts.build import Fact, Subject
from safeguard_check.facts.legal_status import legal_status
from safeguard_check.leakguard import LeakHit
from safeguard_check.load.tree import Path
from safeguard_check.model.declaration import Declaration, Party
from safeguard_check.model.rule import SubjectKind

# The oracle shares no logic with the builder it checks: the chain walk and the two tables below are
# written here again from the law and the vocabulary, not imported from ``facts.build`` (a defect
# there must make the equivalence test fail). Only the data types ``Fact``/``Subject`` are shared,
# because the comparison is between values of those types, and ``legal_status`` — a separate module
# with its own hand-written expectations in ``test_legal_status.py``.

# 告示 (令和2年第159号) 多要素認証: 知識・所持・生体 — the three kinds of authentication factor.
_KIND_OF_FACTOR = {
    "password": "知識",
    "operator_card": "所持",
    "ic_card": "所持",
    "vein": "生体",
    "other_biometric": "生体",
}
# Transfer methods that run over a closed network rather than the internet or media.
_CLOSED_NETWORK_METHODS = ("jukinet", "dedicated_line", "lgwan")


def _first_delegator(party: Party, parties: dict[str, Party], depth: int = 0) -> str | None:
    """Who made the first 委託 above ``party`` (番号法第10条: the one whose 許諾 a 再委託 needs).

    Recursive on purpose (the builder loops); a chain longer than the declaration is a cycle.
    """
    if party.received_from is None or depth > len(parties):
        return None
    upstream = parties.get(party.received_from)
    if upstream is None or upstream.id == party.id:
        return None
    if upstream.role in ("principal", "delegate"):
        return upstream.id
    return _first_delegator(upstream, parties, depth + 1)


def _without_unknown(values: dict[str, str | None]) -> dict[str, str]:
    """An unknown legal status is the value ``unknown`` (never a guess, never left out)."""
    return {key: "unknown" if value is None else value for key, value in values.items()}


def reference_facts(decl: Declaration, leaks: Sequence[LeakHit] = ()) -> list[Fact]:
    """One fact per subject of ``decl``, in declaration order, then one per leak (``LoadedPlan.leaks``)."""
    vocab = vocabulary()
    parties = {p.id: p for p in decl.parties}
    applied: dict[str, set[str]] = {}  # subject id → codes of measures that apply to it
    implemented: dict[str, set[str]] = {p.id: set() for p in decl.parties}
    for measure in decl.measures:
        for pid in measure.implemented_by:
            implemented[pid].update(measure.codes)
            applied.setdefault(pid, set()).update(measure.codes)
        for sid in measure.covers:
            applied.setdefault(sid, set()).update(measure.codes)

    network_parties: set[str] = set()
    for tr in decl.transfers:
        channel = tr.channel or vocab.transfer_methods[tr.method].channel
        if channel == "network":
            network_parties.update((tr.from_party, tr.to_party))

    contracted: set[tuple[str, str]] = {(c.client, x) for c in decl.contracts for x in c.contractors}
    facts: list[Fact] = []
    order = 0

    def subject(kind: SubjectKind, ident: str, name: str, path: Path, party: str) -> Subject:
        nonlocal order
        order += 1
        return Subject(kind, ident, name, path, party, order)

    facts.append(
        Fact(
            subject("plan", "plan", decl.plan.title, ("plan",), next(p.id for p in decl.parties)),
            one={
                "report_type": decl.plan.report_type,
                "legal_basis_kind": decl.plan.legal_basis.kind if decl.plan.legal_basis else "none",
            },
        )
    )
    for index, party in enumerate(decl.parties):
        codes = set(applied.get(party.id, set()))
        upstream = parties.get(party.received_from) if party.received_from else None
        if party.role == "subcontractor":
            origin = _first_delegator(party, parties)
            if party.permission is not None and origin is not None and party.permission.granted_by == origin:
                codes.add("delegation.permission_recorded")
        if upstream is not None and (upstream.id, party.id) in contracted:
            codes.add("contract.declared")
        facts.append(
            Fact(
                subject("party", party.id, party.name, ("parties", index), party.id),
                one=_without_unknown(
                    {
                        "role": party.role,
                        "upstream_role": upstream.role if upstream else "none",
                        "legal_status": legal_status(party).status,
                        "upstream_legal_status": legal_status(upstream).status if upstream else "none",
                    }
                ),
                many={"task": frozenset(party.tasks)},
                flags={"network_endpoint": party.id in network_parties},
                codes=frozenset(codes),
            )
        )
    for index, tr in enumerate(decl.transfers):
        channel = tr.channel or vocab.transfer_methods[tr.method].channel
        codes = (implemented[tr.from_party] | applied.get(tr.id, set())) - {"transfer.encryption"}
        if tr.encrypted:
            codes.add("transfer.encryption")
        if tr.method in _CLOSED_NETWORK_METHODS:
            codes.add("network.dedicated_line")
        sender, recipient = parties[tr.from_party], parties[tr.to_party]
        facts.append(
            Fact(
                subject(
                    "transfer",
                    tr.id,
                    f"{sender.short_name or sender.name} → {recipient.short_name or recipient.name}",
                    ("transfers", index),
                    tr.from_party,
                ),
                one={
                    "method": tr.method,
                    "method_not": tr.method,
                    "channel": channel,
                    "from_role": sender.role,
                    "to_role": recipient.role,
                },
                flags={"specific_personal_info": tr.specific_personal_info},
                codes=frozenset(codes),
            )
        )
    for index, term in enumerate(decl.terminals):
        owner = parties[term.owner]
        inherited = implemented[term.owner] | applied.get(term.id, set())
        codes = {c for c in inherited if not c.startswith("terminal.auth.")}
        factors = set(term.auth_factors)
        for factor in factors:
            code = vocab.auth_factors[factor].code
            if code:
                codes.add(code)
        if {"user_id", "password"} <= factors:
            codes.add("terminal.auth.id_password")
        if len({_KIND_OF_FACTOR[f] for f in factors if f in _KIND_OF_FACTOR}) >= 2:
            codes.add("terminal.auth.multi_factor")
        facts.append(
            Fact(
                subject(
                    "terminal",
                    term.id,
                    f"{owner.short_name or owner.name}: {vocab.label('systems', term.system, 'ja')}",
                    ("terminals", index),
                    term.owner,
                ),
                one={"system": term.system, "owner_role": owner.role},
                many={"owner_task": frozenset(owner.tasks)},
                codes=frozenset(codes),
            )
        )
    for index, contract in enumerate(decl.contracts):
        client = parties[contract.client]
        facts.append(
            Fact(
                subject("contract", contract.id, contract.id, ("contracts", index), contract.client),
                one=_without_unknown({"client_role": client.role, "client_legal_status": legal_status(client).status}),
                many={"contractor_role": frozenset(parties[x].role for x in contract.contractors)},
                codes=frozenset(c.code for c in contract.clauses if c.code),
            )
        )
    author = decl.parties[0].id  # the plan's author (the principal), as for the plan fact
    for index, hit in enumerate(leaks, start=1):
        order += 1
        where = Subject("document", f"mynumber-{index}", hit.label, (), author, order, hit.line)
        facts.append(Fact(where, one={"content": "individual_number"}))
    return facts
