"""Baseline mode: record open findings by fingerprint, read them back, report only new findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from safeguard_check.baseline_file import baseline_text, filter_new, read_baseline, write_baseline
from safeguard_check.check import check_plan
from safeguard_check.errors import InputError, render
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.waivers import apply_waivers, parse_waivers

REPO = Path(__file__).resolve().parents[1]
SHINJUKU = REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml"
SHINJUKU_TEXT = SHINJUKU.read_text(encoding="utf-8")
# As many findings as the hand-written case expects (cases/…/expected.yaml, checked by the golden test).
SHINJUKU_FINDINGS = len(yaml.safe_load((SHINJUKU.parent / "expected.yaml").read_text(encoding="utf-8"))["findings"])


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def check_text(text: str, tmp_path: Path, catalog: Catalog, name: str = "plan.yaml") -> CheckResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_plan(load_declaration(path), catalog, engine="reference")


@pytest.fixture(scope="module")
def shinjuku(catalog: Catalog) -> CheckResult:
    return check_plan(load_declaration(SHINJUKU), catalog, engine="reference")


def test_round_trip_gives_no_new_findings(shinjuku: CheckResult, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [shinjuku]) == SHINJUKU_FINDINGS
    recorded = read_baseline(path)
    assert recorded == {f.fingerprint for f in shinjuku.findings}
    new = filter_new(shinjuku, recorded)
    assert new.findings == ()
    assert new.baseline_suppressed == tuple(sorted(recorded))
    assert new.coverage == shinjuku.coverage  # a suppressed gap is still a gap
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]  # no temporary file left


def test_file_is_deterministic_sorted_json_for_humans(shinjuku: CheckResult, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(first, [shinjuku])
    write_baseline(second, [shinjuku, shinjuku])  # duplicates collapse
    assert first.read_bytes() == second.read_bytes() == baseline_text([shinjuku]).encode("utf-8")
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2 and data["kind"] == "safeguard-check-baseline"
    entries = data["findings"]
    keys = [(e["municipality"], e["plan"], e["rule"], e["subject_kind"], e["subject"]) for e in entries]
    assert keys == sorted(keys)
    assert entries[0].keys() == {"fingerprint", "municipality", "plan", "rule", "severity", "subject", "subject_kind"}
    assert entries[0]["plan"] == shinjuku.plan_id == "path:cases/shinjuku-2020-mynumber-card/declaration.yaml"
    assert "新宿区" in first.read_text(encoding="utf-8")  # Japanese kept readable
    assert first.read_text(encoding="utf-8").endswith("}\n")


def test_overwrites_atomically(shinjuku: CheckResult, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("old", encoding="utf-8")
    write_baseline(path, [shinjuku])
    assert len(read_baseline(path)) == SHINJUKU_FINDINGS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_lines_added_at_the_top_do_not_resurrect_old_findings(
    shinjuku: CheckResult, tmp_path: Path, catalog: Catalog
) -> None:
    # The same plan edited is the same file: the baseline is taken of it where the edit will happen.
    shinjuku = check_text(SHINJUKU_TEXT, tmp_path, catalog)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [shinjuku])
    shifted_text = "\n\n# 追記: 令和2年6月 事務局で確認\n# reviewed\n\n" + SHINJUKU_TEXT
    shifted = check_text(shifted_text, tmp_path, catalog)
    assert [f.line for f in shifted.findings] != [f.line for f in shinjuku.findings]  # lines did move
    assert [f.fingerprint for f in shifted.findings] == [f.fingerprint for f in shinjuku.findings]
    new = filter_new(shifted, read_baseline(baseline))
    assert new.findings == () and len(new.baseline_suppressed) == SHINJUKU_FINDINGS


def test_removing_a_measure_gives_exactly_its_new_findings(
    shinjuku: CheckResult, tmp_path: Path, catalog: Catalog
) -> None:
    shinjuku = check_text(SHINJUKU_TEXT, tmp_path, catalog)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [shinjuku])
    assert SHINJUKU_TEXT.count("codes: [session.logoff]") == 2  # s1-principal-sys-6 and s2-principal-sys-6
    edited = check_text(SHINJUKU_TEXT.replace("codes: [session.logoff]", "codes: []"), tmp_path, catalog)
    new = filter_new(edited, read_baseline(baseline))
    assert {(f.rule_id, f.subject_id) for f in new.findings} == {
        ("SGC-SESSION-LOGOFF", "shinjuku-resident-info-terminal"),
        ("SGC-SESSION-LOGOFF", "shinjuku-jukinet-terminal"),
    }
    assert all(f.missing[0].code == "session.logoff" for f in new.findings)
    assert len(new.baseline_suppressed) == SHINJUKU_FINDINGS


def test_waived_findings_are_neither_recorded_nor_suppressed(
    shinjuku: CheckResult, tmp_path: Path, catalog: Catalog
) -> None:
    ws = parse_waivers(
        "schema_version: 1\nwaivers:\n  - {id: W-1, rule: SGC-TERMINAL-MFA, subject: '*', justification: j,"
        " approved_by: a, granted_on: 2020-05-20, expires: 2021-03-31}\n",
        "w.yaml",
        catalog,
    )
    waived = apply_waivers(shinjuku, ws, dt.date(2020, 6, 1))
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [waived]) == SHINJUKU_FINDINGS - 1
    recorded = read_baseline(path)
    mfa = next(f for f in shinjuku.findings if f.rule_id == "SGC-TERMINAL-MFA")
    assert mfa.fingerprint not in recorded
    # the full baseline suppresses open findings only: the waived one stays visible
    everything = {f.fingerprint for f in shinjuku.findings}
    kept = filter_new(waived, everything).findings
    assert [(f.rule_id, f.status) for f in kept] == [("SGC-TERMINAL-MFA", "waived")]
    # when the waiver has expired, the finding is new again
    expired = apply_waivers(shinjuku, ws, dt.date(2021, 4, 1))
    assert [f.rule_id for f in filter_new(expired, recorded).findings] == ["SGC-TERMINAL-MFA"]


def test_other_municipality_has_other_fingerprints(tmp_path: Path, catalog: Catalog) -> None:
    other = check_text(SHINJUKU_TEXT.replace("municipality: 新宿区", "municipality: 豊島区"), tmp_path, catalog)
    path = tmp_path / "baseline.json"
    write_baseline(path, [other])
    shinjuku = check_text(SHINJUKU_TEXT, tmp_path, catalog, "shinjuku.yaml")
    assert len(filter_new(shinjuku, read_baseline(path)).findings) == SHINJUKU_FINDINGS


FP = "0123456789abcdef0123"
ENTRY = (
    '{"fingerprint": "%s", "municipality": "新宿区", "rule": "SGC-X", "severity": "low", '
    '"subject": "s", "subject_kind": "terminal"}'
)


@pytest.mark.parametrize(
    ("text", "key", "line", "en"),
    [
        ('{"schema_version": 1,\n "kind": "safeguard-check-baseline",\n "findings": [\n', "syntax.json", 4, "JSON"),
        ("findings: []\n", "syntax.json", 1, "JSON syntax error"),
        ("[]\n", "syntax.root_not_mapping", 1, "top level"),
        (
            '{"schema_version": 1,\n "kind": "safeguard-check-baseline",\n "findings": [\n  '
            + ENTRY % "NOT-A-FINGERPRINT"
            + "\n ]}\n",
            "schema.pattern",
            4,
            "identifiers",
        ),
        ('{"schema_version": 1,\n "kind": "safeguard-check-baseline"\n}\n', "schema.missing", 1, "'findings'"),
        (
            '{"schema_version": 1,\n "kind": "safeguard-check-baseline",\n "findings": [],\n "when": "today"\n}\n',
            "schema.unknown_key",
            4,
            "unknown key 'when'",
        ),
        ('{"schema_version": 1,\n "kind": "waivers",\n "findings": []\n}\n', "schema.literal", 2, "allowed"),
        (
            '{"schema_version": 1,\n "kind": "safeguard-check-baseline",\n "findings": [],\n "findings": []\n}\n',
            "syntax.duplicate_key",
            4,
            "duplicate key",
        ),
    ],
)
def test_bad_baseline_files_are_located_errors(tmp_path: Path, text: str, key: str, line: int, en: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_baseline(path)
    issue = info.value.issues[0]
    assert (issue.key, issue.line) == (key, line), issue
    assert render(issue, "en").startswith(f"{path}:{line}") and en in render(issue, "en")
    assert render(issue, "ja").startswith(f"{path}:{line}")


def test_good_hand_written_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(
        '{"schema_version": 1, "kind": "safeguard-check-baseline", "findings": [' + ENTRY % FP + "]}",
        encoding="utf-8",
    )
    assert read_baseline(path) == {FP}


def test_missing_baseline_and_unwritable_target(shinjuku: CheckResult, tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_baseline(tmp_path / "none.json")
    assert info.value.issues[0].key == "io.not_found"
    target = tmp_path / "no-such-dir" / "baseline.json"
    with pytest.raises(InputError) as info:
        write_baseline(target, [shinjuku])
    issue = info.value.issues[0]
    assert issue.key == "baseline.write_failed"
    assert "ベースラインを書き込めません" in render(issue, "ja") and "cannot write the baseline" in render(issue, "en")


def test_two_plans_of_one_municipality_do_not_suppress_each_other(tmp_path: Path, catalog: Catalog) -> None:
    # Before plan identities both files gave the same fingerprints: one plan's baseline hid the other's gaps.
    first = check_text(SHINJUKU_TEXT, tmp_path, catalog, "first.yaml")
    second = check_text(SHINJUKU_TEXT, tmp_path, catalog, "second.yaml")
    assert {f.fingerprint for f in first.findings}.isdisjoint(f.fingerprint for f in second.findings)
    path = tmp_path / "baseline.json"
    write_baseline(path, [first])
    assert len(filter_new(second, read_baseline(path)).findings) == SHINJUKU_FINDINGS
    assert filter_new(first, read_baseline(path)).findings == ()


def test_declared_plan_id_keeps_fingerprints_when_the_file_moves(tmp_path: Path, catalog: Catalog) -> None:
    text = SHINJUKU_TEXT.replace("plan:\n", "plan:\n  id: shinjuku-card-2020\n", 1)
    assert text != SHINJUKU_TEXT
    here = check_text(text, tmp_path, catalog, "here.yaml")
    moved = check_text(text, tmp_path, catalog, "moved.yaml")
    assert here.plan_id == moved.plan_id == "id:shinjuku-card-2020"
    assert [f.fingerprint for f in here.findings] == [f.fingerprint for f in moved.findings]


def test_version_1_baselines_still_suppress_their_findings(tmp_path: Path, catalog: Catalog) -> None:
    # A baseline written before plan identities recorded municipality + rule + subject fingerprints.
    from safeguard_check.findings.identity import legacy_fingerprint

    result = check_text(SHINJUKU_TEXT, tmp_path, catalog)
    entries = [
        {
            "fingerprint": legacy_fingerprint(result.municipality, f.rule_id, f.subject_kind, f.subject_id),
            "municipality": result.municipality,
            "rule": f.rule_id,
            "severity": f.severity,
            "subject": f.subject_id,
            "subject_kind": f.subject_kind,
        }
        for f in result.findings
    ]
    old = tmp_path / "old-baseline.json"
    old.write_text(json.dumps({"schema_version": 1, "kind": "safeguard-check-baseline", "findings": entries}))
    new = filter_new(result, read_baseline(old))
    assert new.findings == () and len(new.baseline_suppressed) == SHINJUKU_FINDINGS
