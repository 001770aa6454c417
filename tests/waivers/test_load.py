"""Waivers files are read safely and checked against the catalogue; every problem is located, ja and en."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.errors import InputError, InputIssue, render
from safeguard_check.load.catalog import Catalog
from safeguard_check.waivers import load_waivers

from .conftest import SHINJUKU_DIR

GOOD = """\
schema_version: 1
waivers:
  - id: W-1
    rule: SGC-TERMINAL-MFA
    subject: shinjuku-resident-info-terminal
    justification: 静脈認証端末の導入までの間、操作ログの日次確認で補う
    approved_by: 戸籍住民課長
    granted_on: 令和2年5月20日
    expires: 2021-03-31
"""


def write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def issues_of(path: Path, catalog: Catalog) -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        load_waivers(path, catalog)
    return info.value.issues


def test_good_file_loads(tmp_path: Path, catalog: Catalog) -> None:
    waivers = load_waivers(write(tmp_path, GOOD), catalog)
    (w,) = waivers.waivers
    assert (w.id, w.rule, w.requirement, w.subject) == (
        "W-1",
        "SGC-TERMINAL-MFA",
        None,
        "shinjuku-resident-info-terminal",
    )
    assert w.granted_on.isoformat() == "2020-05-20" and w.expires.isoformat() == "2021-03-31"
    assert w.line == 3 and w.file.endswith("waivers.yaml")
    assert waivers.implements["SGC-TERMINAL-MFA"]  # the catalogue's rule → requirements map


def test_json_and_empty_list_are_accepted(tmp_path: Path, catalog: Catalog) -> None:
    assert load_waivers(write(tmp_path, '{"schema_version": 1, "waivers": []}', "w.json"), catalog).waivers == ()


def test_example_file_loads_against_the_bundled_catalog(catalog: Catalog) -> None:
    waivers = load_waivers(SHINJUKU_DIR / "waivers.example.yaml", catalog)
    (w,) = waivers.waivers
    assert w.requirement == "APPI-25" and w.subject == "jlis-contractors" and w.plan == "新宿区"
    assert w.approved_by == "戸籍住民課長" and w.expires.isoformat() == "2021-03-31"
    assert " " not in w.justification  # the line continuations leave no stray spaces in the Japanese


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


SECOND = """\
  - id: W-2
    rule: SGC-SESSION-LOGOFF
    subject: shinjuku-jukinet-terminal
    justification: x
    approved_by: y
    granted_on: 2020-05-20
    expires: 2021-03-31
