"""Hypothesis strategies for valid declarations.

``declarations()`` builds :class:`Declaration` objects that pass every check of the loader: a valid
delegation chain (one principal, an optional delegate, contractors under the principal or the
delegate, subcontractors under a contractor or another subcontractor, so at depth 2 or more, some
with a recorded permission), and transfers, terminals, measures and contracts that refer only to
existing ids. Codes come from the bundled vocabulary, dates lie between 1990 and 2040, and texts mix
Japanese, full-width and half-width forms with strings YAML would misread if they were not quoted.

Import it as ``from strategies import declarations`` (``tests/`` is on ``sys.path`` under pytest) or
``from tests.strategies import declarations`` when the checkout is the working directory.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.load.normalize import normalize_text
from safeguard_check.model.declaration import Declaration

__all__ = ["HOSTILE_TEXTS", "declarations", "idents", "texts"]

_VOCAB = vocabulary()
MEASURE_CODES = sorted(c for c, e in _VOCAB.measures.items() if not e.derived)
TASK_CODES = sorted(_VOCAB.tasks)
SYSTEM_CODES = sorted(_VOCAB.systems)
AUTH_FACTORS = sorted(_VOCAB.auth_factors)
METHOD_CODES = sorted(_VOCAB.transfer_methods)

HOSTILE_TEXTS = (
    # YAML 1.1 would read these as booleans, nulls, numbers, dates or syntax if written plainly.
    "yes", "No", "on", "OFF", "y", "true", "null", "~", "1.0", "1", "0120", "1_000", "0x1F", "1e3",
    ".inf", ".NaN", "12:30", "2020-05-25", "2020-05-25 10:00:00", "<<", "=", "- x", "#", "# x", ": ",
    "a: b", "a #b", "[a]", "{a: b}", "*x", "&x", "!x", "!!python/object:os.system", "'", '"', "|", ">",
    "%YAML", "@", "`", "---", "...", "? x", "\\", "a\nb", "\nx\n", "x\n\n\ny", "a\tb",
    # 和暦 and Japanese text, full-width and half-width forms, CP932-only and non-BMP characters.
    "令和2年5月25日", "R2.5.25", "個人番号", "委託先", "ＩＤ", "１２３", "ｶﾞｲﾄﾞ", "㈱サンプル", "①", "㍻",
    "髙﨑", "𠮷野", "　全角空白　", "〜", "―", "株式会社エヌ・ティ・ティ・データ", "「」、。・",
)
_ALPHABET = list("abcXYZ019 -#:'\"\n\t,[]{}&*!|>%@`?個人番号カード委託先新宿区ＩＤ１２ｶﾞ㈱①㍻髙﨑　〜𠮷")

_IDENT_EDGE = (
    "yes", "no", "null", "true", "y", "1", "0", "1.0", "1e3", "0x1F", "010", "1_000", "2020-05-25",
    "_", "a.b-c", "NaN", "inf", "ward", "jlis", "x" * 80,
)

MIN_DATE = datetime.date(1990, 1, 1)
MAX_DATE = datetime.date(2040, 12, 31)


def texts() -> SearchStrategy[str]:
    """Non-empty free text (after NFKC and stripping), often YAML-hostile."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXTS),
        st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=15),
    ).filter(lambda s: normalize_text(s) != "")


def idents() -> SearchStrategy[str]:
    """Identifiers matching the model's pattern, including ones YAML would not read as strings."""
    return st.one_of(
        st.sampled_from(_IDENT_EDGE),
        st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_.\-]{0,15}\Z"),
    )


def _dates() -> SearchStrategy[datetime.date]:
    return st.dates(min_value=MIN_DATE, max_value=MAX_DATE)


def _opt(strategy: SearchStrategy[Any]) -> SearchStrategy[Any]:
    return st.none() | strategy


