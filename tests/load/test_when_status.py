"""Rules may ask for legal statuses; unknown values are refused with suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safeguard_check.errors import InputError
from safeguard_check.load.catalog import load_catalog
from synthetic_catalog import write_catalog


def _with_when(tmp_path: Path, subject: str, when: dict[str, list[str]]) -> tuple[Path, Path]:
    baselines, rules = write_catalog(tmp_path)
    data = yaml.safe_load((rules / "test.yaml").read_text(encoding="utf-8"))
    data["rules"][0]["subject"] = subject
    data["rules"][0]["when"] = when
    (rules / "test.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return baselines, rules


@pytest.mark.parametrize(
    ("subject", "when"),
    [
        ("party", {"legal_status": ["business", "jlis"]}),
        ("party", {"upstream_legal_status": ["administrative_organ", "none"]}),
        ("contract", {"client_legal_status": ["administrative_organ"]}),
    ],
)
def test_status_keys_load(tmp_path: Path, subject: str, when: dict[str, list[str]]) -> None:
    catalog = load_catalog(*_with_when(tmp_path, subject, when))
    assert catalog.rules[0].when == when


def test_unknown_status_value_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_catalog(*_with_when(tmp_path, "party", {"legal_status": ["bussiness"]}))
    (issue,) = info.value.issues
    assert issue.key == "catalog.unknown_value" and "business" in str(issue.params["suggestions"])


def test_status_key_on_the_wrong_subject_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_catalog(*_with_when(tmp_path, "transfer", {"legal_status": ["business"]}))
