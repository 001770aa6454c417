"""The JSON format and its committed, generated schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

from safeguard_check.findings.model import Report
from safeguard_check.report.formats.json_format import (
    OPTIONAL_FIELDS,
    SCHEMA_PATH,
    render_json,
    report_schema,
    schema_text,
)
from safeguard_check.report.schema import REPORT_SCHEMA_FILE, load_report_schema, report_schema_text

from .helpers import SHINJUKU_FINDINGS


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = load_report_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_committed_schema_is_the_generated_one() -> None:
    regenerate = 'python -c "from safeguard_check.report.formats.json_format import write_schema; write_schema()"'
    assert report_schema_text() == schema_text(), f"{REPORT_SCHEMA_FILE} is stale: run {regenerate}"
    assert SCHEMA_PATH.name == REPORT_SCHEMA_FILE and SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def test_schema_is_draft_2020_12_and_describes_format_version_1() -> None:
    schema = load_report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["format_version"]["const"] == 1
    assert schema["title"] and schema["description"]


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [("(root)", schema), *schema["$defs"].items()]


def test_every_property_of_the_schema_is_documented() -> None:
    for name, node in _objects(report_schema()):
        assert node.get("description"), name
        for prop, spec in node.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{prop} has no description (add it to FIELD_DOCS)"
            assert spec.get("title"), f"{name}.{prop}"


def test_every_property_is_required_because_every_field_is_written() -> None:
    # ...except the reading fields, written only for a plan read from a council document.
    for name, node in _objects(report_schema()):
        optional = OPTIONAL_FIELDS.get(name, frozenset())
        assert optional <= set(node.get("properties", {})), name
        assert set(node.get("required", [])) == set(node.get("properties", {})) - optional, name


def test_every_report_validates(all_reports: dict[str, Report], validator: Draft202012Validator) -> None:
    for name, report in all_reports.items():
        errors = sorted(validator.iter_errors(json.loads(render_json(report))), key=str)
        assert not errors, f"{name}: {errors[0]}"


def test_schema_rejects_what_the_format_never_writes(shinjuku: Report, validator: Draft202012Validator) -> None:
    doc = json.loads(render_json(shinjuku))
    doc["results"][0]["findings"][0]["severity"] = "urgent"
    assert not validator.is_valid(doc)
    doc = json.loads(render_json(shinjuku))
    doc["surprise"] = 1
    assert not validator.is_valid(doc)
    doc = json.loads(render_json(shinjuku))
    del doc["summary"]
    assert not validator.is_valid(doc)
    doc = json.loads(render_json(shinjuku))
    doc["results"][0]["as_of"] = "R2.5.25"
    assert not validator.is_valid(doc)


def test_document_is_the_model_dump_plus_summary(all_reports: dict[str, Report]) -> None:
    for report in all_reports.values():
        doc = json.loads(render_json(report))
        summary = doc.pop("summary")
        full = report.model_dump(mode="json")
        # A declaration's results leave out the reading fields, which are all empty for it.
        for result in full["results"]:
            assert result.pop("unrecognised") == [] and result.pop("reading") is None
            for f in result["findings"]:
                assert f.pop("possibly_stated") == []
        assert doc == full
        assert Report.model_validate(doc) == report  # the JSON reads back into the same Report
        assert summary["plans"] == len(report.results)


def test_summary_counts_shinjuku(shinjuku: Report) -> None:
    summary = json.loads(render_json(shinjuku))["summary"]
    assert summary["findings"] == SHINJUKU_FINDINGS
    assert summary["open"] == {"critical": 0, "high": 0, "medium": 6, "low": 4, "info": 1}
    assert summary["waived"] == {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}
    assert summary["open_total"] == SHINJUKU_FINDINGS and summary["waived_total"] == 0


def test_waived_finding_is_counted_and_kept(waived: Report) -> None:
    doc = json.loads(render_json(waived))
    summary = doc["summary"]
    assert summary["findings"] == SHINJUKU_FINDINGS
    assert summary["open"]["medium"] == 5 and summary["waived"]["medium"] == 1
    assert (summary["waivers_expired"], summary["waivers_unmatched"]) == (1, 1)
    waived_findings = [f for f in doc["results"][0]["findings"] if f["status"] == "waived"]
    assert len(waived_findings) == 1
    assert waived_findings[0]["waiver"]["id"] == "W-001"
    assert waived_findings[0]["waiver"]["expires"] == "2021-03-31"
    assert doc["waivers_file"] == "waivers.yaml"


def test_result_carries_law_version_and_citations(shinjuku: Report) -> None:
    result = json.loads(render_json(shinjuku))["results"][0]
    assert result["as_of"] == "2020-05-25" and result["as_of_source"] == "effective_date"
    assert {i["id"] for i in result["instruments"]} >= {"bango-ho", "ppc-guideline-gyosei"}
    assert result["catalog_digest"]
    for f in result["findings"]:
        assert f["requirements"] and all(r["id"] and r["label"]["ja"] for r in f["requirements"])
        assert f["fingerprint"]
    assert result["coverage"] and result["plan"]["chain"][0]["role"] == "principal"


def test_text_is_canonical(shinjuku: Report) -> None:
    out = render_json(shinjuku)
    assert "新宿区" in out  # ensure_ascii=False
    # sorted keys, 2-space indent
    assert out.startswith('{\n  "errors": [],\n  "fail_on": "high",\n  "format_version": 1,')
    assert out.endswith("}\n")
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
