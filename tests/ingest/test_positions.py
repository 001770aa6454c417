"""`check FILE.txt` points every finding at the line of FILE.txt where what it examined was read.

The lines are checked against the raw document text, the way a reader opens the file: the sentence
of a measure (and of the transfers, terminals and contracts read from it) starts on its line, a
party's name stands on its line, and every finding of the Shinjuku document names the document and
a line inside it. Layout changes (re-wrapped lines, CRLF, page breaks with furniture, Shift_JIS) must
move the lines with the text.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.check import check_plan
from safeguard_check.ingest import IngestResult, ingest_bytes, ingest_path, ingest_text, load_document
from safeguard_check.ingest.quality import finding_identities
from safeguard_check.ingest.text import compact, line_number, repair
from safeguard_check.leakguard import check_digit
from safeguard_check.load.catalog import Catalog

from .conftest import TEXT_PATH
from .transforms import rewrap

PREFIX = 10
"""Compact characters of a sentence that must start on its line (the item number may precede them)."""


def _raw_lines(text: str) -> list[str]:
    # The lines as an editor numbers them (CRLF and lone CR end a line; a form feed does not).
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _starts_on(raw: list[str], number: int, sentence: str) -> bool:
    """Whether ``sentence`` starts on line ``number`` (1-based) of ``raw``: its first characters are
    found in the text from that line on, beginning inside that line."""
    first = compact(unicodedata.normalize("NFKC", raw[number - 1]).replace("\f", ""))
    following = "".join(compact(unicodedata.normalize("NFKC", r)) for r in raw[number - 1 : number + 8])
    at = following.find(compact(sentence)[:PREFIX])
    return 0 <= at < len(first)


def _assert_located(result: IngestResult, text: str) -> None:
    raw = _raw_lines(text)
    decl = result.declaration
    positions = result.positions
    assert positions[()].line == 1
    for index, measure in enumerate(decl.measures):
        pos = positions[("measures", index)]
        assert _starts_on(raw, pos.line, measure.text), (measure.id, pos.line, raw[pos.line - 1])
    by_source = {
        (m.source.sheet, m.source.section, m.source.category, m.source.item): positions[("measures", i)]
        for i, m in reversed(list(enumerate(decl.measures)))
        if m.source is not None
    }
    for name, parts in (("transfers", decl.transfers), ("terminals", decl.terminals), ("contracts", decl.contracts)):
        for index, part in enumerate(parts):
            assert part.source is not None
            key = (part.source.sheet, part.source.section, part.source.category, part.source.item)
            assert positions[(name, index)] == by_source[key], (name, part.id)
    for index, party in enumerate(decl.parties):
        line = positions[("parties", index)].line
        named = party.department if party.role == "principal" else party.name
        assert named is not None
        assert _starts_on(raw, line, named), (party.id, line, raw[line - 1])
    assert _starts_on(raw, positions[("plan",)].line, decl.plan.title[:PREFIX])


def test_every_part_of_the_shinjuku_draft_points_at_its_line(ingested: IngestResult, shinjuku_text: str) -> None:
    _assert_located(ingested, shinjuku_text)
    located = {path[0] for path in ingested.positions if path}
    assert located == {"plan", "sheets", "parties", "measures", "transfers", "terminals", "contracts"}


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda s: rewrap(s, 17), id="rewrapped-with-blank-lines"),
        pytest.param(lambda s: rewrap(s, 23, blank=False), id="rewrapped"),
        pytest.param(lambda s: s.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda s: "\n\n\n" + s.replace("\n\n", "\n \n\n", 40), id="shifted"),
    ],
)
def test_lines_follow_the_text_when_its_layout_changes(shinjuku_text: str, transform: object) -> None:
    assert callable(transform)
    text = transform(shinjuku_text)
    _assert_located(ingest_text(text, "x.txt"), text)


def test_page_breaks_and_furniture_do_not_shift_the_lines(shinjuku_text: str, ingested: IngestResult) -> None:
    lines = shinjuku_text.split("\n")
    pages = [lines[i : i + 60] for i in range(0, len(lines), 60)]
    # A header and a page number at every page edge, the form feed after the footer as pdfminer writes it.
    text = "\f".join("\n".join(["資料30", *page, f"- {k} -", ""]) for k, page in enumerate(pages, start=1))
    result = ingest_text(text, "paged.txt")
    assert result.declaration == ingested.declaration
    _assert_located(result, text)


def test_shift_jis_document_lines(tmp_path: Path, shinjuku_text: str) -> None:
    # ⑴ ⑵ are not in CP932; a Shift_JIS author writes （１）（２）, which NFKC reads alike.
    text = shinjuku_text.replace("⑴", "（１）").replace("⑵", "（２）").replace("\n", "\r\n")
    path = tmp_path / "shiryo30-sjis.txt"
    path.write_bytes(text.encode("cp932"))
    result = ingest_path(path)
    assert result.input_format == "cp932"
    _assert_located(result, text)


def test_check_of_a_text_document_names_it_and_its_lines(catalog: Catalog, hand_findings: set[object]) -> None:
    plan = load_document(TEXT_PATH)
    assert plan.path == str(TEXT_PATH)
    result = check_plan(plan, catalog)
    assert finding_identities(result, plan.declaration) == hand_findings
    count = len(_raw_lines(TEXT_PATH.read_text(encoding="utf-8")))
    assert result.findings and all(f.file == str(TEXT_PATH) for f in result.findings)
    assert all(f.line is not None and 1 <= f.line <= count for f in result.findings)


def test_terminal_finding_points_at_its_sentence(catalog: Catalog, shinjuku_text: str) -> None:
    result = check_plan(load_document(TEXT_PATH), catalog)
    [mfa] = [f for f in result.findings if f.rule_id == "SGC-TERMINAL-MFA"]
    assert mfa.line is not None
    assert _starts_on(_raw_lines(shinjuku_text), mfa.line, "職員が電子計算機の端末を使用する際は")


def _individual_number() -> str:
    first11 = "12345678901"
    return first11 + str(check_digit(first11))


def test_an_individual_number_is_reported_at_its_line_of_the_document(tmp_path: Path, catalog: Catalog) -> None:
    text = TEXT_PATH.read_text(encoding="utf-8").split("\n")
    at = 120
    text.insert(at, f"問合せ対象者 {_individual_number()}")
    path = tmp_path / "leak.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    result = check_plan(load_document(path), catalog)
    [leak] = [f for f in result.findings if f.rule_id == "SGC-LEAK-MYNUMBER"]
    assert (leak.file, leak.line) == (str(path), at + 1)


def test_a_number_broken_over_two_lines_is_still_reported(tmp_path: Path, catalog: Catalog) -> None:
    # The text scan does not see it; the draft joins the lines and its guard does: never dropped.
    number = _individual_number()
    text = TEXT_PATH.read_text(encoding="utf-8").replace(
        "区と機構とを接続する電気通信回線は住民基本台帳ネ",
        f"区と機構とを接続する電気通信回線は{number[:6]}\n\n{number[6:]}住民基本台帳ネ",
        1,
    )
    assert number[:6] + "\n\n" + number[6:] in text
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    result = check_plan(load_document(path), catalog)
    leaks = [f for f in result.findings if f.rule_id == "SGC-LEAK-MYNUMBER"]
    assert len(leaks) == 1 and leaks[0].file == str(path)


def test_a_pdf_keeps_the_lines_of_its_draft(shinjuku_text: str) -> None:
    from .pdfmake import make_pdf  # reportlab is in the test extra: fail, never skip, without it

    result = ingest_bytes(make_pdf(shinjuku_text), "shiryo30.pdf")
    assert result.positions == {}
    plan = result.document_plan()
    assert plan.path == "shiryo30.pdf.yaml"
    assert plan.source == result.loaded_plan().source


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", "\u3000", "資料30", "- 2 -", "５ 職員が", "ＩＤ及び", "・目的外", "12"]),
            st.sampled_from(["\n", "\r\n", "\r", "\f", "\n\f"]),
        ),
        max_size=30,
    )
)
def test_repaired_lines_know_their_line_in_the_text(pieces: list[tuple[str, str]]) -> None:
    text = "".join(body + end for body, end in pieces)
    raw = _raw_lines(text)
    for line in repair(text).lines:
        number = line_number(line)
        assert number is not None and 1 <= number <= len(raw)
        segments = unicodedata.normalize("NFKC", raw[number - 1]).split("\f")
        assert line in [s.strip() for s in segments]
