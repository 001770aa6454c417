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
from functools import lru_cache
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

# fmt: off
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
# fmt: on

MIN_DATE = datetime.date(1990, 1, 1)
MAX_DATE = datetime.date(2040, 12, 31)


def texts() -> SearchStrategy[str]:
    """Non-empty free text (after NFKC and stripping), often YAML-hostile."""
    return _TEXTS


def idents() -> SearchStrategy[str]:
    """Identifiers matching the model's pattern, including ones YAML would not read as strings."""
    return _IDENTS


# Strategies are built once: building one per draw made hypothesis re-validate it every time.
_TEXTS: SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=15),
).filter(lambda s: normalize_text(s) != "")
_IDENTS: SearchStrategy[str] = st.one_of(
    st.sampled_from(_IDENT_EDGE),
    st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_.\-]{0,15}\Z"),
)
_DATES = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
_OPT_TEXTS = st.none() | _TEXTS
# Names whose form states a legal status (facts/legal_status.py infers it) and names that state none.
STATUS_NAMES = (
    "地方公共団体情報システム機構",
    "株式会社Ａ印刷",
    "㈱サンプル",
    "一般社団法人Ｂ協会",
    "新宿区",
    "独立行政法人国立印刷局",
    "〇〇広域連合",
    "Ｃ協会",
)
_PARTY_NAMES = _TEXTS | st.sampled_from(STATUS_NAMES)
_OPT_STATUSES = st.sampled_from([None, "administrative_organ", "jlis", "business"])
_OPT_DATES = st.none() | _DATES
_OPT_BOOLS = st.none() | st.booleans()
_TEXT_LISTS = st.lists(_TEXTS, max_size=2)
_CODE_SUBSETS = {
    name: st.lists(st.sampled_from(codes), unique=True)
    for name, codes in (("tasks", TASK_CODES), ("measures", MEASURE_CODES), ("auth_factors", AUTH_FACTORS))
}


_OPT_SECTIONS = st.none() | st.sampled_from(["principal", "delegate", "contractor", "other"])
_CATEGORIES = st.sampled_from(["operational", "technical"])
_OPT_CATEGORIES = st.none() | _CATEGORIES
_OPT_COUNTS = st.none() | st.integers(min_value=0, max_value=10**9)
_OPT_MEDIUM_KINDS = st.none() | st.sampled_from(["electronic", "paper"])
_OPT_CHANNELS = st.none() | st.sampled_from(["network", "media", "postal", "other"])
_OPT_MEASURE_CODES = st.none() | st.sampled_from(MEASURE_CODES)
_REPORT_TYPES = st.sampled_from(["report", "consultation"])
_LEGAL_KINDS = st.sampled_from(["ordinance", "act", "other"])
_SHEET_KINDS = st.sampled_from(["delegation", "outsourcing", "subcontracting"])
_SYSTEMS = st.sampled_from(SYSTEM_CODES)
_METHODS = st.sampled_from(METHOD_CODES)


# Strategies over the ids of one example are cached too: the same id lists recur while shrinking.
@lru_cache(maxsize=4096)
def _strategy(kind: str, values: tuple[str, ...], min_size: int = 0, max_size: int | None = None) -> Any:
    if kind == "choice":
        return st.sampled_from(values)
    if kind == "optional":
        return st.none() | st.sampled_from(values)
    if not values:
        return st.just([])
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


def _choice(values: list[str]) -> SearchStrategy[str]:
    return _strategy("choice", tuple(values))  # type: ignore[no-any-return]


def _opt_choice(values: list[str]) -> SearchStrategy[str | None]:
    return _strategy("optional", tuple(values))  # type: ignore[no-any-return]


def _subset(values: list[str], max_size: int | None = None, min_size: int = 0) -> SearchStrategy[list[str]]:
    return _strategy("subset", tuple(values), min_size, max_size)  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _int_range(low: int, high: int) -> SearchStrategy[int]:
    return st.integers(min_value=low, max_value=high)


