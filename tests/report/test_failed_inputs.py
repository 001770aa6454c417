"""Inputs that could not be checked appear in every report format (#16): none is silently left out.

The failed inputs are real load failures (a YAML syntax error, a schema error) of files written here;
each format is read with the consumer a CI system would use where one exists (jsonschema with the
official SARIF 2.1.0 schema, junitparser, the JSON report schema).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from junitparser import Error, JUnitXml

from safeguard_check.errors import InputError
from safeguard_check.findings.model import FailedInput, Report
from safeguard_check.load.declaration import load_declaration
from safeguard_check.report.failed import failed_inputs
from safeguard_check.report.formats import FORMATS
from safeguard_check.report.formats.json_format import SCHEMA_PATH
from safeguard_check.report.formats.sarif import FAILED_INPUT

from .helpers import MINIMAL, SHINJUKU, checked, report_of

DATA = Path(__file__).resolve().parents[1] / "data"


def load_failures(tmp: Path) -> list[FailedInput]:
    """Two broken plans, loaded as the CLI loads them."""
    (tmp / "typo.yaml").write_text("plan:\n  title: [unclosed\n", encoding="utf-8")
    (tmp / "schema.yaml").write_text("plan:\n  title: x\nparties: []\n", encoding="utf-8")
    out: list[FailedInput] = []
    for name in ("typo.yaml", "schema.yaml"):
        with pytest.raises(InputError) as caught:
            load_declaration(tmp / name)
        out += failed_inputs(str(tmp / name), caught.value.issues)
    return out


@pytest.fixture(scope="module")
def failed_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    errors = load_failures(tmp_path_factory.mktemp("broken"))
    return report_of(checked(SHINJUKU), checked(MINIMAL), errors=tuple(errors))


def failed_files(report: Report) -> list[str]:
    return list(dict.fromkeys(e.file for e in report.errors))


def test_the_failures_are_real_and_located(failed_report: Report) -> None:
    typo = next(e for e in failed_report.errors if e.file.endswith("typo.yaml"))
    assert typo.line is not None and typo.key.startswith("syntax")
    assert typo.message.ja != typo.message.en
    assert len(failed_files(failed_report)) == 2


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sarif_invocation_is_unsuccessful_and_names_each_file(failed_report: Report, lang: str) -> None:
    log = json.loads(FORMATS["sarif"](failed_report, lang))  # type: ignore[arg-type]
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = [n for n in invocation["toolExecutionNotifications"] if n["descriptor"]["id"] == FAILED_INPUT]
    assert len(notes) == len(failed_report.errors)
    for note, error in zip(notes, failed_report.errors, strict=True):
        assert note["level"] == "error"
        location = note["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith(Path(error.file).name)
        assert location.get("region", {}).get("startLine") == error.line
        assert note["message"]["text"] == error.message.get(lang)
    assert FAILED_INPUT in {d["id"] for d in run["tool"]["driver"]["notifications"]}


def test_sarif_without_failures_keeps_a_successful_or_absent_invocation() -> None:
    log = json.loads(FORMATS["sarif"](report_of(checked(SHINJUKU)), "ja"))
    assert all(i["executionSuccessful"] for i in log["runs"][0].get("invocations", []))


def test_junit_has_an_error_case_per_failed_file_and_right_counts(failed_report: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(FORMATS["junit"](failed_report, "en"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == len(failed_report.results) + 2
    errored = [case for suite in suites for case in suite if any(isinstance(r, Error) for r in case.result)]
    assert sorted(case.name for case in errored) == sorted(failed_files(failed_report))
    assert xml.errors == 2 and sum(s.errors for s in suites) == 2
    assert xml.tests == sum(s.tests for s in suites) == sum(len(list(s)) for s in suites)
    assert xml.failures == sum(s.failures for s in suites)


def test_json_lists_errors_and_validates(failed_report: Report) -> None:
    data = json.loads(FORMATS["json"](failed_report, "ja"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(data)
    assert [e["file"] for e in data["errors"]] == [e.file for e in failed_report.errors]
    assert {"ja", "en"} <= set(data["errors"][0]["message"])


@pytest.mark.parametrize("name", ["markdown", "html", "step-summary"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_documents_have_a_section(failed_report: Report, name: str, lang: str) -> None:
    text = FORMATS[name](failed_report, lang)  # type: ignore[arg-type]
    title = "検査できなかったファイル" if lang == "ja" else "Inputs that could not be checked"
    assert title in text
    assert text.index(title) < text.index(failed_report.results[0].plan_title[:10])  # before the plans
    for file in failed_files(failed_report):
        assert Path(file).name in text


@pytest.mark.parametrize("name", ["github", "gitlab", "concise"])
def test_ci_formats_carry_each_failed_input(failed_report: Report, name: str) -> None:
    text = FORMATS[name](failed_report, "en")
    for error in failed_report.errors:
        assert error.file in text or error.file.replace("\\", "/") in text
    if name == "github":
        assert sum(line.startswith("::error file=") and "typo.yaml" in line for line in text.splitlines()) == 1
    if name == "concise":
        assert any(line.startswith(f"{failed_report.errors[0].file}:") for line in text.splitlines())


def test_only_failures_is_not_reported_as_no_findings(tmp_path: Path) -> None:
    report = report_of(errors=tuple(load_failures(tmp_path)))
    for name in ("markdown", "html"):
        text = FORMATS[name](report, "en")
        assert "Inputs that could not be checked" in text and "No findings" not in text
