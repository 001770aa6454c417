"""Profiles are data: named ones under rules/profiles/, custom ones from a file, all checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.errors import InputError, render
from safeguard_check.load.catalog import Catalog, bundled_dir, load_catalog
from safeguard_check.load.profile import load_profile, named_profiles
from synthetic_catalog import write_catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    baselines, rules = write_catalog(tmp_path_factory.mktemp("profiles"))
    return load_catalog(baselines, rules)


def test_bundled_profiles() -> None:
    assert {"law", "standard"} <= set(named_profiles())
    catalog = load_catalog()
    law = load_profile("law", catalog)
    assert set(law.basis_kinds) == {"law", "cabinet_order", "ministerial_ordinance", "notice"}
    standard = load_profile("standard", catalog)
    assert {"guideline", "technical_advice", "practice"} <= set(standard.basis_kinds)


def test_a_custom_rules_directory_still_has_the_bundled_profiles(catalog: Catalog, tmp_path: Path) -> None:
    assert load_profile("standard", catalog, tmp_path).id == "standard"


def test_a_custom_rules_directory_can_add_profiles(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "notices.yaml").write_text(
        "schema_version: 1\nid: notices\ntitle: {ja: 告示, en: Notices}\n"
        "description: {ja: 告示のみ, en: notices only}\nbasis_kinds: [notice]\n",
        encoding="utf-8",
    )
    assert load_profile("notices", catalog, tmp_path).basis_kinds == ("notice",)


def test_unknown_profile_name_is_a_clear_error(catalog: Catalog) -> None:
    with pytest.raises(InputError) as info:
        load_profile("lawful", catalog)
    (issue,) = info.value.issues
    assert issue.key == "profile.unknown"
    assert "law" in render(issue, "en") and "PATH.yaml" in render(issue, "en")
    assert "プロファイル「lawful」はありません" in render(issue, "ja")
    assert "law" in issue.suggestions


def test_profile_file_naming_an_unknown_rule_is_located(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "schema_version: 1\nid: mine\ntitle: {ja: 私, en: Mine}\ndescription: {ja: 説明, en: text}\n"
        "basis_kinds: [law]\nignore:\n  - R-LAW\n  - R-LOWW\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_profile(str(path), catalog)
    (issue,) = info.value.issues
    assert issue.key == "profile.unknown_rule" and issue.line == 8 and issue.file == str(path)
    assert "R-LOW" in render(issue, "en")


def test_invalid_profile_file_is_a_located_schema_error(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: 1\nid: bad\ntitle: {ja: 悪, en: Bad}\ndescription: {ja: 説明, en: text}\n"
        "basis_kinds: [statute]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_profile(str(path), catalog)
    assert any(i.line == 5 for i in info.value.issues)


def test_select_ignore_and_severity_refinement(catalog: Catalog, tmp_path: Path) -> None:
    import datetime as dt

    from safeguard_check.engine.selection import law_in_force

    path = tmp_path / "tailored.yaml"
    path.write_text(
        "schema_version: 1\nid: tailored\ntitle: {ja: 調整, en: Tailored}\ndescription: {ja: 説明, en: text}\n"
        "basis_kinds: [law, notice, guideline, practice]\nselect: [R-LAW, R-NOTICE, R-LOW]\n"
        "severity: {R-LAW: high}\n",
        encoding="utf-8",
    )
    profile = load_profile(str(path), catalog)
    law = law_in_force(catalog, dt.date(2020, 5, 25), profile)
    assert law.rule_ids == ("R-LAW", "R-LOW", "R-NOTICE")
    from safeguard_check.findings.build import rule_parts

    parts = rule_parts(law, catalog)
    assert parts["R-LAW"].rule_severity == "high" and parts["R-LAW"].severity == "high"


def test_bundled_profile_files_are_shipped_with_the_rules() -> None:
    assert (bundled_dir("rules") / "profiles" / "law.yaml").is_file()


def test_ignore_drops_a_rule_and_select_with_ignore_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    import datetime as dt

    from safeguard_check.engine.selection import law_in_force

    head = "schema_version: 1\nid: t\ntitle: {ja: 調整, en: T}\ndescription: {ja: 説明, en: text}\nbasis_kinds: [law]\n"
    path = tmp_path / "ignore.yaml"
    path.write_text(head + "ignore: [R-LOW]\n", encoding="utf-8")
    law = law_in_force(catalog, dt.date(2020, 5, 25), load_profile(str(path), catalog))
    assert "R-LOW" not in law.rule_ids and "R-LOW" in law.excluded_rules and "R-LAW" in law.rule_ids
    assert "R-LOW" not in law.inactive_rules
    both = tmp_path / "both.yaml"
    both.write_text(head + "select: [R-LOW]\nignore: [R-LOW]\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_profile(str(both), catalog)


def test_a_cached_catalogue_serves_every_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from safeguard_check.engine.selection import law_in_force
    from safeguard_check.load import catalog as catalog_module

    monkeypatch.setenv("SAFEGUARD_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SAFEGUARD_CHECK_NO_CACHE", raising=False)
    baselines, rules = write_catalog(tmp_path / "catalog")
    first = load_catalog(baselines, rules)
    parsed: list[str] = []
    real = catalog_module.read_tree
    monkeypatch.setattr(catalog_module, "read_tree", lambda *a, **k: parsed.append(a[1]) or real(*a, **k))
    cached = load_catalog(baselines, rules)
    assert parsed == []  # a cache hit: nothing parsed again
    assert cached.weights == first.weights
    on = dt.date(2020, 5, 25)
    standard = law_in_force(cached, on, load_profile("standard", cached))
    law = law_in_force(cached, on, load_profile("law", cached))
    assert "R-PRACTICE" in standard.rule_ids and "R-PRACTICE" not in law.rule_ids
    assert standard.rule_ids == law_in_force(first, on, load_profile("standard", first)).rule_ids
