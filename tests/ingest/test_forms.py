"""forms.yaml is data: read with the safe loader and validated (labels must be regexes, fields known)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from safeguard_check.ingest.forms import Forms, forms

FILE = Path(__file__).resolve().parents[2] / "src" / "safeguard_check" / "ingest" / "forms.yaml"


def _raw() -> dict[str, object]:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_bundled_forms_validate() -> None:
    assert forms().section_of("委託にあたり市が行う情報保護対策") == "principal"
    assert forms().section_of("委任先に行わせる情報保護対策") == "delegate"
    assert forms().section_of("受託事業者に行わせる情報保護対策") == "contractor"


def test_a_label_that_is_not_a_regex_is_refused() -> None:
    data = _raw()
    data["sheet"][0]["labels"] = ["件名("]  # type: ignore[index]
    with pytest.raises(ValidationError, match="not a regular expression"):
        Forms.model_validate(data)


def test_an_unknown_field_is_refused() -> None:
    data = _raw()
    data["sheet"][0]["field"] = "headline"  # type: ignore[index]
    with pytest.raises(ValidationError):
        Forms.model_validate(data)


def test_field_affects_names_existing_rules() -> None:
    from safeguard_check.load.catalog import load_catalog

    rule_ids = {r.id for r in load_catalog().rules}
    listed = {rule for rules in forms().field_affects.values() for rule in rules}
    assert listed and listed <= rule_ids


def test_forms_are_read_once_per_process() -> None:
    # Every label lookup asks for forms(); reading the YAML each time made ingest 20× slower.
    assert forms() is forms()