@lru_cache(maxsize=64)
def _id_lists(min_size: int, max_size: int | None) -> SearchStrategy[list[str]]:
    return st.lists(_IDENTS, min_size=min_size, max_size=max_size, unique=True)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is None (so both absent and explicit fields are exercised)."""
    if value is not None:
        target[key] = value


def _period(draw: st.DrawFn) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    _put(out, "start", draw(_OPT_DATES))
    _put(out, "end", draw(_OPT_DATES))
    _put(out, "renewal", draw(_OPT_TEXTS))
    _put(out, "note", draw(_OPT_TEXTS))
    return out


def _source(draw: st.DrawFn, sheets: list[str]) -> dict[str, Any] | None:
    if not draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    if sheets:
        _put(out, "sheet", draw(_opt_choice(sheets)))
    _put(out, "section", draw(_OPT_SECTIONS))
    _put(out, "category", draw(_OPT_CATEGORIES))
    _put(out, "item", draw(_OPT_TEXTS))
    return out


def _plan(draw: st.DrawFn) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "title": draw(_TEXTS),
        "municipality": draw(_TEXTS),
        "department": draw(_TEXTS),
        "report_type": draw(_REPORT_TYPES),
        "effective_date": draw(_DATES),
    }
    if draw(st.booleans()):
        plan["legal_basis"] = {
            "kind": draw(_LEGAL_KINDS),
            "citation": draw(_TEXTS),
        }
    _put(plan, "period", _period(draw))
    if draw(st.booleans()):
        subjects: dict[str, Any] = {"scope": draw(_TEXTS)}
        _put(subjects, "count", draw(_OPT_COUNTS))
        _put(subjects, "as_of", draw(_OPT_DATES))
        plan["subjects"] = subjects
    plan["registered_processing"] = draw(_TEXT_LISTS)
    for key in ("purpose", "summary", "document"):
        _put(plan, key, draw(_OPT_TEXTS))
    plan["prior_approvals"] = draw(_TEXT_LISTS)
    plan["notes"] = draw(_TEXT_LISTS)
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
                "received_from": draw(_choice(contractors)),
            }
            if draw(st.booleans()):
                permission: dict[str, Any] = {"granted_by": draw(_choice(sorted(roles)))}
                _put(permission, "granted_on", draw(_OPT_DATES))
                _put(permission, "reference", draw(_OPT_TEXTS))
                party["permission"] = permission
        else:
            upstream = [p for p, r in roles.items() if r in ("principal", "delegate")]
            party = {"id": ident, "role": "contractor", "received_from": draw(_choice(upstream))}
        roles[ident] = party["role"]
        parties.append(party)
    return parties


@st.composite
def _declaration_dicts(draw: st.DrawFn, max_parties: int) -> dict[str, Any]:
    n_parties = draw(_int_range(1, max(1, max_parties)))
    n_transfers = draw(_int_range(0, 4)) if n_parties >= 2 else 0
    n_terminals = draw(_int_range(0, 3))
    n_contracts = draw(_int_range(0, 2))
    # Parties, transfers, terminals and contracts share one namespace of ids.
    subject_ids = draw(_id_lists(n_parties + n_transfers + n_terminals + n_contracts, None))
    party_ids = subject_ids[:n_parties]
    transfer_ids = subject_ids[n_parties : n_parties + n_transfers]
    terminal_ids = subject_ids[n_parties + n_transfers : n_parties + n_transfers + n_terminals]
    contract_ids = subject_ids[n_parties + n_transfers + n_terminals :][:n_contracts]
    # Sheets, data items and media each have their own namespace.
    sheet_ids = draw(_id_lists(0, 2))
    data_item_ids = draw(_id_lists(0, 3))
    media_ids = draw(_id_lists(0, 2))

    data_items = []
    for ident in data_item_ids:
        item: dict[str, Any] = {"id": ident, "name": draw(_TEXTS)}
        _put(item, "specific_personal_info", draw(_OPT_BOOLS))
        _put(item, "note", draw(_OPT_TEXTS))
        data_items.append(item)
    media = []
    for ident in media_ids:
        medium: dict[str, Any] = {"id": ident, "name": draw(_TEXTS)}
        _put(medium, "kind", draw(_OPT_MEDIUM_KINDS))
        _put(medium, "note", draw(_OPT_TEXTS))
        media.append(medium)
    sheets = []
    for ident in sheet_ids:
        sheet: dict[str, Any] = {
            "id": ident,
            "title": draw(_TEXTS),
            "kind": draw(_SHEET_KINDS),
            "tasks": draw(_CODE_SUBSETS["tasks"]),
            "data_items": draw(_subset(data_item_ids)),
            "media": draw(_subset(media_ids)),
            "notes": draw(_TEXT_LISTS),
        }
        for key in ("heading", "changes_note", "reason", "content_intro", "data_scope", "data_items_note"):
            _put(sheet, key, draw(_OPT_TEXTS))
        _put(sheet, "period", _period(draw))
        sheets.append(sheet)

    parties = _chain(draw, party_ids)
    for party in parties:
        party["name"] = draw(_PARTY_NAMES)
        _put(party, "legal_status", draw(_OPT_STATUSES))
        party["tasks"] = draw(_CODE_SUBSETS["tasks"])
        for key in ("short_name", "tasks_note", "legal_basis", "department", "note"):
            _put(party, key, draw(_OPT_TEXTS))
        _put(party, "since", draw(_OPT_DATES))
        if sheet_ids:
            _put(party, "sheet", draw(_opt_choice(sheet_ids)))
    parties = draw(st.permutations(parties))  # references are by id, so the order is free

    transfers = []
    for ident in transfer_ids:
        ends = draw(_subset(party_ids, 2, 2))
        transfer: dict[str, Any] = {
            "id": ident,
            "from": ends[0],
            "to": ends[1],
            "method": draw(_METHODS),
            "encrypted": draw(st.booleans()),
            "data_items": draw(_subset(data_item_ids)),
        }
        _put(transfer, "channel", draw(_OPT_CHANNELS))
        _put(transfer, "specific_personal_info", draw(_OPT_BOOLS))
        _put(transfer, "note", draw(_OPT_TEXTS))
        _put(transfer, "source", _source(draw, sheet_ids))
        transfers.append(transfer)

    terminals = []
    for ident in terminal_ids:
        terminal: dict[str, Any] = {
            "id": ident,
            "owner": draw(_choice(party_ids)),
            "system": draw(_SYSTEMS),
            "auth_factors": draw(_CODE_SUBSETS["auth_factors"]),
        }
        _put(terminal, "users", draw(_OPT_TEXTS))
        _put(terminal, "note", draw(_OPT_TEXTS))
        _put(terminal, "source", _source(draw, sheet_ids))
        terminals.append(terminal)

    contracts = []
    for ident in contract_ids:
        clauses = []
        for _ in range(draw(_int_range(0, 3))):
            clause: dict[str, Any] = {"text": draw(_TEXTS)}
            _put(clause, "code", draw(_OPT_MEASURE_CODES))
            clauses.append(clause)
        contract: dict[str, Any] = {
            "id": ident,
            "client": draw(_choice(party_ids)),
            "contractors": draw(_subset(party_ids, 3, 1)),
            "clauses": clauses,
        }
        _put(contract, "note", draw(_OPT_TEXTS))
        _put(contract, "source", _source(draw, sheet_ids))
        contracts.append(contract)

    measures = []
    measure_ids = draw(_id_lists(0, 6))
    for index in range(draw(_int_range(0, 6))):
        measure: dict[str, Any] = {
            # Some parties implement no measure at all, others several.
            "codes": draw(_CODE_SUBSETS["measures"]),
            "implemented_by": draw(_subset(party_ids, 3, 1)),
            "category": draw(_CATEGORIES),
            "text": draw(_TEXTS),
            "covers": draw(_subset(subject_ids[: n_parties + n_transfers + n_terminals + n_contracts], 3)),
        }
        if index < len(measure_ids) and draw(st.booleans()):
            measure["id"] = measure_ids[index]
        _put(measure, "imposed_by", draw(_opt_choice(party_ids)))
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