"""

# (case, file text, message key, line, Japanese fragment, English fragment, suggestion expected)
BAD: list[tuple[str, str, str, int, str, str, str | None]] = [
    (
        "missing justification",
        _replace("    justification: 静脈認証端末の導入までの間、操作ログの日次確認で補う\n", ""),
        "schema.missing",
        3,
        "必須の項目「justification」がありません",
        "required field 'justification' is missing",
        None,
    ),
    (
        "missing expires",
        _replace("    expires: 2021-03-31\n", ""),
        "schema.missing",
        3,
        "必須の項目「expires」がありません",
        "required field 'expires' is missing",
        None,
    ),
    (
        "expires before granted_on",
        _replace("expires: 2021-03-31", "expires: 2020-05-01"),
        "waiver.expires_not_after_granted",
        9,
        "承認日 令和2年5月20日（2020-05-20）より後",
        "expires (2020-05-01) must be after granted_on (2020-05-20)",
        None,
    ),
    (
        "expires on the day granted",
        _replace("expires: 2021-03-31", "expires: R2.5.20"),
        "waiver.expires_not_after_granted",
        9,
        "より後の日付",
        "must be after",
        None,
    ),
    (
        "unknown rule",
        _replace("rule: SGC-TERMINAL-MFA", "rule: SGC-TERMINAL-MFX"),
        "waiver.unknown_rule",
        4,
        "規則「SGC-TERMINAL-MFX」はありません",
        "unknown rule 'SGC-TERMINAL-MFX'",
        "SGC-TERMINAL-MFA",
    ),
    (
        "unknown rule in lower case",
        _replace("rule: SGC-TERMINAL-MFA", "rule: sgc-terminal-mfa"),
        "waiver.unknown_rule",
        4,
        "規則「sgc-terminal-mfa」はありません",
        "unknown rule 'sgc-terminal-mfa'",
        "SGC-TERMINAL-MFA",
    ),
    (
        "unknown requirement",
        _replace("rule: SGC-TERMINAL-MFA", "requirement: BANGO-11X"),
        "waiver.unknown_requirement",
        4,
        "要件「BANGO-11X」はありません",
        "unknown requirement 'BANGO-11X'",
        "BANGO-11",
    ),
    (
        "rule does not implement the requirement",
        _replace("rule: SGC-TERMINAL-MFA\n", "rule: SGC-TERMINAL-MFA\n    requirement: BANGO-11\n"),
        "waiver.rule_requirement_mismatch",
        5,
        "規則 SGC-TERMINAL-MFA は要件 BANGO-11 を実装していません",
        "rule SGC-TERMINAL-MFA does not implement requirement BANGO-11",
        None,
    ),
    (
        "neither rule nor requirement",
        _replace("    rule: SGC-TERMINAL-MFA\n", ""),
        "waiver.no_target",
        3,
        "rule（規則 id）と requirement（要件 id）の少なくとも一方",
        "give a rule id (rule), a requirement id (requirement) or both",
        None,
    ),
    (
        "wildcard subject without a rule",
        _replace(
            "    rule: SGC-TERMINAL-MFA\n    subject: shinjuku-resident-info-terminal\n",
            "    requirement: BANGO-11\n    subject: '*'\n",
        ),
        "waiver.wildcard_needs_rule",
        5,
        'subject: "*"（すべての対象）は rule を指定したときに限り',
        'subject "*" (every subject) is only allowed together with a rule',
        None,
    ),
    (
        "bad subject id",
        _replace("subject: shinjuku-resident-info-terminal", "subject: 住民情報端末"),
        "waiver.bad_subject",
        5,
        "対象 id は半角英数字",
        "a subject id uses ASCII letters",
        None,
    ),
    (
        "blank justification",
        _replace("justification: 静脈認証端末の導入までの間、操作ログの日次確認で補う", "justification: '　'"),
        "waiver.blank",
        6,
        "「justification」が空です",
        "'justification' is empty",
        None,
    ),
    (
        "duplicate id",
        GOOD + SECOND.replace("W-2", "W-1"),
        "waiver.duplicate_id",
        10,
        "リスク受容の id「W-1」が重複しています（最初は 3 行目）",
        "waiver id 'W-1' is used twice (first at line 3)",
        None,
    ),
    (
        "duplicate key",
        _replace("    subject:", "    rule: SGC-SESSION-LOGOFF\n    subject:"),
        "syntax.duplicate_key",
        5,
        "キー「rule」が重複しています（最初は 4 行目）",
        "duplicate key 'rule' (first at line 4)",
        None,
    ),
    (
        "impossible date",
        _replace("expires: 2021-03-31", "expires: 令和3年2月30日"),
        "schema.date",
        9,
        "日付として読めません: 令和3年2月30日（存在しない日付です）",
        "not a valid date: 令和3年2月30日 (no such date)",
        None,
    ),
    (
        "unrecognised date",
        _replace("expires: 2021-03-31", "expires: next spring"),
        "schema.date",
        9,
        "日付の形式が正しくありません",
        "unrecognised date form",
        None,
    ),
    (
        "unknown key",
        _replace("    approved_by: 戸籍住民課長\n", "    approved_by: 戸籍住民課長\n    approver: 区長\n"),
        "schema.unknown_key",
        8,
        "不明なキー「approver」です",
        "unknown key 'approver'",
        "approved_by",
    ),
    (
        "yaml tag",
        _replace("approved_by: 戸籍住民課長", "approved_by: !!python/name:os.system ''"),
        "syntax.tag",
        7,
        "YAML タグ",
        "YAML tag",
        None,
    ),
    (
        "wrong schema version",
        GOOD.replace("schema_version: 1", "schema_version: 2"),
        "schema.literal",
        1,
        "使用できる値は",
        "allowed values are",
        None,
    ),
    (
        "waivers is not a list",
        "schema_version: 1\nwaivers:\n  id: W-1\n",
        "schema.type",
        2,
        "型が違います",
        "wrong type",
        None,
    ),
]


@pytest.mark.parametrize(("case", "text", "key", "line", "ja", "en", "suggestion"), BAD, ids=[case for case, *_ in BAD])
def test_bad_waiver_files_are_located_errors(
    tmp_path: Path,
    catalog: Catalog,
    case: str,
    text: str,
    key: str,
    line: int,
    ja: str,
    en: str,
    suggestion: str | None,
) -> None:
    path = write(tmp_path, text)
    issues = issues_of(path, catalog)
    matching = [i for i in issues if i.key == key]
    assert matching, f"{case}: expected {key}, got {[i.key for i in issues]}"
    issue = matching[0]
    assert issue.file == str(path) and issue.line == line, (case, issue)
    rendered_ja, rendered_en = render(issue, "ja"), render(issue, "en")
    assert rendered_ja.startswith(f"{path}:{line}:") and rendered_en.startswith(f"{path}:{line}:")
    assert ja in rendered_ja, rendered_ja
    assert en in rendered_en, rendered_en
    assert "{" not in rendered_ja.splitlines()[0] + rendered_en.splitlines()[0]  # placeholders filled
    if suggestion is not None:
        assert suggestion in issue.suggestions
        assert f"候補: {suggestion}" in rendered_ja and f"did you mean: {suggestion}" in rendered_en


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path, catalog: Catalog) -> None:
    text = (
        _replace("rule: SGC-TERMINAL-MFA", "rule: SGC-NOPE")
        + SECOND.replace("    justification: x\n", "")
        + SECOND.replace("W-2", "W-3").replace("expires: 2021-03-31", "expires: 2020-01-01")
    )
    issues = issues_of(write(tmp_path, text), catalog)
    assert [(i.key, i.line) for i in issues] == [
        ("waiver.unknown_rule", 4),
        ("schema.missing", 10),
        ("waiver.expires_not_after_granted", 22),
    ]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("missing.yaml", None, "io.not_found"),
        ("waivers.txt", "schema_version: 1\n", "io.unsupported_extension"),
        ("list.yaml", "- 1\n- 2\n", "syntax.root_not_mapping"),
        ("empty.yaml", "# nothing\n", "syntax.empty"),
        ("broken.yaml", "waivers: [\n", "syntax.yaml"),
    ],
)
def test_unusable_files(tmp_path: Path, catalog: Catalog, name: str, content: str | None, key: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert [i.key for i in issues_of(path, catalog)] == [key]


def test_cp932_file_is_decoded(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "w.yaml"
    path.write_bytes(GOOD.encode("cp932"))
    assert load_waivers(path, catalog).waivers[0].approved_by == "戸籍住民課長"


def test_full_width_subject_and_plan_are_normalised(tmp_path: Path, catalog: Catalog) -> None:
    text = _replace("subject: shinjuku-resident-info-terminal", "subject: ｓｈｉｎｊｕｋｕ-resident-info-terminal")
    text = text.replace("    justification:", "    plan: 　新宿区\n    justification:")
    (w,) = load_waivers(write(tmp_path, text), catalog).waivers
    assert w.subject == "shinjuku-resident-info-terminal" and w.plan == "新宿区"
