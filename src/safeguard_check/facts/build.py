"""Turn a declaration into one flat fact per subject.

One flat fact per subject, with one attribute per present measure code, is the encoding that
durable-rules evaluates correctly (DESIGN §4: negation across facts gave false gaps). Everything a
rule may ask about a subject — its role, its tasks, the measures that apply to it — is computed here,
once, so that both engines see exactly the same thing.

Which measures apply to a subject:
- a party: the measures it implements, and those that name it in ``covers``;
- a terminal: its owner's measures and those covering it; authentication codes come only from the
  terminal's declared ``auth_factors`` (a sentence elsewhere must not vouch for a factor the
  terminal does not have);
- a transfer: its sender's measures and those covering it; ``transfer.encryption`` comes only from
  the transfer's ``encrypted`` flag, and a dedicated-line method evidences ``network.dedicated_line``;
- a contract: its clauses;
- a document fact (one per individual number the leak guard found in the file's text) carries no
  measures; ``content: individual_number`` is itself the gap (rule ``SGC-LEAK-MYNUMBER``).
A party's legal status (``legal_status``, ``upstream_legal_status``; a contract's
``client_legal_status``) is the declared one or the one its name states (facts/legal_status.py), else
``unknown``: the stricter 行政機関等 rules never apply on a guess, the common duties still do.
Derived codes (``delegation.*``, ``contract.declared``, ``terminal.auth.multi_factor``) are computed
from structure, never declared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.facts.legal_status import legal_status
from safeguard_check.leakguard import LeakHit
from safeguard_check.load.tree import Path
from safeguard_check.model.chain import ascend
from safeguard_check.model.declaration import Declaration, Party
from safeguard_check.model.rule import SubjectKind

# Authentication factor → which kind of factor it is, for multi-factor detection.
_FACTOR_KIND = {
    "password": "knowledge",
    "operator_card": "possession",
    "ic_card": "possession",
    "vein": "inherence",
    "other_biometric": "inherence",
}
_DEDICATED_METHODS = frozenset({"jukinet", "dedicated_line", "lgwan"})


class Subject(NamedTuple):
    """What a fact is about, and where it stands in the declaration.

    Subjects and facts are named tuples rather than frozen dataclasses: a batch builds about thirty
    per plan, and a frozen dataclass sets each field through ``object.__setattr__`` (building both
    took ≈ 4.7 µs per fact instead of ≈ 1.6 µs). They are immutable either way.
    """

    kind: SubjectKind
    id: str
    name: str
    path: Path
    party: str  # the party the subject belongs to, for grouping along the chain
    order: int  # position in the declaration, for stable ordering
    line: int | None = None  # where it stands, for subjects that are not a path of the declaration


FactKey = tuple[
    str,
    tuple[tuple[str, str], ...],
    tuple[tuple[str, frozenset[str]], ...],
    tuple[tuple[str, bool], ...],
    frozenset[str],
]
"""A fact's content without its subject's identity: everything a rule can read."""


class _FactFields(NamedTuple):
    subject: Subject
    one: Mapping[str, str] = MappingProxyType({})
    many: Mapping[str, frozenset[str]] = MappingProxyType({})
    flags: Mapping[str, bool] = MappingProxyType({})
    codes: frozenset[str] = frozenset()


class Fact(_FactFields):
    """Attributes of one subject: single values, sets of values, booleans, and present codes."""

    @property
    def key(self) -> FactKey:
        """The content rules read (kind, values, flags, codes), not the subject's id, name or place.

        Two facts with equal keys get the same result from every rule, which lets the engine evaluate
        each distinct content once (engine/durable.py). Items are kept in insertion order, which
        build_facts fixes per kind: equal keys always mean equal content, and the same content built
        in another order only costs a second evaluation, never a wrong result.
        """
        # Computed on first use and kept in the instance dict (the fields, a tuple, are not touched).
        # Not functools.cached_property: on Python 3.11 it takes a lock on every access, which cost
        # more than building the key (each fact's key is read several times per check).
        known = self.__dict__.get("_key")
        if known is None:
            known = self.__dict__["_key"] = (
                self.subject.kind,
                tuple(self.one.items()),
                tuple(self.many.items()),
                tuple(self.flags.items()),
                self.codes,
            )
        return known


def original_principal(party: Party, parties: Mapping[str, Party]) -> str | None:
    """The party that made the first 委託 above ``party`` (the ward, or the delegate after a 委任).

    番号法第10条 requires a 再委託 at any depth to be permitted by this party. None when the chain
    reaches no such party (broken or circular chains are refused by validation before facts are built).
    """
    return next((p.id for p in ascend(party, parties).upstream if p.role in ("principal", "delegate")), None)


def build_facts(decl: Declaration, leaks: Sequence[LeakHit] = ()) -> list[Fact]:
    """One fact per subject of ``decl``, in declaration order, then one per leak (``LoadedPlan.leaks``).

    This runs once per plan of a batch, so it is written for speed: measures are grouped by party and
    by covered subject in one pass, and what several subjects of one party share (its codes without
    the terminal authentication codes, its name) is computed once. ``tests/facts/reference_facts.py``
    keeps the straightforward version it must agree with.
    """
    vocab = vocabulary()
    methods = vocab.transfer_methods
    parties = {p.id: p for p in decl.parties}
    # Codes of the measures a party implements, and of those naming a subject in ``covers``; what
    # applies to a subject is the union of both under its id.
    implemented: dict[str, set[str]] = {pid: set() for pid in parties}
    covered: dict[str, set[str]] = {}
    for measure in decl.measures:
        measure_codes = measure.codes
        if not measure_codes:
            continue
        for pid in measure.implemented_by:
            implemented[pid].update(measure_codes)
        for sid in measure.covers:
            into = covered.get(sid)
            if into is None:
                covered[sid] = set(measure_codes)
            else:
                into.update(measure_codes)
    no_codes: set[str] = set()  # only ever an operand of `|`, which makes a new set

    def applied(ident: str) -> set[str]:
        return implemented.get(ident, no_codes) | covered.get(ident, no_codes)

    channels = [tr.channel or methods[tr.method].channel for tr in decl.transfers]
    network_parties: set[str] = set()
    for tr, channel in zip(decl.transfers, channels, strict=True):
        if channel == "network":
            network_parties.add(tr.from_party)
            network_parties.add(tr.to_party)

    contracted: set[tuple[str, str]] = {(c.client, x) for c in decl.contracts for x in c.contractors}
    # A status neither declared nor stated by the name is the value ``unknown``, not a guess: rules that
    # need the stricter 行政機関等 regime do not apply on it, but the common duties (事業者編, 個情法第25条,
    # 番号法第11条) do, so a contract whose client's status is unknown is still checked, never skipped.
    status = {pid: legal_status(p).status or "unknown" for pid, p in parties.items()}
    short = {pid: p.short_name or p.name for pid, p in parties.items()}
    facts: list[Fact] = []
    append = facts.append
    order = 0

    first_party = decl.parties[0].id
    order += 1
    append(
        Fact(
            Subject("plan", "plan", decl.plan.title, ("plan",), first_party, order),
            one={
                "report_type": decl.plan.report_type,
                "legal_basis_kind": decl.plan.legal_basis.kind if decl.plan.legal_basis else "none",
            },
        )
    )
    for index, party in enumerate(decl.parties):
        codes = applied(party.id)
        upstream = parties.get(party.received_from) if party.received_from else None
        if party.role == "subcontractor":
            origin = original_principal(party, parties)
            if party.permission is not None and origin is not None and party.permission.granted_by == origin:
                codes.add("delegation.permission_recorded")
        if upstream is not None and (upstream.id, party.id) in contracted:
            codes.add("contract.declared")
        order += 1
        one: dict[str, str] = {"role": party.role, "upstream_role": upstream.role if upstream else "none"}
        one["legal_status"] = status[party.id]
        one["upstream_legal_status"] = status[upstream.id] if upstream is not None else "none"
        append(
            Fact(
                Subject("party", party.id, party.name, ("parties", index), party.id, order),
                one=one,
                many={"task": frozenset(party.tasks)},
                flags={"network_endpoint": party.id in network_parties},
                codes=frozenset(codes),
            )
        )
    for index, tr in enumerate(decl.transfers):
        sender, recipient = parties[tr.from_party], parties[tr.to_party]
        codes = implemented[tr.from_party] | applied(tr.id)
        codes.discard("transfer.encryption")
        if tr.encrypted:
            codes.add("transfer.encryption")
        if tr.method in _DEDICATED_METHODS:
            codes.add("network.dedicated_line")
        order += 1
        append(
            Fact(
                Subject(
                    "transfer",
                    tr.id,
                    f"{short[tr.from_party]} → {short[tr.to_party]}",
                    ("transfers", index),
                    tr.from_party,
                    order,
                ),
                one={
                    "method": tr.method,
                    "method_not": tr.method,
                    "channel": channels[index],
                    "from_role": sender.role,
                    "to_role": recipient.role,
                },
                flags={"specific_personal_info": tr.specific_personal_info},
                codes=frozenset(codes),
            )
        )
    # A terminal inherits its owner's codes except authentication ones (only its declared factors
    # count); owners usually have several terminals, so each owner's filtered set is made once.
    without_auth: dict[str, frozenset[str]] = {}
    system_label: dict[str, str] = {}
    factor_codes = {name: entry.code for name, entry in vocab.auth_factors.items()}
    for index, term in enumerate(decl.terminals):
        owner = parties[term.owner]
        base = without_auth.get(term.owner)
        if base is None:
            base = without_auth[term.owner] = frozenset(
                c for c in implemented[term.owner] if not c.startswith("terminal.auth.")
            )
        extra = applied(term.id)
        codes = set(base)
        if extra:
            codes.update(c for c in extra if not c.startswith("terminal.auth."))
        factors = set(term.auth_factors)
        for factor in factors:
            code = factor_codes[factor]
            if code:
                codes.add(code)
        if {"user_id", "password"} <= factors:
            codes.add("terminal.auth.id_password")
        if len({_FACTOR_KIND[f] for f in factors if f in _FACTOR_KIND}) >= 2:
            codes.add("terminal.auth.multi_factor")
        label = system_label.get(term.system)
        if label is None:
            label = system_label[term.system] = vocab.label("systems", term.system, "ja")
        order += 1
        append(
            Fact(
                Subject("terminal", term.id, f"{short[term.owner]}: {label}", ("terminals", index), term.owner, order),
                one={"system": term.system, "owner_role": owner.role},
                many={"owner_task": frozenset(owner.tasks)},
                codes=frozenset(codes),
            )
        )
    for index, contract in enumerate(decl.contracts):
        client = parties[contract.client]
        order += 1
        contract_one: dict[str, str] = {"client_role": client.role}
        contract_one["client_legal_status"] = status[client.id]
        append(
            Fact(
                Subject("contract", contract.id, contract.id, ("contracts", index), contract.client, order),
                one=contract_one,
                many={"contractor_role": frozenset(parties[x].role for x in contract.contractors)},
                codes=frozenset(c.code for c in contract.clauses if c.code),
            )
        )
    author = first_party  # the plan's author (the principal), as for the plan fact
    for index, hit in enumerate(leaks, start=1):
        order += 1
        where = Subject("document", f"mynumber-{index}", hit.label, (), author, order, hit.line)
        append(Fact(where, one={"content": "individual_number"}))
    return facts
