"""The fast JSON writer must write exactly what the standard library writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.report.json_text import dumps_indented, dumps_streamed

# What reports hold: strings (Japanese, controls, surrogate-free), integers, booleans, null, lists and
# string-keyed objects — plus huge integers, which must take the standard library's path. No floats:
# reports have none (checked below).
leaves = (
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
    | st.integers(-(2**70), 2**70)
    | st.booleans()
    | st.none()
)
documents = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_same_text_as_the_standard_library(data: object, sort_keys: bool) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"
    assert dumps_indented(data, sort_keys=sort_keys) == expected


def test_japanese_and_controls_are_written_as_the_standard_library_does() -> None:
    data = {"件名": "個人番号カード\u3000「委任」\n\t\u2028", "z": [], "a": {}, "n": -1}
    assert dumps_indented(data, sort_keys=True) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_reports_hold_no_floats() -> None:
    # dumps_indented relies on it: the report schema has no "number" type anywhere.
    from pathlib import Path

    import safeguard_check.report as report_pkg

    schema = json.loads((Path(report_pkg.__file__).parent / "schema" / "report-v1.schema.json").read_text("utf-8"))

    def types(node: object) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            if isinstance(node.get("type"), str):
                found.add(node["type"])
            for value in node.values():
                found |= types(value)
        elif isinstance(node, list):
            for value in node:
                found |= types(value)
        return found

    assert "number" not in types(schema)


def test_shinjuku_reports_are_the_standard_librarys_text() -> None:
    from safeguard_check.report.formats.json_format import render_json, report_document
    from safeguard_check.report.formats.sarif import render_sarif, sarif_log

    from .helpers import SHINJUKU, checked, report_of

    report = report_of(checked(SHINJUKU))
    expected_json = json.dumps(report_document(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert render_json(report) == expected_json
    assert render_sarif(report) == json.dumps(sarif_log(report, "ja"), ensure_ascii=False, indent=2) + "\n"


# --- written in pieces (batch reports): the pieces joined are the whole document's text ---

streamable = st.dictionaries(st.text(max_size=6), documents, max_size=4)  # keys never "streamed_list"


@settings(max_examples=300, deadline=None)
@given(streamable, st.lists(documents, max_size=5), st.booleans(), st.integers(0, 3))
def test_pieces_join_to_the_whole_document(
    outer: dict[str, object], items: list[object], sort_keys: bool, depth: int
) -> None:
    # The streamed list sits at a random depth: the top object, or inside nested objects and lists.
    whole: dict[str, object] = {**outer, "streamed_list": items}
    shell: dict[str, object] = {**outer, "streamed_list": None}
    for level in range(depth):
        whole = {"a": 1, f"level{level}": [whole], "z": None}
        shell = {"a": 1, f"level{level}": [shell], "z": None}
    expected = dumps_indented(whole, sort_keys=sort_keys)
    assert "".join(dumps_streamed(shell, "streamed_list", iter(items), sort_keys=sort_keys)) == expected


def test_an_unknown_key_is_refused() -> None:
    import pytest

    with pytest.raises(KeyError):
        list(dumps_streamed({"a": 1}, "items", []))


def test_json_and_sarif_reports_written_in_pieces_are_the_documents(all_reports: dict[str, object]) -> None:
    from safeguard_check.findings.model import Report
    from safeguard_check.report.formats import pieces
    from safeguard_check.report.formats.json_format import dumps, report_document
    from safeguard_check.report.formats.sarif import sarif_log

    empty = Report(tool_version="0", fail_on="high", waivers_file=None, waivers_applied=True, results=())
    for name, report in {**all_reports, "empty": empty}.items():
        assert isinstance(report, Report)
        for lang in ("ja", "en"):
            assert "".join(pieces("json", report, lang)) == dumps(report_document(report)), name
            assert "".join(pieces("sarif", report, lang)) == dumps_indented(sarif_log(report, lang)), name
