"""Building reports for the format tests, and checks shared by them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from safeguard_check import __version__
from safeguard_check.check import check_plan
from safeguard_check.findings.model import CheckResult, CoverageCell, Finding, Report, WaiverRef
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.reading import MissingField, ReadingNotes, UnrecognisedSentence

REPO = Path(__file__).resolve().parents[2]
SHINJUKU = "cases/shinjuku-2020-mynumber-card/declaration.yaml"
MINIMAL = "tests/data/minimal.yaml"
SHINJUKU_FINDINGS = 11
WAIVED_RULE = "SGC-TERMINAL-MFA"
HOSTILE_TITLE = "<script>alert(1)</script> | 計画\n第2行 `code` *em* [x](https://evil.example)"


@cache
def checked(path: str) -> CheckResult:
    """``path`` (relative to the repository, as a user would give it) checked against the catalogue."""
    import os

    cwd = os.getcwd()
    try:
        os.chdir(REPO)
        return check_plan(load_declaration(path), load_catalog())
    finally:
        os.chdir(cwd)


def report_of(*results: CheckResult, **kwargs: Any) -> Report:
    """A Report over ``results`` as the CLI would build it."""
    return Report(tool_version=__version__, fail_on="high", results=results, **kwargs)


def waiver(f: Finding, wid: str = "W-001", expires: dt.date = dt.date(2021, 3, 31)) -> WaiverRef:
    """A waiver naming ``f``'s rule and subject."""
    return WaiverRef(
        id=wid,
        rule=f.rule_id,
        requirement=None,
        subject=f.subject_id,
        justification="住民情報システムは令和3年度に更改予定のため、それまで多要素認証の導入を見送る",
        approved_by="情報政策課長",
        granted_on=dt.date(2020, 4, 1),
        expires=expires,
        file="waivers.yaml",
        line=3,
    )


def with_waived(result: CheckResult, rule_id: str = WAIVED_RULE) -> CheckResult:
    """``result`` with the first finding of ``rule_id`` waived, plus an expired and an unmatched waiver.

    The coverage cells are updated the way the checker computes them (a cell is waived when every
    finding on it is), so that the report is internally consistent.
    """
    target = next(f for f in result.findings if f.rule_id == rule_id)
    w = waiver(target)
    findings = tuple(
        f.model_copy(update={"status": "waived", "waiver": w}) if f is target else f for f in result.findings
    )
    statuses: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        for r in f.requirements:
            statuses.setdefault((r.id, f.party_id), []).append(f.status)
    coverage = tuple(
        CoverageCell(requirement=c.requirement, party=c.party, status="waived")
        if c.status == "gap" and all(s == "waived" for s in statuses.get((c.requirement, c.party), ["open"]))
        else c
        for c in result.coverage
    )
    expired = waiver(target, "W-OLD", dt.date(2019, 3, 31)).model_copy(
        update={"rule": "SGC-TERMINAL-LOGGING", "line": 12}
    )
    unmatched = waiver(target, "W-GONE").model_copy(update={"subject": "removed-terminal", "line": 20})
    return result.model_copy(
        update={
            "findings": findings,
            "coverage": coverage,
            "waivers_expired": (expired,),
            "waivers_unmatched": (unmatched,),
        }
    )


def hostile(result: CheckResult) -> CheckResult:
    """``result`` with markup, control characters and table syntax in the plan's own text."""
    first = result.findings[0].model_copy(update={"subject_name": "端末 | 1\n2 <b>bold</b> & `tick` \x07bell"})
    return result.model_copy(
        update={
            "plan_title": HOSTILE_TITLE,
            "municipality": "新宿区 & <i>区</i>",
            "department": "戸籍|住民課",
            "findings": (first, *result.findings[1:]),
        }
    )


# Japanese script a catalogue label would leave behind (kana, kanji, CJK punctuation, full-width
# forms), except 〜 (U+301C), which is the coverage matrix's "waived" mark in both languages.
_JAPANESE = re.compile("[\u3001-\u301b\u301d-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffef]")


def _strings(node: object, in_localized: bool = False) -> Iterator[tuple[str, bool]]:
    if isinstance(node, dict):
        localized = set(node) == {"ja", "en"}
        for key, value in node.items():
            if localized:
                yield (value, key == "en")
            else:
                yield from _strings(value, in_localized)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, in_localized)
    elif isinstance(node, str):
        yield (node, True)


def japanese_leftovers(text: str, report: Report) -> list[str]:
    """Japanese in an English rendering that does not come from the plan's own data.

    Every string of the report that is not the Japanese half of a ja/en pair is allowed (plan titles,
    names and waiver justifications are Japanese whatever the output language); it is removed, and
    whatever Japanese remains came from the catalogue or a ``.ja`` text: a translation leak.
    """
    allowed = sorted({s for s, ok in _strings(report.model_dump(mode="json")) if ok and s}, key=len, reverse=True)
    for s in allowed:
        text = text.replace(s, " ")
    return sorted({m.group(0) for m in _JAPANESE.finditer(text)})


# A plan read from a council document: Shinjuku's declaration with ReadingNotes as ingest fills them
# (three sentences it could not map, one missing form field), checked through check_plan.
UNREAD_TRAINING = "職員に対し、個人情報保護に関する研修を年1回実施する。"
UNREAD_NOTICE = "機構に事務を行わせる開始日は区の公報で公示した。"
UNREAD_OTHER = "関係法令を遵守する。"
NOT_JUDGED_RULE = "SGC-PLAN-COUNCIL-REPORT"


def reading_notes() -> ReadingNotes:
    """What ingest would note for a document whose three sentences it did not understand."""
    return ReadingNotes(
        unrecognised=(
            UnrecognisedSentence(40, UNREAD_TRAINING, "別紙1 区が行う 運用上の対策 5", "measure", ("shinjuku",)),
            UnrecognisedSentence(212, UNREAD_NOTICE, "別紙1 委任先に行わせる 運用上の対策 6", "measure", ("jlis",)),
            UnrecognisedSentence(None, UNREAD_OTHER, "別紙2 機構 運用上の対策 9", "measure", ()),
        ),
        measure_sentences=40,
        mapped_sentences=37,
        missing_fields=(MissingField("plan.report_kind", "報告・諮問の別", 3, (NOT_JUDGED_RULE,)),),
    )


@cache
def document_checked() -> CheckResult:
    """Shinjuku as if read from its council document, with :func:`reading_notes`."""
    import dataclasses
    import os

    cwd = os.getcwd()
    try:
        os.chdir(REPO)
        plan = dataclasses.replace(load_declaration(SHINJUKU), reading=reading_notes())
        result = check_plan(plan, load_catalog())
    finally:
        os.chdir(cwd)
    return result.model_copy(update={"source_kind": "document"})
