"""baselines/weights.yaml: a complete, validated table of severity caps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from safeguard_check.errors import InputError
from safeguard_check.load.catalog import WEIGHTS_FILE, bundled_dir, load_catalog
from safeguard_check.model.baseline import BASIS_KINDS, VERIFICATIONS
from safeguard_check.model.weights import WeightsFile
from synthetic_catalog import write_catalog


def _bundled() -> dict[str, object]:
    data = yaml.safe_load((bundled_dir("baselines") / WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_bundled_table_states_the_agreed_caps() -> None:
    weights = WeightsFile.model_validate(_bundled())
    for basis in ("law", "cabinet_order", "ministerial_ordinance"):
        assert weights.cap(basis, "official_text") == "critical"  # type: ignore[arg-type]
    assert weights.cap("guideline", "official_text") == "high"
    # Only on an unverified or second-hand 告示, technical advice or practice: at most medium.
    for verification in VERIFICATIONS:
        for basis in ("technical_advice", "practice"):
            assert weights.cap(basis, verification) in ("medium", "low", "info")  # type: ignore[arg-type]
    for verification in ("secondary_source", "unverified"):
        assert weights.cap("notice", verification) in ("medium", "low", "info")  # type: ignore[arg-type]


def test_every_cell_is_required() -> None:
    data = _bundled()
    caps = data["caps"]
    assert isinstance(caps, dict)
    del caps["practice"]["unverified"]
    with pytest.raises(ValidationError, match="practice: verification 'unverified' is missing"):
        WeightsFile.model_validate(data)
    data = _bundled()
    del data["caps"]["notice"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="basis kind 'notice' is missing"):
        WeightsFile.model_validate(data)
    assert len(BASIS_KINDS) == 7


def test_a_baselines_directory_may_carry_its_own_table(tmp_path: Path) -> None:
    baselines, rules = write_catalog(tmp_path)
    assert load_catalog(baselines, rules).weights == WeightsFile.model_validate(_bundled())  # bundled fallback
    data = _bundled()
    data["caps"]["law"]["official_text"] = "low"  # type: ignore[index]
    (baselines / WEIGHTS_FILE).write_text(yaml.safe_dump(data), encoding="utf-8")
    catalog = load_catalog(baselines, rules)
    assert catalog.weights is not None and catalog.weights.cap("law", "official_text") == "low"
    assert "test-act" in catalog.instruments  # weights.yaml is not read as a baseline file


def test_bad_table_is_a_located_catalogue_error(tmp_path: Path) -> None:
    baselines, rules = write_catalog(tmp_path)
    (baselines / WEIGHTS_FILE).write_text(
        "schema_version: 1\ncaps:\n  law: {official_text: severe}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_catalog(baselines, rules)
    assert any(i.file.endswith(WEIGHTS_FILE) and i.line == 3 for i in info.value.issues)
