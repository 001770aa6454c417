"""The CI formats: ``github`` annotations, ``gitlab`` Code Quality, ``concise`` lines, ``step-summary``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from safeguard_check.check import check_plan
from safeguard_check.findings.model import Report
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.report.formats import FORMATS
from safeguard_check.report.formats.github import escape_data, escape_property
from safeguard_check.report.formats.gitlab import SEVERITY
from safeguard_check.report.formats.markdown import render_markdown
from safeguard_check.report.formats.step_summary import LIMIT, render_step_summary

from .helpers import REPO, report_of

GITLAB_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "gitlab-codequality.schema.json"
# ::command key=value,key=value::message — as the runner splits it (properties hold no raw ',' or ':').
COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:\n]*)(?:,[a-z]+=[^,:\n]*)*)::([^\r\n]*)$")
CONCISE = re.compile(
    r"^(?P<path>.+?):(?:(?P<line>[0-9]+):)? (?P<sev>critical|high|medium|low|info|error) "
    r"(?P<rule>SGC-[A-Z0-9-]+) (?P<msg>.+)$"
)


def unescape(text: str) -> str:
    """What the runner does to an escaped value (toolkit ``command.ts``, reversed)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def open_count(report: Report) -> int:
    return sum(1 for r in report.results for f in r.findings if f.status == "open")


def test_github_escaping_is_the_toolkits() -> None:
    assert escape_data("50%\r\nok: a,b") == "50%25%0D%0Aok: a,b"
    assert escape_property("plans/a:b,c%.yaml\n") == "plans/a%3Ab%2Cc%25.yaml%0A"
    assert unescape(escape_property("a%0Ab:,%")) == "a%0Ab:,%"  # a literal %0A survives


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_github_one_annotation_per_open_finding(all_reports: dict[str, Report], lang: str) -> None:
    for name, report in all_reports.items():
        lines = FORMATS["github"](report, lang).splitlines()  # type: ignore[arg-type]
        assert len(lines) == open_count(report), name
        opened = [f for r in report.results for f in r.findings if f.status == "open"]
        for line, f in zip(lines, opened, strict=True):
            match = COMMAND.match(line)
            assert match, line
            props = dict(p.split("=", 1) for p in match.group(2).split(","))
            assert unescape(props["file"]) == f.file and props["line"] == str(f.line)
            assert unescape(props["title"]).startswith(f.rule_id)
            assert unescape(match.group(3)).startswith(" ".join(f.message.get(lang).split()))
            level = {"critical": "error", "high": "error", "medium": "warning"}.get(f.severity, "notice")
            assert match.group(1) == level


def test_github_hostile_text_stays_on_one_command(hostile_report: Report) -> None:
    text = FORMATS["github"](hostile_report, "ja")
    assert all(COMMAND.match(line) for line in text.splitlines())
    assert text.count("\n") == open_count(hostile_report)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_gitlab_validates_and_fingerprints_are_unique(all_reports: dict[str, Report], lang: str) -> None:
    schema = json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name, report in all_reports.items():
        issues = json.loads(FORMATS["gitlab"](report, lang))  # type: ignore[arg-type]
        validator.validate(issues)
        assert len(issues) == open_count(report), name
        assert len({i["fingerprint"] for i in issues}) == len(issues)
        opened = [f for r in report.results for f in r.findings if f.status == "open"]
        assert [i["severity"] for i in issues] == [SEVERITY[f.severity] for f in opened]
        assert [i["check_name"] for i in issues] == [f.rule_id for f in opened]


def test_gitlab_schema_rejects_what_gitlab_would() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8")))
    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor"}
    assert validator.is_valid([{**good, "location": {"path": "a.yaml", "lines": {"begin": 1}}}])
    assert not validator.is_valid([{**good, "severity": "high", "location": {"path": "a", "lines": {"begin": 1}}}])
    assert not validator.is_valid([{**good, "location": {"path": "/abs/a.yaml", "lines": {"begin": 1}}}])
    assert not validator.is_valid([{**good, "location": {"path": "a.yaml"}}])


def test_concise_one_line_per_open_finding(all_reports: dict[str, Report]) -> None:
    for name, report in all_reports.items():
        lines = FORMATS["concise"](report, "en").splitlines()
        assert len(lines) == open_count(report), name
        opened = [f for r in report.results for f in r.findings if f.status == "open"]
        for line, f in zip(lines, opened, strict=True):
            match = CONCISE.match(line)
            assert match, line
            assert (match["path"], match["line"], match["sev"], match["rule"]) == (
                f.file,
                str(f.line),
                f.severity,
                f.rule_id,
            )


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """60 generated plans (benchmarks/corpus.py): a Markdown report over GitHub's 1 MiB summary limit."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import corpus

    catalog = load_catalog()
    paths = corpus(tmp_path_factory.mktemp("batch"), 60)
    return report_of(*(check_plan(load_declaration(p), catalog, engine="reference") for p in paths))


def test_step_summary_stays_under_githubs_limit_and_says_what_it_left_out(batch: Report) -> None:
    full = render_markdown(batch, "ja")
    assert len(full.encode("utf-8")) > 1024 * 1024  # the whole report would be refused
    capped = render_step_summary(batch, "ja")
    assert len(capped.encode("utf-8")) <= LIMIT < 1024 * 1024
    shown = [r for r in batch.results if f"- **ファイル**: `{r.file}`" in capped]  # a plan's details
    left = len(batch.results) - len(shown)
    assert 0 < left < len(batch.results)
    assert batch.results[: len(shown)] == tuple(shown)  # details in report order, cut at the end
    # Every plan still has its one-line row (worst first), before any details.
    assert all(f"| `{r.file}` |" in capped for r in batch.results)
    assert capped.index("計画ごとの指摘（重い順）") < capped.index("- **ファイル**")
    findings_left = sum(len(r.findings) for r in batch.results[len(shown) :])
    assert f"計画 {left} 件（指摘 {findings_left} 件）" in capped
    assert capped.rstrip().endswith("</sub>")  # the footer is kept


def test_step_summary_is_the_markdown_report_when_it_fits(all_reports: dict[str, Report]) -> None:
    for report in all_reports.values():
        summary, full = render_step_summary(report, "en"), render_markdown(report, "en")
        if len(report.results) == 1:
            assert summary == full
        else:  # the full report with the per-plan table after its head, nothing cut
            head, table_and_rest = summary.split("## Findings per plan (worst first)\n", 1)
            assert head + table_and_rest[table_and_rest.index("\n## ") + 1 :] == full
            assert "leaves out" not in summary


def test_step_summary_with_a_small_limit_keeps_the_counts(batch: Report) -> None:
    capped = render_step_summary(batch, "en", limit=20_000)
    assert len(capped.encode("utf-8")) <= 20_000
    assert "Plans" in capped and f"leaves out the details of {len(batch.results)} plan" in capped
    rows = sum(1 for r in batch.results if f"| `{r.file}` |" in capped)
    assert 0 < rows < len(batch.results)  # the per-plan table was cut too, and says so
    assert f"leaves out the details of {len(batch.results) - rows} plan" in capped
