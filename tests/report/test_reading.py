"""What a check of a council document could not read, in every format — and nothing of it for a declaration.

The ``document`` report is Shinjuku's plan carrying ReadingNotes as ingest fills them: three sentences
mapped to no code (two of them may state a measure a finding reports missing), 37 of 40 measure
sentences mapped, and a missing 報告・諮問 field that left one rule unjudged.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from rich.console import Console

from safeguard_check.findings.model import Report
from safeguard_check.report.formats import FORMATS
from safeguard_check.report.formats.html import render_html
from safeguard_check.report.formats.json_format import render_json
from safeguard_check.report.formats.junit import render_junit
from safeguard_check.report.formats.markdown import render_markdown
from safeguard_check.report.formats.sarif import render_sarif
from safeguard_check.report.schema import load_report_schema
from safeguard_check.report.terminal import render_result

from .helpers import (
    NOT_JUDGED_RULE,
    REPO,
    SHINJUKU,
    UNREAD_NOTICE,
    UNREAD_OTHER,
    UNREAD_TRAINING,
    japanese_leftovers,
    report_of,
)
from .test_formats import _texts
from .test_sarif import SCHEMA as SARIF_SCHEMA

MAPPED_JA = "40 件中 37 件の対策文を読み取りました"
MAPPED_EN = "37 of 40 measure sentences mapped"
POSSIBLY_JA = "次の文がこの対策を述べている可能性があります（要確認）: 行40「" + UNREAD_TRAINING + "」"


def _terminal(report: Report, lang: str) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=200, color_system=None)
    for result in report.results:
        render_result(result, console, lang)  # type: ignore[arg-type]
    return buf.getvalue()


# --- terminal -----------------------------------------------------------------------------------


def test_terminal_lists_every_unrecognised_sentence_with_line_and_where(document: Report) -> None:
    out = _terminal(document, "ja")
    assert "読み取れなかった文" in out and MAPPED_JA in out
    for line, where, text in (
        ("行40", "別紙1 区が行う 運用上の対策 5", UNREAD_TRAINING),
        ("行212", "別紙1 委任先に行わせる 運用上の対策 6", UNREAD_NOTICE),
        ("行不明", "別紙2 機構 運用上の対策 9", UNREAD_OTHER),
    ):
        row = next(x for x in out.splitlines() if where in x)
        assert line in row, row
        assert text in out
    assert "報告・諮問の別" in out and NOT_JUDGED_RULE in out


def test_terminal_header_says_how_much_was_read_before_the_findings(document: Report) -> None:
    out = _terminal(document, "ja")
    header = next(line for line in out.splitlines() if line.startswith("読み取り"))
    assert MAPPED_JA in header
    assert out.index(MAPPED_JA) < out.index("SGC-")


def test_terminal_in_english_says_how_much_was_mapped(document: Report) -> None:
    out = _terminal(document, "en")
    assert MAPPED_EN in out and "line 212" in out and "line unknown" in out
    assert "Rules not judged for lack of text" in out


def test_terminal_finding_asks_for_review_of_a_sentence_that_may_state_it(document: Report) -> None:
    out = _terminal(document, "ja")
    block = out[out.index("SGC-STAFF-TRAINING") :]
    block = block[: block.index("\n\n")]
    assert "要確認" in block and "行40" in block and UNREAD_TRAINING in " ".join(block.split())
    assert "研修" in block


def test_declaration_terminal_report_has_no_reading_section(shinjuku: Report) -> None:
    out = _terminal(shinjuku, "ja")
    # 要確認 alone may appear: Shinjuku's J-LIS clause list is open (「以下の内容等」), so those findings are
    # "not evidenced" (確認できない（要確認）); what a declaration never has is a possibly-stated hint.
    assert "読み取れなかった文" not in out and "述べている可能性があります" not in out


# --- JSON -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_validator() -> Draft202012Validator:
    return Draft202012Validator(load_report_schema(), format_checker=FormatChecker())


def test_json_has_unrecognised_and_reading(document: Report, report_validator: Draft202012Validator) -> None:
    doc = json.loads(render_json(document))
    errors = sorted(report_validator.iter_errors(doc), key=str)
    assert not errors, errors[0]
    result = doc["results"][0]
    assert [(u["line"], u["text"], u["kind"]) for u in result["unrecognised"]] == [
        (40, UNREAD_TRAINING, "measure"),
        (212, UNREAD_NOTICE, "measure"),
        (None, UNREAD_OTHER, "measure"),
    ]
    assert result["unrecognised"][1]["where"] == "別紙1 委任先に行わせる 運用上の対策 6"
    reading = result["reading"]
    assert (reading["measure_sentences"], reading["mapped_sentences"], reading["unrecognised"]) == (40, 37, 3)
    assert reading["not_judged"] == [NOT_JUDGED_RULE]
    assert reading["missing_fields"][0]["field"] == "plan.report_kind"
    assert Report.model_validate({k: v for k, v in doc.items() if k != "summary"}) == document


def test_json_finding_names_the_sentence_that_may_state_it(document: Report) -> None:
    findings = json.loads(render_json(document))["results"][0]["findings"]
    flagged = {(f["rule_id"], f["subject_id"]): f["possibly_stated"] for f in findings if f["possibly_stated"]}
    assert set(flagged) == {
        ("SGC-STAFF-TRAINING", "shinjuku"),
        ("SGC-DELEGATION-DATE-PUBLISHED", "jlis"),
    }
    training = flagged[("SGC-STAFF-TRAINING", "shinjuku")][0]
    assert training == {
        "line": 40,
        "text": UNREAD_TRAINING,
        "where": "別紙1 区が行う 運用上の対策 5",
        "codes": ["staff.training"],
        "shared": ["研修"],
    }
    # J-LIS's contract findings are J-LIS's too, but the sentence shares no word with their clauses
    assert not any(f["possibly_stated"] for f in findings if f["subject_id"] == "jlis-contractors")


def test_json_of_a_fully_read_document_still_says_so(document: Report, report_validator: Draft202012Validator) -> None:
    result = document.results[0]
    assert result.reading is not None
    read_all = result.model_copy(
        update={
            "unrecognised": (),
            "reading": result.reading.model_copy(update={"unrecognised": 0, "mapped_sentences": 40}),
            "findings": tuple(f.model_copy(update={"possibly_stated": ()}) for f in result.findings),
        }
    )
    doc = json.loads(render_json(report_of(read_all)))
    assert not list(report_validator.iter_errors(doc))
    out = doc["results"][0]
    assert out["unrecognised"] == [] and out["reading"]["mapped_sentences"] == 40
    assert all("possibly_stated" not in f for f in out["findings"])


def test_json_of_a_declaration_has_no_reading_fields(shinjuku: Report) -> None:
    result = json.loads(render_json(shinjuku))["results"][0]
    assert "unrecognised" not in result and "reading" not in result
    assert all("possibly_stated" not in f for f in result["findings"])


# --- SARIF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sarif_notifications_point_at_the_document_lines(
    document: Report, sarif_validator: jsonschema.protocols.Validator, lang: str
) -> None:
    log: dict[str, Any] = json.loads(render_sarif(document, lang))  # type: ignore[arg-type]
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    (invocation,) = run["invocations"]
    notes = invocation["toolExecutionNotifications"]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for n in notes:
        by_kind.setdefault(n["descriptor"]["id"], []).append(n)
    unread = by_kind["SGC-READING-UNRECOGNISED"]
    assert len(unread) == 3
    file = document.results[0].file
    artifacts = [a["location"]["uri"] for a in run["artifacts"]]
    for n, line, text in zip(unread, (40, 212, None), (UNREAD_TRAINING, UNREAD_NOTICE, UNREAD_OTHER), strict=True):
        physical = n["locations"][0]["physicalLocation"]
        assert artifacts[physical["artifactLocation"]["index"]] == physical["artifactLocation"]["uri"]
        assert physical["artifactLocation"]["uri"] == file
        assert physical.get("region", {}).get("startLine") == line
        assert text in n["message"]["text"] and n["level"] == "warning"
    (summary,) = by_kind["SGC-READING-SUMMARY"]
    assert summary["message"]["text"] == (MAPPED_JA if lang == "ja" else MAPPED_EN)
    assert summary["properties"]["not_judged"] == [NOT_JUDGED_RULE]
    (missing,) = by_kind["SGC-READING-MISSING-FIELD"]
    assert missing["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    # Every descriptor is declared; this document uses all but the not-judged one (it names parties
    # whose measures it lists).
    assert {d["id"] for d in run["tool"]["driver"]["notifications"]} == set(by_kind) | {"SGC-READING-NOT-JUDGED"}


def test_sarif_result_carries_possibly_stated(document: Report) -> None:
    log = json.loads(render_sarif(document, "ja"))
    results = [r for r in log["runs"][0]["results"] if r["properties"].get("possibly_stated")]
    assert {r["ruleId"] for r in results} == {"SGC-STAFF-TRAINING", "SGC-DELEGATION-DATE-PUBLISHED"}
    training = next(r for r in results if r["ruleId"] == "SGC-STAFF-TRAINING")
    assert POSSIBLY_JA in training["message"]["text"]
    assert training["properties"]["possibly_stated"][0]["line"] == 40


def test_sarif_of_a_declaration_has_no_invocation(shinjuku: Report) -> None:
    run = json.loads(render_sarif(shinjuku, "ja"))["runs"][0]
    assert "invocations" not in run and "notifications" not in run["tool"]["driver"]
    assert all("reading" not in p for p in run["properties"]["plans"])


# --- JUnit ----------------------------------------------------------------------------------------


def test_junit_system_out_and_properties(document: Report) -> None:
    root = ET.fromstring(render_junit(document, "ja"))
    suite = root.find("testsuite")
    assert suite is not None
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["reading.measure_sentences"] == "40" and props["reading.mapped_sentences"] == "37"
    assert props["reading.not_judged"] == NOT_JUDGED_RULE
    out = suite.findtext("system-out")
    assert out is not None and MAPPED_JA in out
    file = document.results[0].file
    assert f"{file}:40" in out and f"{file}:212" in out and UNREAD_OTHER in out
    failure = next(c for c in suite.iter("testcase") if c.get("classname") == "SGC-STAFF-TRAINING").find("failure")
    assert failure is not None and POSSIBLY_JA in (failure.text or "")


def test_junit_of_a_declaration_has_no_system_out(shinjuku: Report) -> None:
    root = ET.fromstring(render_junit(shinjuku, "ja"))
    assert root.find("testsuite/system-out") is None
    assert not [p for p in root.iter("property") if (p.get("name") or "").startswith("reading.")]


# --- Markdown and HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["markdown", "html"])
def test_document_formats_have_a_reading_section(document: Report, render: Any) -> None:
    name = "markdown" if render is render_markdown else "html"
    text = _texts(name, render(document, "ja"))
    assert "読み取れなかった文" in text and MAPPED_JA in text
    for needle in (UNREAD_TRAINING, UNREAD_NOTICE, UNREAD_OTHER, "行212", "行不明", "報告・諮問の別", NOT_JUDGED_RULE):
        assert needle in text, needle
    assert POSSIBLY_JA in text
    english = _texts(name, render(document, "en"))
    assert MAPPED_EN in english and "Sentences not understood" in english


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["markdown", "html"])
def test_declaration_document_formats_have_no_reading_section(shinjuku: Report, render: Any) -> None:
    out = render(shinjuku, "ja")
    # 要確認 alone may appear: Shinjuku's J-LIS clause list is open (「以下の内容等」), so those findings are
    # "not evidenced" (確認できない（要確認）); what a declaration never has is a possibly-stated hint.
    assert "読み取れなかった文" not in out and "述べている可能性があります" not in out


@pytest.mark.parametrize("name", ["sarif", "junit", "markdown", "html"])
def test_english_reading_output_has_no_catalogue_japanese(document: Report, name: str) -> None:
    assert japanese_leftovers(_texts(name, FORMATS[name](document, "en")), document) == []


def test_plan_text_in_sentences_is_escaped(document: Report) -> None:
    result = document.results[0]
    hostile = result.unrecognised[0].model_copy(update={"text": "<script>x</script> | *em* `c`"})
    report = report_of(result.model_copy(update={"unrecognised": (hostile, *result.unrecognised[1:])}))
    assert "<script>" not in render_html(report, "ja")
    assert "<script>" not in render_markdown(report, "ja") and "\\<script\\>" in render_markdown(report, "ja")


# --- end to end: the CLI on a council document -------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_check_of_a_document_carries_its_reading_notes_into_every_format(tmp_path: Path) -> None:
    # ingest fills ReadingNotes; check_plan, the batch and the formats must carry them to the reader
    shutil.copy(REPO / "tests" / "data" / "ingest_quality" / "a-city" / "document.txt", tmp_path / "doc.txt")
    out = _cli("check", "doc.txt", "--fail-on", "never", "-o", "json=r.json", "-o", "r.sarif", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "読み取れなかった文" in out.stdout and "件の対策文を読み取りました" in out.stdout
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"][0]
    assert result["reading"]["measure_sentences"] >= result["reading"]["mapped_sentences"] >= 1
    assert isinstance(result["unrecognised"], list)
    run = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["runs"][0]
    ids = [n["descriptor"]["id"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert ids[0] == "SGC-READING-SUMMARY"
    # a batch of a document and a declaration: the notes of one, nothing for the other
    shutil.copy(REPO / SHINJUKU, tmp_path / "plan.yaml")
    batch = _cli("check", "doc.txt", "plan.yaml", "--jobs", "2", "--format", "json", "--fail-on", "never", cwd=tmp_path)
    assert batch.returncode == 0, batch.stderr
    by_file = {r["file"]: r for r in json.loads(batch.stdout)["results"]}
    assert "reading" in by_file["doc.txt"] and "reading" not in by_file["plan.yaml"]


# --- not judged for lack of text, and the date applied ----------------------------------------------------


@pytest.fixture(scope="module")
def cover_page() -> Report:
    """J-LIS's PIA cover page (no date, no measure text about 機構 as a delegate) as ``check`` reads it."""
    from safeguard_check.check import check_plan
    from safeguard_check.ingest import load_document
    from safeguard_check.load.catalog import load_catalog

    plan = load_document(REPO / "cases" / "real" / "jlis-undated-pia-basic" / "document.txt")
    result = check_plan(plan, load_catalog()).model_copy(update={"source_kind": "document"})
    return report_of(result)