def _subset(values: list[str], max_size: int | None = None) -> SearchStrategy[list[str]]:
    if not values:
        return st.just([])
    return st.lists(st.sampled_from(values), unique=True, max_size=max_size)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is None (so both absent and explicit fields are exercised)."""
    if value is not None:
        target[key] = value


def _period(draw: st.DrawFn) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    _put(out, "start", draw(_opt(_dates())))
    _put(out, "end", draw(_opt(_dates())))
    _put(out, "renewal", draw(_opt(texts())))
    _put(out, "note", draw(_opt(texts())))
    return out


def _source(draw: st.DrawFn, sheets: list[str]) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    if sheets:
        _put(out, "sheet", draw(_opt(st.sampled_from(sheets))))
    _put(out, "section", draw(_opt(st.sampled_from(["principal", "delegate", "contractor", "other"]))))
    _put(out, "category", draw(_opt(st.sampled_from(["operational", "technical"]))))
    _put(out, "item", draw(_opt(texts())))
    return out


def _plan(draw: st.DrawFn) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "title": draw(texts()),
        "municipality": draw(texts()),
        "department": draw(texts()),
        "report_type": draw(st.sampled_from(["report", "consultation"])),
        "effective_date": draw(_dates()),
    }
    if draw(st.booleans()):
        plan["legal_basis"] = {
            "kind": draw(st.sampled_from(["ordinance", "act", "other"])),
            "citation": draw(texts()),
        }
    _put(plan, "period", _period(draw))
    if draw(st.booleans()):
        subjects: dict[str, Any] = {"scope": draw(texts())}
        _put(subjects, "count", draw(_opt(st.integers(min_value=0, max_value=10**9))))
        _put(subjects, "as_of", draw(_opt(_dates())))
        plan["subjects"] = subjects
    plan["registered_processing"] = draw(st.lists(texts(), max_size=2))
    for key in ("purpose", "summary", "document"):
        _put(plan, key, draw(_opt(texts())))
    plan["prior_approvals"] = draw(st.lists(texts(), max_size=2))
    plan["notes"] = draw(st.lists(texts(), max_size=2))
    return plan


def _chain(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    """Parties forming a valid chain; ``ids`` are unique and give the number of parties."""
    principal = ids[0]
    roles: dict[str, str] = {principal: "principal"}
    parties: list[dict[str, Any]] = [{"id": principal, "role": "principal"}]
    rest = ids[1:]
    if rest and draw(st.booleans()):
        delegate = rest.pop(0)
        roles[delegate] = "delegate"
        parties.append({"id": delegate, "role": "delegate", "received_from": principal})
    for ident in rest:
        contractors = [p for p, r in roles.items() if r in ("contractor", "subcontractor")]
        if contractors and draw(st.booleans()):
            party: dict[str, Any] = {
                "id": ident,
                "role": "subcontractor",
                "received_from": draw(st.sampled_from(contractors)),
            }
            if draw(st.booleans()):
                permission: dict[str, Any] = {"granted_by": draw(st.sampled_from(sorted(roles)))}
                _put(permission, "granted_on", draw(_opt(_dates())))
                _put(permission, "reference", draw(_opt(texts())))
                party["permission"] = permission
        else:
            upstream = [p for p, r in roles.items() if r in ("principal", "delegate")]
            party = {"id": ident, "role": "contractor", "received_from": draw(st.sampled_from(upstream))}
        roles[ident] = party["role"]
        parties.append(party)
    return parties


@st.composite
def _declaration_dicts(draw: st.DrawFn, max_parties: int) -> dict[str, Any]:
    n_parties = draw(st.integers(min_value=1, max_value=max(1, max_parties)))
    n_transfers = draw(st.integers(min_value=0, max_value=4)) if n_parties >= 2 else 0
    n_terminals = draw(st.integers(min_value=0, max_value=3))
    n_contracts = draw(st.integers(min_value=0, max_value=2))
    # Parties, transfers, terminals and contracts share one namespace of ids.
    subject_ids = draw(
        st.lists(idents(), min_size=n_parties + n_transfers + n_terminals + n_contracts, unique=True)
    )
    party_ids = subject_ids[:n_parties]
    transfer_ids = subject_ids[n_parties : n_parties + n_transfers]
    terminal_ids = subject_ids[n_parties + n_transfers : n_parties + n_transfers + n_terminals]
    contract_ids = subject_ids[n_parties + n_transfers + n_terminals :][:n_contracts]
    # Sheets, data items and media each have their own namespace.
    sheet_ids = draw(st.lists(idents(), max_size=2, unique=True))
    data_item_ids = draw(st.lists(idents(), max_size=3, unique=True))
    media_ids = draw(st.lists(idents(), max_size=2, unique=True))

    data_items = []
    for ident in data_item_ids:
        item: dict[str, Any] = {"id": ident, "name": draw(texts())}
        _put(item, "specific_personal_info", draw(_opt(st.booleans())))
        _put(item, "note", draw(_opt(texts())))
        data_items.append(item)
    media = []
    for ident in media_ids:
        medium: dict[str, Any] = {"id": ident, "name": draw(texts())}
        _put(medium, "kind", draw(_opt(st.sampled_from(["electronic", "paper"]))))
        _put(medium, "note", draw(_opt(texts())))
        media.append(medium)
    sheets = []
    for ident in sheet_ids:
        sheet: dict[str, Any] = {
            "id": ident,
            "title": draw(texts()),
            "kind": draw(st.sampled_from(["delegation", "outsourcing", "subcontracting"])),
            "tasks": draw(_subset(TASK_CODES)),
            "data_items": draw(_subset(data_item_ids)),
            "media": draw(_subset(media_ids)),
            "notes": draw(st.lists(texts(), max_size=2)),
        }
        for key in ("heading", "changes_note", "reason", "content_intro", "data_scope", "data_items_note"):
            _put(sheet, key, draw(_opt(texts())))
        _put(sheet, "period", _period(draw))
        sheets.append(sheet)

    parties = _chain(draw, party_ids)
    for party in parties:
        party["name"] = draw(texts())
        party["tasks"] = draw(_subset(TASK_CODES))
        for key in ("short_name", "tasks_note", "legal_basis", "department", "note"):
            _put(party, key, draw(_opt(texts())))
        _put(party, "since", draw(_opt(_dates())))
        if sheet_ids:
            _put(party, "sheet", draw(_opt(st.sampled_from(sheet_ids))))
    parties = draw(st.permutations(parties))  # references are by id, so the order is free

    transfers = []
    for ident in transfer_ids:
        ends = draw(st.lists(st.sampled_from(party_ids), min_size=2, max_size=2, unique=True))
        transfer: dict[str, Any] = {
            "id": ident,
            "from": ends[0],
            "to": ends[1],
            "method": draw(st.sampled_from(METHOD_CODES)),
            "encrypted": draw(st.booleans()),
            "data_items": draw(_subset(data_item_ids)),
        }
        _put(transfer, "channel", draw(_opt(st.sampled_from(["network", "media", "postal", "other"]))))
        _put(transfer, "specific_personal_info", draw(_opt(st.booleans())))
        _put(transfer, "note", draw(_opt(texts())))
        _put(transfer, "source", _source(draw, sheet_ids))
        transfers.append(transfer)

    terminals = []
    for ident in terminal_ids:
        terminal: dict[str, Any] = {
            "id": ident,
            "owner": draw(st.sampled_from(party_ids)),
            "system": draw(st.sampled_from(SYSTEM_CODES)),
            "auth_factors": draw(_subset(AUTH_FACTORS)),
        }
        _put(terminal, "users", draw(_opt(texts())))
        _put(terminal, "note", draw(_opt(texts())))
        _put(terminal, "source", _source(draw, sheet_ids))
        terminals.append(terminal)

    contracts = []
    for ident in contract_ids:
        clauses = []
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            clause: dict[str, Any] = {"text": draw(texts())}
            _put(clause, "code", draw(_opt(st.sampled_from(MEASURE_CODES))))
            clauses.append(clause)
        contract: dict[str, Any] = {
            "id": ident,
            "client": draw(st.sampled_from(party_ids)),
            "contractors": draw(st.lists(st.sampled_from(party_ids), min_size=1, max_size=3, unique=True)),
            "clauses": clauses,
        }
        _put(contract, "note", draw(_opt(texts())))
        _put(contract, "source", _source(draw, sheet_ids))
        contracts.append(contract)

    measures = []
    measure_ids = draw(st.lists(idents(), max_size=6, unique=True))
    for index in range(draw(st.integers(min_value=0, max_value=6))):
        measure: dict[str, Any] = {
            # Some parties implement no measure at all, others several.
            "codes": draw(_subset(MEASURE_CODES)),
            "implemented_by": draw(st.lists(st.sampled_from(party_ids), min_size=1, max_size=3, unique=True)),
            "category": draw(st.sampled_from(["operational", "technical"])),
            "text": draw(texts()),
            "covers": draw(_subset(subject_ids[: n_parties + n_transfers + n_terminals + n_contracts], 3)),
        }
        if index < len(measure_ids) and draw(st.booleans()):
            measure["id"] = measure_ids[index]
        _put(measure, "imposed_by", draw(_opt(st.sampled_from(party_ids))))
        _put(measure, "source", _source(draw, sheet_ids))
        measures.append(measure)

    out: dict[str, Any] = {"plan": _plan(draw), "parties": parties}
    for key, value in (
        ("sheets", sheets),
        ("data_items", data_items),
        ("media", media),
        ("transfers", transfers),
        ("terminals", terminals),
        ("measures", measures),
        ("contracts", contracts),
    ):
        if value or draw(st.booleans()):
            out[key] = value
    if draw(st.booleans()):
        out["schema_version"] = 1
    return out


def declarations(max_parties: int = 6) -> SearchStrategy[Declaration]:
    """Valid :class:`Declaration` objects with up to ``max_parties`` parties (at least one)."""
    return _declaration_dicts(max_parties).map(Declaration.model_validate)
