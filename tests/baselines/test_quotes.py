"""Every quote in baselines/ stands verbatim in the source text it says it was checked against.

The official texts are copies of /work/shared/legal/sources/ kept in tests/data/legal/ (same file
names). A requirement, or each of its editions, names a source id; the instrument's source
description names the file (``…/sources/<file>``). A quote may leave text out with 「…」: each piece
between the elisions must occur in the file, in order. Whitespace is ignored (the converted texts
break lines and indent items), nothing else is: a changed character is a failure. Texts marked
``unverified`` are never quoted; a ``secondary_source`` edition that carries a quote is checked too
when its source is one of the files (the re-keyed 施行令 and 命令, NOTES.md §12).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from safeguard_check.load.catalog import Catalog, load_catalog

LEGAL = Path(__file__).resolve().parents[1] / "data" / "legal"
FILE_IN_DESCRIPTION = re.compile(r"sources/([A-Za-z0-9_.-]+\.(?:txt|xml))")
ELISION = "…"


@cache
def _catalog() -> Catalog:
    return load_catalog()


@cache
def source_text(name: str) -> str:
    """The file's text with markup (XML) and all whitespace removed."""
    text = (LEGAL / name).read_text(encoding="utf-8")
    if name.endswith(".xml"):
        text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"\s+", "", text)


def source_file(catalog: Catalog, requirement_id: str, source_id: str) -> str | None:
    """The file in tests/data/legal a source id of the requirement's instrument names, if any."""
    inst = catalog.instruments[catalog.instrument_of[requirement_id]]
    desc = next(s.description for s in inst.sources if s.id == source_id)
    found = FILE_IN_DESCRIPTION.search(desc)
    return found.group(1) if found else None


def quoted_texts() -> list[tuple[str, str, str, str]]:
    """(requirement id, edition label, quote, source id) for every quote held, editions included."""
    out = []
    for rid, req in _catalog().requirements.items():
        if req.quote is not None and req.verification != "unverified":
            out.append((rid, "requirement", req.quote, req.source))
        for ed in req.editions or ():
            if ed.quote is not None:
                label = f"{ed.from_ or '…'}–{ed.until or '…'}"
                out.append((rid, label, ed.quote, ed.checked_against.source))
    return out


QUOTES = quoted_texts()


def occurs_in_order(quote: str, text: str) -> str | None:
    """None when every piece of ``quote`` (split at 「…」) occurs in ``text`` in order, else the first missing piece."""
    pos = 0
    for piece in (re.sub(r"\s+", "", p) for p in quote.split(ELISION)):
        if not piece:
            continue
        found = text.find(piece, pos)
        if found < 0:
            return piece
        pos = found + len(piece)
    return None


def test_there_are_quotes_from_every_source_file() -> None:
    catalog = _catalog()
    used = {source_file(catalog, rid, sid) for rid, _, _, sid in QUOTES}
    assert {p.name for p in LEGAL.iterdir()} <= used, "a copied source no quote is checked against"


@pytest.mark.parametrize(("rid", "edition", "quote", "source"), QUOTES, ids=[f"{q[0]}@{q[1]}" for q in QUOTES])
def test_quote_is_verbatim(rid: str, edition: str, quote: str, source: str) -> None:
    catalog = _catalog()
    name = source_file(catalog, rid, source)
    assert name is not None, f"{rid} ({edition}): source {source} names no file in sources/, yet a quote is held"
    assert (LEGAL / name).is_file(), f"{name} is not copied into tests/data/legal"
    missing = occurs_in_order(quote, source_text(name))
    assert missing is None, f"{rid} ({edition}): not in {name}: {missing}"


def test_the_checker_rejects_a_changed_character() -> None:
    # A quote whose wording differs from the text must fail; a real one (and a prefix of it) must pass.
    text = source_text("ppc-mynumber-guideline-jigyosha_2025-06.txt")
    real = (
        "特定個人情報を取り扱う従業者の明確化、委託者が委託先に対して実地の調査を行うことができる規定等を"
        "盛り込むことが望ましい"
    )
    assert occurs_in_order(real, text) is None
    assert occurs_in_order(real.replace("望ましい", "望まし"), text) is None  # a prefix is still text
    assert occurs_in_order(real.replace("望ましい", "必要である"), text) == real.replace("望ましい", "必要である")
    assert occurs_in_order("委託者が委託先…秘密保持義務", text) is not None  # pieces out of order


def test_unverified_requirements_hold_no_quote() -> None:
    for rid, req in _catalog().requirements.items():
        if req.verification == "unverified":
            assert req.quote is None, rid