NOT_JUDGED_JA = "資料にこの当事者の対策の記載が一つもないため"
NOT_JUDGED_EN = "the document has no measure sentence about this party at all"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_format_shows_the_finding_not_judged_for_lack_of_text(cover_page: Report, lang: str) -> None:
    reason = NOT_JUDGED_JA if lang == "ja" else NOT_JUDGED_EN
    texts = {
        "terminal": " ".join(_terminal(cover_page, lang).split()),
        "markdown": render_markdown(cover_page, lang),  # type: ignore[arg-type]
        "html": render_html(cover_page, lang),  # type: ignore[arg-type]
        "junit": render_junit(cover_page, lang),  # type: ignore[arg-type]
        "sarif": render_sarif(cover_page, lang),  # type: ignore[arg-type]
    }
    for name, text in texts.items():
        assert reason in text and "SGC-PARTY-SAFEGUARDS" in text, name
    assert all(f.rule_id != "SGC-PARTY-SAFEGUARDS" for f in cover_page.results[0].findings)


def test_json_carries_the_not_judged_finding_and_why_the_date(cover_page: Report, report_validator: Any) -> None:
    doc = json.loads(render_json(cover_page))
    assert not list(report_validator.iter_errors(doc))
    out = doc["results"][0]
    (note,) = out["reading"]["not_judged_findings"]
    assert note["rule_id"] == "SGC-PARTY-SAFEGUARDS" and note["reason"] == "no_measure_text"
    assert out["as_of_source"] == "no_date" and out["as_of"] == "2026-01-01"


@pytest.mark.parametrize(("lang", "said"), [("ja", "資料に日付がないため仮の日付を適用"), ("en", "placeholder date")])
def test_terminal_says_the_law_was_chosen_for_lack_of_a_date(cover_page: Report, lang: str, said: str) -> None:
    out = " ".join(_terminal(cover_page, lang).split())
    assert said in out
