"""Checks that need the whole plan: ids, references between parts, and the shape of the chain.

Each problem is an :class:`InputIssue` carrying the path of the offending value; the loader turns
the path into a file position.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard_check.data.vocabulary import suggest
from safeguard_check.errors import InputIssue, format_path
from safeguard_check.load.tree import Path
from safeguard_check.messages import Msg
from safeguard_check.model.chain import ascend
from safeguard_check.model.declaration import Declaration, Party

# Who may hand work to whom (番号法: 委任 by the ward; 委託 by the ward or its delegate; 再委託 below).
ALLOWED_UPSTREAM: dict[str, tuple[str, ...]] = {
    "delegate": ("principal",),
    "contractor": ("principal", "delegate"),
    "subcontractor": ("contractor", "subcontractor"),
}


def check_references(decl: Declaration, file: str) -> list[InputIssue]:
    """Every cross-reference problem in ``decl``, located by path (not yet by line)."""
    return list(_check(decl, file))


def _issue(file: str, key: str, path: Path, suggestions: list[str] | None = None, **params: object) -> InputIssue:
    return InputIssue(file, None, None, key, dict(params), path, suggestions=tuple(suggestions or ()))


def _check(decl: Declaration, file: str) -> Iterator[InputIssue]:
    # Subjects share one namespace: a measure's `covers` may name any of them.
    first: dict[str, Path] = {}
    subject_lists: list[tuple[str, list[str]]] = [
        ("parties", [p.id for p in decl.parties]),
        ("transfers", [t.id for t in decl.transfers]),
        ("terminals", [t.id for t in decl.terminals]),
        ("contracts", [c.id for c in decl.contracts]),
    ]
    for section, ids in subject_lists:
        for index, ident in enumerate(ids):
            path: Path = (section, index, "id")
            if ident in first:
                yield _issue(file, "ref.duplicate_id", path, ref=ident, first=format_path(first[ident]))
            else:
                first[ident] = path
    for section, items in (
        ("sheets", [s.id for s in decl.sheets]),
        ("data_items", [d.id for d in decl.data_items]),
        ("media", [m.id for m in decl.media]),
        ("measures", [m.id for m in decl.measures if m.id is not None]),
    ):
        seen: dict[str, int] = {}
        for index, ident in enumerate(items):
            if ident in seen:
                yield _issue(
                    file,
                    "ref.duplicate_id",
                    (section, index, "id"),
                    ref=ident,
                    first=format_path((section, seen[ident], "id")),
                )
            seen.setdefault(ident, index)

    parties = {p.id: p for p in decl.parties}
    party_ids = sorted(parties)
    subjects = sorted(first)
    sheets = sorted(s.id for s in decl.sheets)
    data_items = sorted(d.id for d in decl.data_items)
    media = sorted(m.id for m in decl.media)

    def party_ref(ref: str | None, path: Path) -> Iterator[InputIssue]:
        if ref is not None and ref not in parties:
            yield _issue(file, "ref.unknown_party", path, suggest(ref, party_ids), ref=ref)

    known_sets: dict[int, frozenset[str]] = {}

    def refs(values: list[str], known: list[str], key: str, path: Path) -> Iterator[InputIssue]:
        # Membership through a set: plans with thousands of parties must not check in O(n²).
        members = known_sets.setdefault(id(known), frozenset(known))
        for index, ref in enumerate(values):
            if ref not in members:
                yield _issue(file, key, (*path, index), suggest(ref, known), ref=ref)

    for s_index, sheet in enumerate(decl.sheets):
        yield from refs(sheet.data_items, data_items, "ref.unknown_data_item", ("sheets", s_index, "data_items"))
        yield from refs(sheet.media, media, "ref.unknown_medium", ("sheets", s_index, "media"))

    # With a duplicated party id the chain is ambiguous; its checks would only add confusing echoes.
    if len(parties) == len(decl.parties):
        yield from _check_chain(decl, file, parties)
    for index, party in enumerate(decl.parties):
        if party.sheet is not None and party.sheet not in sheets:
            yield _issue(
                file,
                "ref.unknown_sheet",
                ("parties", index, "sheet"),
                suggest(party.sheet, sheets),
                ref=party.sheet,
            )
        if party.permission is not None:
            yield from party_ref(party.permission.granted_by, ("parties", index, "permission", "granted_by"))

    for index, transfer in enumerate(decl.transfers):
        yield from party_ref(transfer.from_party, ("transfers", index, "from"))
        yield from party_ref(transfer.to_party, ("transfers", index, "to"))
        if transfer.from_party == transfer.to_party:
            yield _issue(file, "ref.self_transfer", ("transfers", index, "to"))
        yield from refs(transfer.data_items, data_items, "ref.unknown_data_item", ("transfers", index, "data_items"))
    for index, terminal in enumerate(decl.terminals):
        yield from party_ref(terminal.owner, ("terminals", index, "owner"))
    for index, measure in enumerate(decl.measures):
        yield from refs(measure.implemented_by, party_ids, "ref.unknown_party", ("measures", index, "implemented_by"))
        yield from party_ref(measure.imposed_by, ("measures", index, "imposed_by"))
        yield from refs(measure.covers, subjects, "ref.unknown_subject", ("measures", index, "covers"))
        if measure.source and measure.source.sheet is not None and measure.source.sheet not in sheets:
            yield _issue(
                file,
                "ref.unknown_sheet",
                ("measures", index, "source", "sheet"),
                suggest(measure.source.sheet, sheets),
                ref=measure.source.sheet,
            )
    for index, contract in enumerate(decl.contracts):
        yield from party_ref(contract.client, ("contracts", index, "client"))
        yield from refs(contract.contractors, party_ids, "ref.unknown_party", ("contracts", index, "contractors"))


def _check_chain(decl: Declaration, file: str, parties: dict[str, Party]) -> Iterator[InputIssue]:
    if not any(p.role == "principal" for p in decl.parties):
        yield _issue(file, "ref.no_principal", ("parties",))
    index_of = {p.id: i for i, p in enumerate(decl.parties)}
    for index, party in enumerate(decl.parties):
        path: Path = ("parties", index, "received_from")
        if party.role == "principal":
            if party.received_from is not None:
                yield _issue(file, "ref.principal_upstream", path)
            continue
        if party.received_from is None:
            yield _issue(file, "ref.missing_upstream", ("parties", index, "role"), role=Msg(f"cli.role.{party.role}"))
            continue
        upstream = parties.get(party.received_from)
        if upstream is None:
            yield _issue(
                file,
                "ref.unknown_party",
                path,
                suggest(party.received_from, sorted(parties)),
                ref=party.received_from,
            )
            continue
        allowed = ALLOWED_UPSTREAM[party.role]
        if upstream.role not in allowed:
            yield _issue(
                file,
                "ref.bad_upstream_role",
                path,
                role=Msg(f"cli.role.{party.role}"),
                allowed=tuple(Msg(f"cli.role.{role}") for role in allowed),
                found=f"{upstream.id} ({upstream.role})",
            )
    # A cycle can hide behind valid roles (two subcontractors naming each other).
    reported: set[str] = set()
    for party in decl.parties:
        cycle = ascend(party, parties).cycle
        if cycle is not None and min(cycle) not in reported:
            reported.add(min(cycle))
            yield _issue(
                file,
                "ref.cycle",
                ("parties", index_of[party.id], "received_from"),
                chain=" → ".join(cycle),
            )
