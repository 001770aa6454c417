"""JUnit XML: structure common readers expect, and counts that match the Report."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from safeguard_check.findings.model import CheckResult, Report
from safeguard_check.report.formats.junit import render_junit

from .helpers import SHINJUKU, SHINJUKU_FINDINGS, WAIVED_RULE, checked, report_of

SUITE_ATTRS = ("tests", "failures", "errors", "skipped")


def parse(report: Report, lang: str = "ja") -> ET.Element:
    return ET.fromstring(render_junit(report, lang).encode("utf-8"))  # type: ignore[arg-type]


def expected(result: CheckResult) -> dict[str, int]:
    pairs = set(result.applied) | {(f.rule_id, f.subject_id) for f in result.findings}
    open_pairs = {(f.rule_id, f.subject_id) for f in result.findings if f.status == "open"}
    waived_pairs = {(f.rule_id, f.subject_id) for f in result.findings if f.status == "waived"} - open_pairs
    return {
        "tests": len(pairs) + len(result.rules_inactive),
        "failures": len(open_pairs),
        "errors": 0,
        "skipped": len(waived_pairs) + len(result.rules_inactive),
    }


def counted(el: ET.Element) -> dict[str, int]:
    cases = list(el.iter("testcase"))
    return {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }


def test_structure_is_testsuites_testsuite_testcase(all_reports: dict[str, Report]) -> None:
    for name, report in all_reports.items():
        root = parse(report)
        assert root.tag == "testsuites", name
        suites = list(root)
        assert [s.tag for s in suites] == ["testsuite"] * len(report.results)
        for suite in suites:
            assert suite.get("name")
            children = [c.tag for c in suite]
            assert children[0] == "properties" and set(children[1:]) == {"testcase"}
            for case in suite.iter("testcase"):
                assert case.get("classname") and case.get("name")
                outcomes = [c.tag for c in case]
                assert outcomes in ([], ["failure"], ["skipped"]), outcomes
            props = suite.find("properties")
            assert props is not None
            for prop in props:
                assert prop.tag == "property" and prop.get("name") and prop.get("value") is not None


def test_counts_match_the_report(all_reports: dict[str, Report]) -> None:
    for name, report in all_reports.items():
        root = parse(report)
        totals = dict.fromkeys(SUITE_ATTRS, 0)
        for suite, result in zip(root, report.results, strict=True):
            want = expected(result)
            assert {k: int(suite.get(k, "-1")) for k in SUITE_ATTRS} == want, name
            assert counted(suite) == want, name
            for k in SUITE_ATTRS:
                totals[k] += want[k]
        assert {k: int(root.get(k, "-1")) for k in SUITE_ATTRS} == totals, name
        assert counted(root) == totals, name


def test_shinjuku_has_15_failures(shinjuku: Report) -> None:
    suite = parse(shinjuku)[0]
    result = shinjuku.results[0]
    assert suite.get("failures") == str(SHINJUKU_FINDINGS)
    assert suite.get("tests") == str(len(result.applied) + len(result.rules_inactive))
    assert suite.get("name") == f"{result.municipality} {result.plan_title} [{SHINJUKU}]"
    cases = {(c.get("classname"), c.get("name", "").split(" ")[0]): c for c in suite.iter("testcase")}
    for f in result.findings:
        failure = cases[(f.rule_id, f.subject_id)].find("failure")
        assert failure is not None
        assert failure.get("message") == f.title.ja
        assert failure.get("type") == f.severity
        text = failure.text or ""
        assert f.message.ja in text and f.remediation.ja in text
        assert f"{f.file}:{f.line}" in text
        for r in f.requirements:
            assert r.label.ja in text
        for m in f.missing:
            assert m.label.ja in text


def test_waived_finding_is_skipped_with_its_justification(waived: Report) -> None:
    suite = parse(waived, "en")[0]
    f = next(f for f in waived.results[0].findings if f.status == "waived")
    assert f.rule_id == WAIVED_RULE
    (case,) = [
        c
        for c in suite.iter("testcase")
        if c.get("classname") == f.rule_id and (c.get("name") or "").startswith(f.subject_id)
    ]
    skipped = case.find("skipped")
    assert skipped is not None and case.find("failure") is None
    message = skipped.get("message") or ""
    assert message.startswith("waived: ") and "多要素認証" in message and "2021-03-31" in message
    assert suite.get("failures") == str(SHINJUKU_FINDINGS - 1)


@pytest.mark.parametrize(("lang", "text"), [("en", "not in force on 2020-05-25"), ("ja", "令和2年5月25日")])
def test_inactive_rules_are_skipped(shinjuku: Report, lang: str, text: str) -> None:
    suite = parse(shinjuku, lang)[0]
    for rule_id in shinjuku.results[0].rules_inactive:
        (case,) = [c for c in suite.iter("testcase") if c.get("classname") == rule_id]
        skipped = case.find("skipped")
        assert skipped is not None and text in (skipped.get("message") or "")


def test_properties_record_the_law_applied(shinjuku: Report) -> None:
    props = {p.get("name"): p.get("value") for p in parse(shinjuku)[0].iter("property")}
    assert props["as_of"] == "2020-05-25"
    assert props["file"] == SHINJUKU
    assert props["catalog_digest"] == shinjuku.results[0].catalog_digest


def test_plan_text_cannot_break_the_xml(hostile_report: Report) -> None:
    root = parse(hostile_report)  # parses although the subject name holds a control character
    suite = root[0]
    assert (suite.get("name") or "").startswith("新宿区 & <i>区</i> <script>")
    failure_texts = "".join(c.findtext("failure") or "" for c in suite.iter("testcase"))
    assert "\x07" not in failure_texts and "\ufffdbell" in failure_texts


def test_a_finding_outside_applied_is_still_a_failure() -> None:
    result = checked(SHINJUKU)
    report = report_of(result.model_copy(update={"applied": ()}))
    suite = parse(report)[0]
    assert suite.get("failures") == str(SHINJUKU_FINDINGS)
    assert suite.get("tests") == str(SHINJUKU_FINDINGS + len(result.rules_inactive))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_suites_written_one_at_a_time_are_the_whole_tree(all_reports: dict[str, Report], lang: str) -> None:
    """The streamed document (one suite serialised at a time) is byte for byte the document that
    ElementTree writes for the whole tree, indented at once: the way it was built before streaming."""
    from safeguard_check.report.formats import junit

    empty = report_of()
    for name, report in {**all_reports, "empty": empty}.items():
        root = ET.Element("testsuites", {"name": report.tool})
        for result in report.results:
            junit._suite(root, result, lang, report.tool_version)  # type: ignore[arg-type]
        for attr in SUITE_ATTRS:
            root.set(attr, str(sum(int(suite.get(attr, "0")) for suite in root)))
        ET.indent(root)
        whole = f'<?xml version="1.0" encoding="UTF-8"?>\n{ET.tostring(root, encoding="unicode")}\n'
        pieces = list(junit.stream_junit(report, lang))  # type: ignore[arg-type]
        assert "".join(pieces) == whole, name
        assert len(pieces) == (len(report.results) + 3 if report.results else 2), name
