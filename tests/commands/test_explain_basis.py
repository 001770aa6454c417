"""`explain` shows a requirement's basis kind and editions, and a rule's severity cap on a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commands.app_runner import run
from synthetic_catalog import write_catalog

EDITIONS = [
    {
        "from": "2015-01-01",
        "until": "2021-01-01",
        "quote": None,
        "checked_against": {"source": "S1", "edition": None, "verification": "unverified"},
    },
    {
        "from": "2021-01-01",
        "until": None,
        "quote": "新しい版の本文",
        "checked_against": {"source": "S2", "edition": "2025-05-26", "verification": "official_text"},
    },
]


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    baselines, rules = write_catalog(tmp_path_factory.mktemp("explain"), editions=EDITIONS)
    return str(baselines), str(rules)


def test_requirement_shows_basis_kind_and_each_edition(dirs: tuple[str, str]) -> None:
    code, out, _ = run("explain", "T-LAW", "--baselines", dirs[0], "--rules", dirs[1])
    assert code == 0
    assert "根拠の種類" in out and "法律 (law)" in out
    assert "2015-01-01 – 2021-01-01: S1 で原文未確認・上限 高" in out
    assert "2021-01-01 – 現在も施行中: S2（2025-05-26 版） で原文で確認・上限 重大" in out.replace("\n", "")
    assert "（この版の原文は保持していない）" in out and "「新しい版の本文」" in out


def test_requirement_basis_override_in_english(dirs: tuple[str, str]) -> None:
    code, out, _ = run("explain", "T-PRACTICE", "--lang", "en", "--baselines", dirs[0], "--rules", dirs[1])
    assert code == 0 and "operating practice (practice)" in out and "cap medium" in out


def test_rule_shows_the_cap_for_the_date_and_profile(dirs: tuple[str, str]) -> None:
    args = ("--baselines", dirs[0], "--rules", dirs[1])
    code, out, _ = run("explain", "R-GUIDELINE", "--as-of", "2020-01-01", *args)
    assert code == 0
    assert "重大度の上限" in out
    flat = out.replace("\n", "").replace(" ", "")
    assert "上限高（T-GUIDELINE:ガイドライン・原文で確認）→報告される重大度高" in flat
    code, out, _ = run("explain", "R-GUIDELINE", "--as-of", "2020-01-01", "--profile", "law", *args)
    flat = out.replace("\n", "").replace(" ", "")
    assert "プロファイルlaw:上限中（T-NOTICE:告示・原文未確認）→報告される重大度中" in flat
    code, out, _ = run("explain", "R-PRACTICE", "--profile", "law", *args)
    assert "この規則は実行されない" in out.replace("\n", "").replace(" ", "")


def test_rule_cap_follows_the_edition_in_force(dirs: tuple[str, str]) -> None:
    args = ("--format", "json", "--baselines", dirs[0], "--rules", dirs[1])
    _, before, _ = run("explain", "R-LAW", "--as-of", "2020-01-01", *args)
    _, after, _ = run("explain", "R-LAW", "--as-of", "2022-01-01", *args)
    cap_before = json.loads(before)["items"][0]["severity_cap"]
    cap_after = json.loads(after)["items"][0]["severity_cap"]
    assert cap_before["cap"]["verification"] == "unverified" and cap_before["effective_severity"] == "high"
    assert cap_after["cap"]["severity"] == "critical" and cap_after["effective_severity"] == "critical"
    req = {r["id"]: r for r in json.loads(after)["items"][0]["requirements"]}
    assert req["T-PRACTICE"]["basis_kind"] == "practice" and req["T-PRACTICE"]["cap"] == "medium"


def test_requirement_json_lists_editions(dirs: tuple[str, str]) -> None:
    code, out, _ = run("explain", "T-LAW", "--format", "json", "--baselines", dirs[0], "--rules", dirs[1])
    item = json.loads(out)["items"][0]
    assert code == 0 and item["basis_kind"] == "law" and item["instrument"]["basis_kind"] == "law"
    assert [(e["from"], e["until"], e["cap"]) for e in item["editions"]] == [
        ("2015-01-01", "2021-01-01", "high"),
        ("2021-01-01", None, "critical"),
    ]
    assert item["editions"][1]["checked_against"] == {
        "source": "S2",
        "edition": "2025-05-26",
        "verification": "official_text",
    }


def test_bad_as_of_and_unknown_profile_exit_2(dirs: tuple[str, str], tmp_path: Path) -> None:
    code, _, err = run("explain", "R-LAW", "--as-of", "someday", "--baselines", dirs[0], "--rules", dirs[1])
    assert code == 2 and "someday" in err
    code, _, err = run("explain", "R-LAW", "--profile", "nosuch", "--baselines", dirs[0], "--rules", dirs[1])
    assert code == 2 and "プロファイル「nosuch」はありません" in err


def test_every_bundled_rule_explains_with_a_cap() -> None:
    from safeguard_check.load.catalog import load_catalog

    for rule in load_catalog().rules:
        code, out, _ = run("explain", rule.id, "--format", "json")
        assert code == 0, rule.id
        item = json.loads(out)["items"][0]
        assert all(r["basis_kind"] for r in item["requirements"])


def test_lists_carry_basis_kinds(dirs: tuple[str, str]) -> None:
    code, out, _ = run("baselines", "list", "--all", "--format", "json", "--baselines", dirs[0], "--rules", dirs[1])
    data = json.loads(out)
    assert code == 0 and data["instruments"][0]["basis_kind"] == "law"
    by_id = {r["id"]: r for r in data["requirements"]}
    assert by_id["T-PRACTICE"]["basis_kind"] == "practice" and by_id["T-LAW"]["editions"] == 2


def test_legal_status_conditions_are_labelled() -> None:
    code, out, _ = run("explain", "SGC-CONTRACT-CONFIDENTIALITY")
    assert code == 0 and "client_legal_status: 行政機関等 (administrative_organ)" in out
