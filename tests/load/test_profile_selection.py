"""Rule selection (--select/--ignore/--severity, config) narrows a profile: one mechanism."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.engine.selection import law_in_force
from safeguard_check.errors import InputError
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.profile import Selection, load_profile, tailor

LEAK = "SGC-LEAK-MYNUMBER"


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def _runs(catalog, selection: Selection, profile: str = "standard") -> set[str]:  # type: ignore[no-untyped-def]
    tailored = tailor(load_profile(profile, catalog), catalog, selection)
    return {rule.id for rule in catalog.rules if tailored.runs(rule.id)}


def test_prefix_select_and_more_specific_ignore(catalog) -> None:  # type: ignore[no-untyped-def]
    contract = {r.id for r in catalog.rules if r.id.startswith("SGC-CONTRACT")}
    assert len(contract) > 2
    assert _runs(catalog, Selection(select=("sgc-contract",))) == contract | {LEAK}  # case-insensitive
    biz = {r for r in contract if r.startswith("SGC-CONTRACT-BIZ")}
    assert biz
    runs = _runs(catalog, Selection(select=("SGC-CONTRACT",), ignore=("SGC-CONTRACT-BIZ",)))
    assert runs == (contract - biz) | {LEAK}
    # The more specific entry wins whichever list it is in (ruff's rule).
    one = sorted(biz)[0]
    assert _runs(catalog, Selection(select=(one,), ignore=("SGC-CONTRACT",))) == {one, LEAK}


def test_selection_narrows_what_the_profile_runs(catalog) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    day = dt.date(2021, 4, 1)
    law = load_profile("law", catalog)
    narrowed = tailor(law, catalog, Selection(select=("SGC-CONTRACT",)))
    by_law = set(law_in_force(catalog, day, law).rule_ids)
    both = set(law_in_force(catalog, day, narrowed).rule_ids)
    assert both == {r for r in by_law if r.startswith("SGC-CONTRACT") or r == LEAK}
    assert narrowed.id == "law" and narrowed.basis_kinds == law.basis_kinds


def test_severity_override_by_prefix(catalog) -> None:  # type: ignore[no-untyped-def]
    tailored = tailor(
        load_profile("standard", catalog),
        catalog,
        Selection(severity={"SGC-CONTRACT": "low", "SGC-CONTRACT-BIZ": "info", "SGC": "high"}),
    )
    for rule in catalog.rules:
        expected = "high"
        if rule.id.startswith("SGC-CONTRACT"):
            expected = "info" if rule.id.startswith("SGC-CONTRACT-BIZ") else "low"
        if rule.id == LEAK:
            expected = "critical"  # a prefix never touches the leak rule
        assert tailored.severity.get(rule.id, rule.severity) == expected, rule.id


@pytest.mark.parametrize(
    ("selection", "key"),
    [
        (Selection(ignore=(LEAK,)), "selection.unsuppressible"),
        (Selection(severity={LEAK: "low"}), "selection.unsuppressible"),
        (Selection(select=("SGC-NOPE",)), "selection.unknown_rule"),
        (Selection(select=("SGC-CONTRACT",), ignore=("SGC-CONTRACT",)), "selection.both"),
    ],
)
def test_errors(catalog, selection: Selection, key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        tailor(load_profile("standard", catalog), catalog, selection)
    assert key in [i.key for i in caught.value.issues]


def test_leak_rule_survives_prefix_ignore_and_select(catalog) -> None:  # type: ignore[no-untyped-def]
    assert _runs(catalog, Selection(ignore=("SGC",))) == {LEAK}
    assert LEAK in _runs(catalog, Selection(select=("SGC-CONTRACT",)))


def test_profile_file_cannot_drop_the_leak_rule(catalog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mine.yaml"
    body = "schema_version: 1\nid: mine\ntitle: {ja: x, en: x}\ndescription: {ja: x, en: x}\nbasis_kinds: [law]\n"
    path.write_text(body + f"ignore: [{LEAK}]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(str(path), catalog)
    assert [(i.key, i.line) for i in caught.value.issues] == [("selection.unsuppressible", 6)]
    # A profile whose select leaves it out still runs it.
    path.write_text(body + "select: [SGC-CONTRACT-BIZ-CONFIDENTIALITY]\n", encoding="utf-8")
    assert load_profile(str(path), catalog).runs(LEAK)
