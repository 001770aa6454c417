"""What changed: parts matched by identity, every change listed, and the gaps introduced or resolved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cases.casefiles import apply_patch, finding_key, load_variants
from safeguard_check.diff import diff_plans
from safeguard_check.diff.model import PlanDiff
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import load_declaration

from .helpers import SHINJUKU, base_tree, deltas, patched, reformatted, rows, variant_ops, write

OLD_LOGOFF = "電子計算機の作業を終えた際は、その都度、必ずログオフするよう職員に徹底する。"
NEW_LOGOFF = "電子計算機の作業を終えた際は、その都度、必ずログオフするよう職員に徹底し、定期的に確認する。"
USB = "endpoint.removable_media_blocked"

# Variants 05 (USB not blocked) and 18 (key pairs at a contractor), plus a renamed party (the misprint
# 国立行政法人 corrected), a reworded measure, an added contract clause and a later effective date.
COUNCIL_CHANGES: list[dict[str, Any]] = [
    *variant_ops("05-usb-not-blocked"),
    *variant_ops("18-keypair-with-contractor"),
    {"op": "set", "path": "parties/@npb/name", "value": "独立行政法人国立印刷局"},
    {"op": "set", "path": "measures/@s1-principal-sys-6/text", "value": NEW_LOGOFF},
    {
        "op": "append",
        "path": "contracts/@jlis-contractors/clauses",
        "value": {"code": "contract.confidentiality", "text": "秘密保持義務"},
    },
    {"op": "set", "path": "plan/effective_date", "value": "令和2年6月1日"},
]


def diff_files(old: Path, new: Path, catalog: Catalog, **options: Any) -> PlanDiff:
    return diff_plans(load_declaration(old), load_declaration(new), catalog, **options)


def replace_value(node: Any, old: str, new: str) -> Any:
    """``node`` with every value equal to ``old`` replaced by ``new`` (ids and references)."""
    if isinstance(node, dict):
        return {k: replace_value(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [replace_value(v, old, new) for v in node]
    return new if node == old else node


def test_council_changes_are_listed_exactly(catalog: Catalog, tmp_path: Path) -> None:
    diff = diff_files(SHINJUKU, patched(tmp_path, "new.yaml", COUNCIL_CHANGES), catalog)
    assert rows(diff) == [
        ("plan", "plan", "changed", "effective_date", "2020-05-25", "2020-06-01", None),
        ("party", "npb", "renamed", "name", "国立行政法人国立印刷局", "独立行政法人国立印刷局", None),
        ("party", "npb", "added", "tasks", None, "key_pair_generation", None),
        ("measure", "s1-principal-sys-6", "changed", "text", OLD_LOGOFF, NEW_LOGOFF, None),
        ("measure", "s1-principal-sys-7", "removed", "codes", USB, None, None),
        ("measure", "s2-principal-sys-7", "removed", "codes", USB, None, None),
        ("contract", "jlis-contractors", "added", "clauses", None, "秘密保持義務", "contract.confidentiality"),
    ]
    assert deltas(diff) == {
        ("introduced", "SGC-KEYPAIR-PLACEMENT", "npb", ()),
        ("introduced", "SGC-TERMINAL-REMOVABLE-MEDIA", "shinjuku-resident-info-terminal", (USB,)),
        ("introduced", "SGC-TERMINAL-REMOVABLE-MEDIA", "shinjuku-jukinet-terminal", (USB,)),
        # J-LIS's contract with its contractors is judged under the 事業者編 (REVIEW-2026-12 §A4).
        ("resolved", "SGC-CONTRACT-BIZ-CONFIDENTIALITY", "jlis-contractors", ("contract.confidentiality",)),
    }
    assert diff.findings_unchanged == 10
    # SGC-KEYPAIR-PLACEMENT is high since §D (its 施行規則 basis is read second-hand: capped at high anyway).
    assert diff.introduced_counts() == {"critical": 0, "high": 3, "medium": 0, "low": 0, "info": 0}
    assert diff.fails()
    assert [f.status for f in diff.findings] == ["introduced"] * 3 + ["resolved"]
    assert diff.findings[0].severity == "high" and diff.findings[-1].severity == "medium"  # most severe first
    # each plan is checked at its own effective date
    assert (diff.old.as_of, diff.new.as_of) == (dt.date(2020, 5, 25), dt.date(2020, 6, 1))
    assert diff.old.as_of_source == diff.new.as_of_source == "effective_date"


def test_changes_point_at_their_lines(catalog: Catalog, tmp_path: Path) -> None:
    new = patched(tmp_path, "new.yaml", COUNCIL_CHANGES)
    diff = diff_files(SHINJUKU, new, catalog)
    old_lines = SHINJUKU.read_text(encoding="utf-8").splitlines()
    new_lines = new.read_text(encoding="utf-8").splitlines()
    by_field = {(c.key, c.field): c for c in diff.changes}
    name = by_field[("npb", "name")]
    assert name.old_line and "国立行政法人国立印刷局" in old_lines[name.old_line - 1]
    assert name.new_line and "独立行政法人国立印刷局" in new_lines[name.new_line - 1]
    usb = by_field[("s1-principal-sys-7", "codes")]
    assert usb.old_line and USB in old_lines[usb.old_line - 1]
    clause = by_field[("jlis-contractors", "clauses")]
    assert clause.new_line and "contract.confidentiality" in new_lines[clause.new_line - 1]


def test_identical_files_have_no_changes(catalog: Catalog) -> None:
    diff = diff_files(SHINJUKU, SHINJUKU, catalog)
    assert diff.changes == () and diff.findings == ()
    assert diff.findings_unchanged == diff.old.findings == diff.new.findings > 0
    assert not diff.fails()


def test_layout_comments_order_and_japanese_keys_are_not_changes(catalog: Catalog, tmp_path: Path) -> None:
    copy = reformatted(tmp_path, "reformatted.yaml")
    assert copy.read_text(encoding="utf-8") != SHINJUKU.read_text(encoding="utf-8")
    for old, new in ((SHINJUKU, copy), (copy, SHINJUKU)):
        diff = diff_files(old, new, catalog)
        assert diff.changes == () and diff.findings == ()


def test_reordered_copy_still_shows_a_real_change(catalog: Catalog, tmp_path: Path) -> None:
    copy = reformatted(tmp_path, "reformatted.yaml")
    changed = patched(tmp_path, "changed.yaml", variant_ops("05-usb-not-blocked"))
    diff = diff_files(copy, changed, catalog)
    assert rows(diff) == [
        ("measure", "s1-principal-sys-7", "removed", "codes", USB, None, None),
        ("measure", "s2-principal-sys-7", "removed", "codes", USB, None, None),
    ]


def test_every_kind_of_part(catalog: Catalog, tmp_path: Path) -> None:
    ops: list[dict[str, Any]] = [
        {"op": "set", "path": "plan/title", "value": "個人番号カード関連事務の委任等について（令和3年度）"},
        {"op": "set", "path": "plan/subjects/count", "value": 350000},
        {"op": "set", "path": "plan/period/end", "value": "令和4年3月31日"},
        {"op": "remove_value", "path": "sheets/@sheet2/tasks", "value": "call_center"},
        {"op": "remove_value", "path": "sheets/@sheet1/media", "value": "magnetic_disk"},
        {"op": "append", "path": "data_items", "value": {"id": "phone", "name": "電話番号"}},
        {"op": "append", "path": "sheets/@sheet1/data_items", "value": "phone"},
        {"op": "set", "path": "transfers/@shinjuku-jlis-mail/method", "value": "hand_delivery"},
        {"op": "set", "path": "transfers/@shinjuku-jlis-mail/encrypted", "value": True},
        {"op": "append", "path": "terminals/@shinjuku-resident-info-terminal/auth_factors", "value": "ic_card"},
        {
            "op": "set",
            "path": "contracts/@jlis-contractors/clauses/0",
            "value": {"code": "contract.no_secondary_use", "text": "特定個人情報の目的外利用の禁止"},
        },
        {"op": "delete", "path": "contracts/@jlis-contractors/clauses/8"},
    ]
    diff = diff_files(SHINJUKU, patched(tmp_path, "new.yaml", ops), catalog)
    old_title = "個人番号通知書・個人番号カード関連事務の委任等について(委任内容の変更)"  # NFKC: （ → (
    assert rows(diff) == [
        ("plan", "plan", "changed", "title", old_title, "個人番号カード関連事務の委任等について(令和3年度)", None),
        ("plan", "plan", "changed", "period.end", "2021-03-31", "2022-03-31", None),
        ("plan", "plan", "changed", "subjects.count", 347542, 350000, None),
        ("sheet", "sheet1", "added", "data_items", None, "phone", None),
        ("sheet", "sheet1", "removed", "media", "magnetic_disk", None, None),
        ("sheet", "sheet2", "removed", "tasks", "call_center", None, None),
        ("data_item", "phone", "added", "", None, "電話番号", None),
        ("transfer", "shinjuku-jlis-mail", "changed", "method", "registered_mail", "hand_delivery", None),
        ("transfer", "shinjuku-jlis-mail", "changed", "encrypted", False, True, None),
        ("terminal", "shinjuku-resident-info-terminal", "added", "auth_factors", None, "ic_card", None),
        (
            "contract",
            "jlis-contractors",
            "removed",
            "clauses",
            "再委託の原則禁止",
            None,
            "contract.subcontract_conditions",
        ),
        (
            "contract",
            "jlis-contractors",
            "changed",
            "clauses",
            "目的外利用の禁止",
            "特定個人情報の目的外利用の禁止",
            "contract.no_secondary_use",
        ),
    ]
    assert deltas(diff) == {
        (
            "introduced",
            "SGC-CONTRACT-BIZ-SUBCONTRACT-CONDITIONS",
            "jlis-contractors",
            ("contract.subcontract_conditions",),
        ),
        ("resolved", "SGC-TERMINAL-MFA", "shinjuku-resident-info-terminal", ("terminal.auth.multi_factor",)),
    }


def test_party_added_then_permission_recorded(catalog: Catalog, tmp_path: Path) -> None:
    without = patched(tmp_path, "v09.yaml", variant_ops("09-subcontract-without-permission"))
    granted = patched(tmp_path, "v11.yaml", variant_ops("11-permission-recorded"))
    added = diff_files(SHINJUKU, without, catalog)
    assert rows(added) == [
        ("party", "callcenter-sub", "added", "", None, "株式会社コールセンター例", None),
        (
            "measure",
            "sub-op-1",
            "added",
            "",
            None,
            "受託した個人情報は使用後速やかに消去し、目的外に利用しない。ISMS 認証を取得している。",
            None,
        ),
        ("contract", "npb-callcenter", "added", "", None, "npb → callcenter-sub", None),
    ]
    assert deltas(added) == {
        ("introduced", "SGC-SUBCONTRACT-PERMISSION", "callcenter-sub", ("delegation.permission_recorded",))
    }
    fixed = diff_files(without, granted, catalog)
    assert rows(fixed) == [
        ("party", "callcenter-sub", "added", "permission.granted_by", None, "jlis", None),
        ("party", "callcenter-sub", "added", "permission.granted_on", None, "2020-04-01", None),
        ("party", "callcenter-sub", "added", "permission.reference", None, "機構の許諾書 第12号", None),
    ]
    assert deltas(fixed) == {
        ("resolved", "SGC-SUBCONTRACT-PERMISSION", "callcenter-sub", ("delegation.permission_recorded",))
    }
    removed = diff_files(granted, SHINJUKU, catalog)
    assert [(r[0], r[1], r[2], r[3]) for r in rows(removed)] == [
        ("party", "callcenter-sub", "removed", ""),
        ("measure", "sub-op-1", "removed", ""),
        ("contract", "npb-callcenter", "removed", ""),
    ]
    assert deltas(removed) == set()


def test_reidentified_party_is_one_change_and_keeps_its_findings(catalog: Catalog, tmp_path: Path) -> None:
    # The ward gets a new id everywhere it is named: its three findings must not look new.
    new = write(tmp_path, "new.yaml", replace_value(base_tree(), "shinjuku", "shinjuku-city"))
    diff = diff_files(SHINJUKU, new, catalog)
    assert rows(diff) == [("party", "shinjuku-city", "renamed", "id", "shinjuku", "shinjuku-city", None)]
    assert diff.findings == () and diff.findings_unchanged == diff.old.findings > 0


def test_reidentified_chain_parent_and_child(catalog: Catalog, tmp_path: Path) -> None:
    # The child's upstream is itself re-identified: matched once the parent is.
    old_tree = apply_patch(base_tree(), variant_ops("09-subcontract-without-permission"))
    new_tree = replace_value(replace_value(old_tree, "npb", "printing-bureau"), "callcenter-sub", "cc")
    diff = diff_files(write(tmp_path, "old.yaml", old_tree), write(tmp_path, "new.yaml", new_tree), catalog)
    assert rows(diff) == [
        ("party", "cc", "renamed", "id", "callcenter-sub", "cc", None),
        ("party", "printing-bureau", "renamed", "id", "npb", "printing-bureau", None),
    ]
    assert diff.findings == ()


def test_reidentified_with_other_name_is_removed_and_added(catalog: Catalog, tmp_path: Path) -> None:
    old = patched(tmp_path, "v09.yaml", variant_ops("09-subcontract-without-permission"))
    # Another id *and* another name: not the same party.
    ops = variant_ops("09-subcontract-without-permission")
    ops[0] = {**ops[0], "value": {**ops[0]["value"], "id": "other-sub", "name": "株式会社別の例"}}
    tree = replace_value(apply_patch(base_tree(), ops), "callcenter-sub", "other-sub")
    diff = diff_files(old, write(tmp_path, "new.yaml", tree), catalog)
    assert [(r[0], r[1], r[2], r[3]) for r in rows(diff)] == [
        ("party", "callcenter-sub", "removed", ""),
        ("party", "other-sub", "added", ""),
        ("measure", "sub-op-1", "removed", "implemented_by"),
        ("measure", "sub-op-1", "added", "implemented_by"),
        ("contract", "npb-callcenter", "removed", "contractors"),
        ("contract", "npb-callcenter", "added", "contractors"),
    ]
    assert deltas(diff) == {
        ("introduced", "SGC-SUBCONTRACT-PERMISSION", "other-sub", ("delegation.permission_recorded",)),
        ("resolved", "SGC-SUBCONTRACT-PERMISSION", "callcenter-sub", ("delegation.permission_recorded",)),
    }


def test_measures_without_ids_are_matched_by_source(catalog: Catalog, tmp_path: Path) -> None:
    def strip_ids(tree: dict[str, Any]) -> dict[str, Any]:
        return {**tree, "measures": [{k: v for k, v in m.items() if k != "id"} for m in tree["measures"]]}

    old_tree = strip_ids(base_tree())
    new_tree = strip_ids(base_tree())
    for m in new_tree["measures"]:
        if m["text"] == OLD_LOGOFF and m["source"]["sheet"] == "sheet1":
            m["text"] = NEW_LOGOFF
            m["codes"] = [*m["codes"], "staff.training"]
    new_tree["measures"].reverse()
    diff = diff_files(write(tmp_path, "old.yaml", old_tree), write(tmp_path, "new.yaml", new_tree), catalog)
    key = "sheet1/principal/technical/6"
    assert rows(diff) == [
        ("measure", key, "added", "codes", None, "staff.training", None),
        ("measure", key, "changed", "text", OLD_LOGOFF, NEW_LOGOFF, None),
    ]
    assert deltas(diff) == {("resolved", "SGC-STAFF-TRAINING", "shinjuku", ("staff.training",))}


def test_measure_given_an_id_is_the_same_measure(catalog: Catalog, tmp_path: Path) -> None:
    old_tree = base_tree()
    for m in old_tree["measures"]:
        if m["id"] == "s1-principal-sys-6":
            del m["id"]
    diff = diff_files(write(tmp_path, "old.yaml", old_tree), SHINJUKU, catalog)
    assert rows(diff) == [("measure", "s1-principal-sys-6", "added", "id", None, "s1-principal-sys-6", None)]


def test_changed_missing_codes_are_a_changed_gap(catalog: Catalog, tmp_path: Path) -> None:
    one = {"op": "remove_value", "path": "measures/@s2-contractor-op-2/codes", "value": "facility.disaster_protection"}
    two = {"op": "remove_value", "path": "measures/@s2-contractor-op-2/codes", "value": "facility.entry_control"}
    old = patched(tmp_path, "old.yaml", [one])
    new = patched(tmp_path, "new.yaml", [one, two])
    diff = diff_files(old, new, catalog)
    assert rows(diff) == [("measure", "s2-contractor-op-2", "removed", "codes", "facility.entry_control", None, None)]
    contractors = {"npb", "nttdata", "dnp-data-techno", "toppan", "ntt-marketing-act", "ntt-com"}
    assert {f.subject_id for f in diff.findings} == contractors
    for f in diff.findings:
        assert (f.status, f.rule_id) == ("changed", "SGC-CARD-FACILITY")
        assert f.missing_added == ("facility.entry_control",) and f.missing_removed == ()
        assert f.old_severity is None
    assert not diff.fails()  # nothing introduced
    back = diff_files(new, old, catalog)
    assert {(f.status, f.missing_removed) for f in back.findings} == {("changed", ("facility.entry_control",))}


def test_effective_date_moves_the_law_unless_as_of_is_given(catalog: Catalog, tmp_path: Path) -> None:
    later = patched(tmp_path, "later.yaml", [{"op": "set", "path": "plan/effective_date", "value": "2023-04-01"}])
    diff = diff_files(SHINJUKU, later, catalog)
    assert rows(diff) == [("plan", "plan", "changed", "effective_date", "2020-05-25", "2023-04-01", None)]
    contractors = ("npb", "nttdata", "dnp-data-techno", "toppan", "ntt-marketing-act", "ntt-com")
    pledge = ("staff.confidentiality_duty", "staff.secrecy_pledge")
    notify = ("incident.report_to_principal", "incident.reporting")
    # The law of 2023: rules in force only from later dates (REVIEW-2026-12 §C and the 2022 APPI reform).
    assert deltas(diff) == {
        ("introduced", "SGC-NETWORK-NO-WIRELESS", "shinjuku", ("network.no_wireless",)),
        ("introduced", "SGC-ORDINANCE-SUPERSEDED", "plan", ()),
        ("introduced", "SGC-DELEGATION-JLIS-OWN-TASKS", "jlis", ()),
        ("introduced", "SGC-INCIDENT-REPORTING-2022", "shinjuku", ("incident.report_to_ppc", "incident.reporting")),
        ("resolved", "SGC-INCIDENT-REPORTING", "shinjuku", ("incident.report_to_ppc", "incident.reporting")),
        *(("introduced", "SGC-JLIS-CONTRACTOR-SECRECY", c, pledge) for c in contractors),
        *(("introduced", "SGC-INCIDENT-NOTIFY-PRINCIPAL", c, notify) for c in contractors),
    }
    same_law = diff_files(SHINJUKU, later, catalog, as_of=dt.date(2020, 5, 25))
    assert same_law.findings == ()
    assert same_law.old.as_of == same_law.new.as_of == dt.date(2020, 5, 25)
    assert same_law.new.as_of_source == "option"


VARIANTS = [v for v in load_variants() if v.as_of is None]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_variant_findings_delta_matches_its_expectation(variant: Any, catalog: Catalog, tmp_path: Path) -> None:
    new = patched(tmp_path, f"{variant.name}.yaml", variant.patch)
    diff = diff_files(variant.base, new, catalog)
    got_added = {
        finding_key(f.rule_id, f.subject_id, [m.code for m in f.missing]) for f in diff.by_status("introduced")
    }
    got_removed = {
        finding_key(f.rule_id, f.subject_id, [m.code for m in f.missing]) for f in diff.by_status("resolved")
    }
    # A gap whose missing codes changed is "changed": it appears in a variant's added *and* removed lists.
    changed = {(k[0], k[1]) for k in variant.added} & {(k[0], k[1]) for k in variant.removed}
    assert got_added == {k for k in variant.added if (k[0], k[1]) not in changed}
    assert got_removed == {k for k in variant.removed if (k[0], k[1]) not in changed}
    assert {(f.rule_id, f.subject_id) for f in diff.by_status("changed")} == changed
    assert diff.changes, "a variant changes the plan"
