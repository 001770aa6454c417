"""apply_waivers with a fixed clock: which findings are waived, what expires, what matched nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog
from safeguard_check.waivers import WaiverSet, apply_waivers, load_waivers, parse_waivers

from .conftest import SHINJUKU_DIR

TODAY = dt.date(2020, 6, 1)
MULTI_RULE = "SGC-JLIS-CONTRACTOR-SECRECY"
MULTI_REQUIREMENT = "BANGO-38NO3NO2-2"
CONTRACTORS = {"npb", "nttdata", "dnp-data-techno", "toppan", "ntt-marketing-act", "ntt-com"}
# The example waivers file accepts, through requirement APPI-25, the four contract clauses that the plan
# cannot evidence on J-LIS's contract with its six contractors (「以下の内容等」).
EXAMPLE_WAIVED = {
    ("SGC-CONTRACT-BIZ-CONFIDENTIALITY", "jlis-contractors"),
    ("SGC-CONTRACT-BIZ-NO-TAKEOUT", "jlis-contractors"),
    ("SGC-CONTRACT-BIZ-BREACH-LIABILITY", "jlis-contractors"),
    ("SGC-CONTRACT-BIZ-STAFF-SUPERVISION-TRAINING", "jlis-contractors"),
}


def waivers(catalog: Catalog, *entries: str) -> WaiverSet:
    """A waiver set from YAML entries written as ``key: value; key: value``."""
    lines = ["schema_version: 1", "waivers:" if entries else "waivers: []"]
    for index, entry in enumerate(entries):
        fields = dict(part.split(": ", 1) for part in entry.split("; "))
        fields.setdefault("id", f"W-{index + 1}")
        fields.setdefault("justification", "代替措置で対応")
        fields.setdefault("approved_by", "戸籍住民課長")
        fields.setdefault("granted_on", "2020-05-20")
        fields.setdefault("expires", "2021-03-31")
        lines.append(f"  - id: {fields.pop('id')}")
        lines.extend(f"    {k}: {v}" for k, v in fields.items())
    return parse_waivers("\n".join(lines) + "\n", "waivers.yaml", catalog)


def status_of(result: CheckResult) -> dict[tuple[str, str], str]:
    return {(f.rule_id, f.subject_id): f.status for f in result.findings}


def waived(result: CheckResult) -> set[tuple[str, str]]:
    return {key for key, status in status_of(result).items() if status == "waived"}


def test_no_waivers_change_nothing(shinjuku: CheckResult, catalog: Catalog) -> None:
    out = apply_waivers(shinjuku, waivers(catalog), TODAY)
    assert out == shinjuku


def test_valid_waiver_marks_the_finding_waived_and_keeps_it(shinjuku: CheckResult, catalog: Catalog) -> None:
    ws = waivers(catalog, "rule: SGC-TERMINAL-MFA; subject: shinjuku-resident-info-terminal")
    out = apply_waivers(shinjuku, ws, TODAY)
    assert waived(out) == {("SGC-TERMINAL-MFA", "shinjuku-resident-info-terminal")}
    assert len(out.findings) == len(shinjuku.findings) > 0  # nothing dropped
    assert [f.fingerprint for f in out.findings] == [f.fingerprint for f in shinjuku.findings]  # same order
    (finding,) = [f for f in out.findings if f.status == "waived"]
    assert finding.waiver is not None
    assert (finding.waiver.id, finding.waiver.approved_by, finding.waiver.expires) == (
        "W-1",
        "戸籍住民課長",
        dt.date(2021, 3, 31),
    )
    assert finding.waiver.file == "waivers.yaml" and finding.waiver.line == 3
    assert all(f.waiver is None for f in out.findings if f.status == "open")
    # The waived medium finding leaves the open count and joins the waived one.
    assert out.counts()["medium"] == shinjuku.counts()["medium"] - 1 and out.counts("waived")["medium"] == 1
    assert out.waivers_expired == () and out.waivers_unmatched == ()
    # pure: the input result is untouched
    assert all(f.status == "open" for f in shinjuku.findings)


def test_waiver_expired_the_day_before_does_not_apply(shinjuku: CheckResult, catalog: Catalog) -> None:
    ws = waivers(catalog, "rule: SGC-TERMINAL-MFA; subject: shinjuku-resident-info-terminal; expires: 2020-05-31")
    out = apply_waivers(shinjuku, ws, TODAY)
    assert waived(out) == set()
    assert all(f.waiver is None for f in out.findings)
    assert [w.id for w in out.waivers_expired] == ["W-1"]
    assert out.waivers_expired[0].expires == dt.date(2020, 5, 31)
    assert out.waivers_unmatched == ()
    assert out.counts() == shinjuku.counts()


def test_waiver_expiring_today_still_applies(shinjuku: CheckResult, catalog: Catalog) -> None:
    ws = waivers(catalog, "rule: SGC-TERMINAL-MFA; subject: shinjuku-resident-info-terminal; expires: 令和2年6月1日")
    out = apply_waivers(shinjuku, ws, TODAY)
    assert waived(out) == {("SGC-TERMINAL-MFA", "shinjuku-resident-info-terminal")}
    assert out.waivers_expired == ()
    tomorrow = apply_waivers(shinjuku, ws, TODAY + dt.timedelta(days=1))
    assert waived(tomorrow) == set() and [w.id for w in tomorrow.waivers_expired] == ["W-1"]


def test_waiver_matching_nothing_is_reported_unmatched(shinjuku: CheckResult, catalog: Catalog) -> None:
    ws = waivers(
        catalog,
        "rule: SGC-TERMINAL-MFA; subject: shinjuku-jukinet-terminal",  # that terminal has vein auth: no gap
        "rule: SGC-SESSION-LOGOFF; subject: '*'",  # the plan has log-off discipline
        "rule: SGC-TERMINAL-MFA; subject: shinjuku-resident-info-terminal",
    )
    out = apply_waivers(shinjuku, ws, TODAY)
    assert [w.id for w in out.waivers_unmatched] == ["W-1", "W-2"]
    assert out.waivers_unmatched[1].subject == "*"
    assert waived(out) == {("SGC-TERMINAL-MFA", "shinjuku-resident-info-terminal")}


def test_expired_waiver_that_would_match_nothing_is_expired_not_unmatched(
    shinjuku: CheckResult, catalog: Catalog
) -> None:
    ws = waivers(catalog, "rule: SGC-SESSION-LOGOFF; subject: '*'; expires: 2020-05-31")
    out = apply_waivers(shinjuku, ws, TODAY)
    assert [w.id for w in out.waivers_expired] == ["W-1"] and out.waivers_unmatched == ()


def test_requirement_level_waiver(shinjuku: CheckResult, shinjuku_2023: CheckResult, catalog: Catalog) -> None:
    # Requirement-level: every finding of a rule implementing the requirement, for that subject.
    ws = waivers(catalog, f"requirement: {MULTI_REQUIREMENT}; subject: npb")
    out = apply_waivers(shinjuku_2023, ws, TODAY)
    assert waived(out) == {(MULTI_RULE, "npb")}
    # BANGO-11 is implemented by the four contract rules that fire on jlis-contractors: all four waived.
    out = apply_waivers(shinjuku, waivers(catalog, "requirement: BANGO-11; subject: jlis-contractors"), TODAY)
    assert waived(out) == {
        ("SGC-CONTRACT-BIZ-CONFIDENTIALITY", "jlis-contractors"),
        ("SGC-CONTRACT-BIZ-NO-TAKEOUT", "jlis-contractors"),
        ("SGC-CONTRACT-BIZ-BREACH-LIABILITY", "jlis-contractors"),
        ("SGC-CONTRACT-BIZ-STAFF-SUPERVISION-TRAINING", "jlis-contractors"),
    }
    implementing = {r.id for r in catalog.rules if "BANGO-11" in r.implements}
    assert all(f.rule_id in implementing for f in out.findings if f.status == "waived")


def test_rule_and_requirement_together_narrow_the_waiver(shinjuku: CheckResult, catalog: Catalog) -> None:
    ws = waivers(catalog, "rule: SGC-CONTRACT-BIZ-NO-TAKEOUT; requirement: BANGO-11; subject: jlis-contractors")
    assert waived(apply_waivers(shinjuku, ws, TODAY)) == {("SGC-CONTRACT-BIZ-NO-TAKEOUT", "jlis-contractors")}


def test_rule_wildcard_waives_every_subject_of_the_rule(shinjuku_2023: CheckResult, catalog: Catalog) -> None:
    out = apply_waivers(shinjuku_2023, waivers(catalog, f"rule: {MULTI_RULE}; subject: '*'"), TODAY)
    assert waived(out) == {(MULTI_RULE, s) for s in CONTRACTORS}
    before = shinjuku_2023.counts()
    assert out.counts() == {**before, "low": before["low"] - 6}
    assert out.counts("waived")["low"] == 6 and len(out.findings) == len(shinjuku_2023.findings)
    assert {f.waiver.id for f in out.findings if f.waiver} == {"W-1"}


def test_coverage_cells_follow_the_waivers(shinjuku_2023: CheckResult, catalog: Catalog) -> None:
    before = {(c.requirement, c.party): c.status for c in shinjuku_2023.coverage}
    assert before[(MULTI_REQUIREMENT, "npb")] == "gap"
    assert before[("BANGO-11", "jlis")] == "gap"
    out = apply_waivers(
        shinjuku_2023,
        waivers(
            catalog,
            f"rule: {MULTI_RULE}; subject: '*'",
            "rule: SGC-CONTRACT-BIZ-CONFIDENTIALITY; subject: jlis-contractors",
        ),
        TODAY,
    )
    after = {(c.requirement, c.party): c.status for c in out.coverage}
    cells = [(c.requirement, c.party) for c in out.coverage]
    assert cells == [(c.requirement, c.party) for c in shinjuku_2023.coverage]
    for party in CONTRACTORS:
        assert after[(MULTI_REQUIREMENT, party)] == "waived"
        assert after[("APPI-26-1", party)] == "gap"  # another rule's open gap on the same party
    # fully waived requirement → waived; a requirement with other open gaps stays a gap
    assert after[("PPC-JIGYOSHA-ITAKU-CONTRACT-CONFIDENTIALITY", "jlis")] == "waived"
    assert after[("BANGO-11", "jlis")] == "gap"
    changed = {k for k in before if before[k] != after[k]}
    assert all(before[k] == "gap" and after[k] == "waived" for k in changed)
    assert changed == {(MULTI_REQUIREMENT, p) for p in CONTRACTORS} | {
        ("PPC-JIGYOSHA-ITAKU-CONTRACT-CONFIDENTIALITY", "jlis")
    }


def test_plan_restriction(shinjuku_2023: CheckResult, catalog: Catalog) -> None:
    other = waivers(catalog, f"rule: {MULTI_RULE}; subject: '*'; plan: 豊島区")
    out = apply_waivers(shinjuku_2023, other, TODAY)
    assert waived(out) == set() and out.waivers_unmatched == () and out.waivers_expired == ()
    mine = waivers(catalog, f"rule: {MULTI_RULE}; subject: '*'; plan: 新宿区")
    assert len(waived(apply_waivers(shinjuku_2023, mine, TODAY))) == 6


def test_first_matching_waiver_wins_and_the_other_still_counts_as_matched(
    shinjuku: CheckResult, catalog: Catalog
) -> None:
    ws = waivers(
        catalog,
        "rule: SGC-TERMINAL-MFA; subject: shinjuku-resident-info-terminal; expires: 2020-12-31",
        "requirement: SOUMU-SECPOL-MYNUMBER-MFA; subject: shinjuku-resident-info-terminal",
    )
    out = apply_waivers(shinjuku, ws, TODAY)
    (finding,) = [f for f in out.findings if f.status == "waived"]
    assert finding.waiver is not None and finding.waiver.id == "W-1"
    assert out.waivers_unmatched == ()
    # once the first has expired, the second takes over
    later = apply_waivers(shinjuku, ws, dt.date(2021, 1, 1))
    (finding,) = [f for f in later.findings if f.status == "waived"]
    assert finding.waiver is not None and finding.waiver.id == "W-2"
    assert [w.id for w in later.waivers_expired] == ["W-1"]


def test_applying_twice_is_the_same(shinjuku_2023: CheckResult, catalog: Catalog) -> None:
    ws = waivers(catalog, f"rule: {MULTI_RULE}; subject: '*'", "rule: SGC-SESSION-LOGOFF; subject: '*'")
    once = apply_waivers(shinjuku_2023, ws, TODAY)
    assert apply_waivers(once, ws, TODAY) == once


@pytest.mark.parametrize(
    ("today", "waived_count", "expired"),
    [(dt.date(2020, 5, 25), 4, []), (dt.date(2021, 3, 31), 4, []), (dt.date(2021, 4, 1), 0, ["W-2020-001"])],
)
def test_the_example_waivers_file(
    shinjuku: CheckResult, catalog: Catalog, today: dt.date, waived_count: int, expired: list[str]
) -> None:
    ws = load_waivers(SHINJUKU_DIR / "waivers.example.yaml", catalog)
    out = apply_waivers(shinjuku, ws, today)
    assert len(waived(out)) == waived_count
    assert set(waived(out)) == (EXAMPLE_WAIVED if waived_count else set())
    assert [w.id for w in out.waivers_expired] == expired
    assert out.waivers_unmatched == ()


def test_result_survives_json_round_trip(shinjuku_2023: CheckResult, catalog: Catalog, tmp_path: Path) -> None:
    out = apply_waivers(shinjuku_2023, waivers(catalog, f"rule: {MULTI_RULE}; subject: '*'"), TODAY)
    assert CheckResult.model_validate_json(out.model_dump_json()) == out
