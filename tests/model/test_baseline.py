"""Baseline schema: basis kinds, editions per requirement, and their validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from safeguard_check.errors import InputError
from safeguard_check.load import catalog_cache
from safeguard_check.load.catalog import bundled_dir, load_catalog
from safeguard_check.load.catalog_cache import CACHE_DIR_ENV, NO_CACHE_ENV
from safeguard_check.model.baseline import BASIS_OF_KIND, BaselineFile, Requirement


def _requirement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "TEST-1",
        "title": {"ja": "題", "en": "Title"},
        "citation": {"article": "1", "label": {"ja": "第1条", "en": "art. 1"}},
        "quote": "本文",
        "gist": {"ja": "要旨", "en": "gist"},
        "effective_from": "2016-01-01",
        "effective_until": None,
        "verification": "official_text",
        "verification_note": "checked",
        "source": "S1",
        "machine_checkable": True,
    }
    base.update(overrides)
    return base


def _file(kind: str = "act", **req: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "instrument": {
            "id": "test-act",
            "kind": kind,
            "title": {"ja": "法", "en": "Act"},
            "short": {"ja": "法", "en": "Act"},
            "version_note": {"ja": "版", "en": "edition"},
            "sources": [{"id": "S1", "description": "one"}, {"id": "S2", "description": "two"}],
        },
        "requirements": [_requirement(**req)],
    }


def _edition(start: str | None, until: str | None, quote: str | None = "文", source: str = "S1") -> dict[str, Any]:
    return {
        "from": start,
        "until": until,
        "quote": quote,
        "checked_against": {"source": source, "edition": "2025-05-26", "verification": "official_text"},
    }


@pytest.mark.parametrize(("kind", "basis"), sorted(BASIS_OF_KIND.items()))
def test_basis_kind_defaults_from_the_instrument_kind(kind: str, basis: str) -> None:
    assert BaselineFile.model_validate(_file(kind)).instrument.basis == basis


def test_instrument_basis_kind_overrides_the_default() -> None:
    data = _file("notice")
    data["instrument"]["basis_kind"] = "technical_advice"
    assert BaselineFile.model_validate(data).instrument.basis == "technical_advice"


def test_default_edition_is_built_from_the_requirement_fields() -> None:
    req = BaselineFile.model_validate(_file(verification="secondary_source")).requirements[0]
    (edition,) = req.all_editions()
    assert edition.from_ == dt.date(2016, 1, 1)
    assert edition.until is None
    assert edition.quote == "本文"
    assert edition.checked_against.source == "S1"
    assert edition.checked_against.verification == "secondary_source"


def _two_editions() -> Requirement:
    data = _file(
        editions=[
            _edition("2022-04-01", None, quote=None),
            _edition("2016-01-01", "2022-04-01", quote="旧文"),
        ]
    )
    return BaselineFile.model_validate(data).requirements[0]


def test_edition_in_force_on_a_date() -> None:
    req = _two_editions()
    assert [e.from_ for e in req.all_editions()] == [dt.date(2016, 1, 1), dt.date(2022, 4, 1)]
    old = req.edition_on(dt.date(2022, 3, 31))
    assert old is not None and old.quote == "旧文"
    new = req.edition_on(dt.date(2022, 4, 1))
    assert new is not None and new.from_ == dt.date(2022, 4, 1)
    assert req.edition_on(dt.date(2015, 12, 31)) is None


def test_quote_of_the_edition_in_force_is_not_marked_later() -> None:
    choice = _two_editions().quoted_edition(dt.date(2020, 1, 1))
    assert choice is not None and not choice.later and choice.edition.quote == "旧文"


def test_an_earlier_editions_text_is_never_shown_for_a_later_date() -> None:
    # The 2022 edition's text is not held: the report must not quote the 2016 text as the law of 2023.
    assert _two_editions().quoted_edition(dt.date(2023, 1, 1)) is None


def test_only_a_later_edition_is_flagged_later() -> None:
    data = _file(
        editions=[_edition("2016-01-01", "2022-04-01", quote=None), _edition("2022-04-01", None, quote="新文")]
    )
    req = BaselineFile.model_validate(data).requirements[0]
    choice = req.quoted_edition(dt.date(2020, 1, 1))
    assert choice is not None and choice.later and choice.edition.quote == "新文"


def test_verification_follows_the_edition_in_force() -> None:
    data = _file(
        verification="unverified",
        editions=[_edition("2016-01-01", "2022-04-01", quote=None), _edition("2022-04-01", None)],
    )
    data["requirements"][0]["editions"][0]["checked_against"]["verification"] = "unverified"
    req = BaselineFile.model_validate(data).requirements[0]
    assert req.verification_on(dt.date(2020, 1, 1)) == "unverified"
    assert req.verification_on(dt.date(2023, 1, 1)) == "official_text"


@pytest.mark.parametrize(
    ("editions", "fragment"),
    [
        ([_edition("2016-01-01", "2023-01-01"), _edition("2022-04-01", None)], "overlap"),
        ([_edition(None, "2020-01-01"), _edition(None, None)], "overlap"),
        ([_edition("2015-01-01", None)], "before effective_from"),
        ([_edition("2020-01-01", "2019-01-01")], "until must be after from"),
        ([_edition("2016-01-01", None, source="S9")], "edition source 'S9'"),
    ],
)
def test_bad_editions_are_refused(editions: list[dict[str, Any]], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        BaselineFile.model_validate(_file(editions=editions))


def test_edition_after_effective_until_is_refused() -> None:
    data = _file(effective_until="2020-01-01", editions=[_edition("2016-01-01", "2021-01-01")])
    with pytest.raises(ValidationError, match="after effective_until"):
        BaselineFile.model_validate(data)


def test_requirement_basis_kind_overrides_the_instrument_in_the_catalogue(tmp_path: Path) -> None:
    baselines = tmp_path / "baselines"
    baselines.mkdir()
    data = _file(
        "act", basis_kind="practice", machine_checkable=False, not_checkable_reason={"ja": "理由", "en": "reason"}
    )
    data["requirements"].append(
        _requirement(id="TEST-2", machine_checkable=False, not_checkable_reason={"ja": "理由", "en": "reason"})
    )
    (baselines / "test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "none.yaml").write_text("schema_version: 1\nrules: []\n", encoding="utf-8")
    catalog = load_catalog(baselines, rules)
    assert catalog.basis_kind("TEST-1") == "practice"
    assert catalog.basis_kind("TEST-2") == "law"


def test_bad_edition_in_a_catalogue_file_is_a_located_error(tmp_path: Path) -> None:
    baselines = tmp_path / "baselines"
    baselines.mkdir()
    data = _file(editions=[_edition("2016-01-01", "2023-01-01"), _edition("2022-04-01", None)])
    (baselines / "test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_catalog(baselines, bundled_dir("rules"))
    assert any(issue.file.endswith("test.yaml") and issue.line is not None for issue in info.value.issues)


def test_editions_survive_the_catalogue_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    baselines = tmp_path / "baselines"
    baselines.mkdir()
    data = _file(
        "notice",
        basis_kind="guideline",
        editions=[_edition("2016-01-01", "2022-04-01"), _edition("2022-04-01", None, quote=None)],
    )
    data["requirements"][0]["machine_checkable"] = False
    data["requirements"][0]["not_checkable_reason"] = {"ja": "理由", "en": "reason"}
    (baselines / "test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "none.yaml").write_text("schema_version: 1\nrules: []\n", encoding="utf-8")
    first = load_catalog(baselines, rules)
    assert list((tmp_path / "cache").iterdir())
    stored = [p for p in (tmp_path / "cache").iterdir() if p.name.startswith("catalog-")]
    entry = catalog_cache.CachedCatalog.model_validate_json(stored[0].read_bytes())
    assert entry.requirements["TEST-1"] == first.requirements["TEST-1"]
    second = load_catalog(baselines, rules)
    assert second.requirements["TEST-1"].all_editions() == first.requirements["TEST-1"].all_editions()
    assert second.basis_kind("TEST-1") == "guideline"


def test_bundled_requirements_keep_validating_with_their_default_edition() -> None:
    catalog = load_catalog()
    for req in catalog.requirements.values():
        editions = req.all_editions()
        assert editions, req.id
        for edition in editions:
            assert edition.checked_against.source in {
                s.id for s in catalog.instruments[catalog.instrument_of[req.id]].sources
            }
