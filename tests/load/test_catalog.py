"""The bundled baselines and rules load, fit together, and bad catalogue files are located errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safeguard_check.errors import InputError, render
from safeguard_check.load.catalog import bundled_dir, load_catalog
from safeguard_check.model.rule import SEVERITIES


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def test_bundled_catalog_loads(catalog) -> None:  # type: ignore[no-untyped-def]
    assert len(catalog.instruments) >= 10
    assert len(catalog.requirements) >= 90
    assert len(catalog.rules) >= 40


def test_every_requirement_is_implemented_or_declared_not_checkable(catalog) -> None:  # type: ignore[no-untyped-def]
    implemented = {r for rule in catalog.rules for r in rule.implements}
    for rid, req in catalog.requirements.items():
        if req.machine_checkable:
            assert rid in implemented, f"{rid} is machine-checkable but no rule implements it"
        else:
            assert req.not_checkable_reason is not None
            assert req.not_checkable_reason.ja and req.not_checkable_reason.en


def test_required_instruments_are_covered(catalog) -> None:  # type: ignore[no-untyped-def]
    for rid in (
        "BANGO-10-1",
        "BANGO-10-2",
        "BANGO-11",
        "BANGO-12",
        "BANGO-27-1",
        "BANGO-28-1",
        "BANGO-29NO2",
        "BANGO-29NO4-1",
        "BANGO-7-1",
        "BANGO-16NO2-1",
        "BANGO-38NO3-1",
        "SHOREI85-35-1",
        "SHOREI85-5",
        "APPI-66-1",
        "APPI-66-2-5",
        "APPI-129",
        "R1-ACT16-NOTICE-CARD-ABOLISHED",
        "JPKI-70",
    ):
        assert rid in catalog.requirements, rid
    kinds = {catalog.instrument_of[r] for r in catalog.requirements}
    assert {
        "kokuji-r2-159",
        "kokuji-h15-706",
        "kokuji-h14-334",
        "ppc-guideline-gyosei",
        "soumu-security-policy-gl",
    } <= kinds


def test_unverified_texts_are_never_quoted_as_official(catalog) -> None:  # type: ignore[no-untyped-def]
    for req in catalog.requirements.values():
        if req.verification == "unverified":
            assert "未確認" in req.citation.label.ja or req.quote is None or req.verification_note


def test_rules_have_severity_messages_and_remediation(catalog) -> None:  # type: ignore[no-untyped-def]
    for rule in catalog.rules:
        assert rule.severity in SEVERITIES
        assert rule.message.ja and rule.message.en and rule.remediation.ja and rule.remediation.en


def test_the_pia_duty_moves_from_article_27_to_28(catalog) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    old, new = catalog.requirements["BANGO-27-1"], catalog.requirements["BANGO-28-1"]
    assert old.effective_until == new.effective_from
    assert old.in_force(dt.date(2016, 6, 1)) and not new.in_force(dt.date(2016, 6, 1))
    assert new.in_force(dt.date(2020, 5, 25)) and not old.in_force(dt.date(2020, 5, 25))


def _copy_catalog(tmp_path: Path) -> tuple[Path, Path]:
    baselines = tmp_path / "baselines"
    rules = tmp_path / "rules"
    shutil.copytree(bundled_dir("baselines"), baselines)
    shutil.copytree(bundled_dir("rules"), rules)
    return baselines, rules


BAD_RULES = {
    "unknown requirement": (
        "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-99]\n"
        "    subject: party\n    severity: high\n    message: {ja: m, en: m}\n"
        "    remediation: {ja: r, en: r}\n",
        "catalog.unknown_requirement",
    ),
    "unknown code": (
        "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-12]\n"
        "    subject: party\n    require: {all_of: [transfer.encrypton]}\n    severity: high\n"
        "    message: {ja: m, en: m}\n    remediation: {ja: r, en: r}\n",
        "catalog.unknown_code",
    ),
    "when key for the wrong subject": (
        "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-12]\n"
        "    subject: party\n    when: {system: [other]}\n    severity: high\n"
        "    message: {ja: m, en: m}\n    remediation: {ja: r, en: r}\n",
        "schema.other",
    ),
    "unknown when value": (
        "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-12]\n"
        "    subject: party\n    when: {role: [delegat]}\n    severity: high\n"
        "    message: {ja: m, en: m}\n    remediation: {ja: r, en: r}\n",
        "catalog.unknown_value",
    ),
    "bad severity": (
        "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-12]\n"
        "    subject: party\n    severity: urgent\n    message: {ja: m, en: m}\n"
        "    remediation: {ja: r, en: r}\n",
        "schema.literal",
    ),
    "duplicate key": ("  - id: SGC-X\n    id: SGC-Y\n    title: {ja: x, en: x}\n", "syntax.duplicate_key"),
    "python tag": ("  - !!python/object/apply:os.system [echo hi]\n", "syntax.tag"),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_bad_rule_file_is_a_located_error(case: str, tmp_path: Path) -> None:
    baselines, rules = _copy_catalog(tmp_path)
    body, key = BAD_RULES[case]
    bad = rules / "zz-bad.yaml"
    bad.write_text("schema_version: 1\nrules:\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_catalog(baselines, rules)
    issues = [i for i in info.value.issues if i.file == str(bad)]
    assert issues, [render(i, "en") for i in info.value.issues]
    assert key in {i.key for i in issues}
    assert all(i.line is not None and i.line >= 3 for i in issues)
    for issue in issues:
        assert str(bad) in render(issue, "ja") and str(bad) in render(issue, "en")


def test_requirement_without_reason_is_rejected(tmp_path: Path) -> None:
    baselines, rules = _copy_catalog(tmp_path)
    path = baselines / "bango-ho.yaml"
    text = path.read_text(encoding="utf-8")
    assert "machine_checkable: false" in text
    # Drop every not_checkable_reason block of this file: the schema must refuse it.
    import yaml

    data = yaml.safe_load(text)
    for req in data["requirements"]:
        req["not_checkable_reason"] = None
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_catalog(baselines, rules)
    assert any("not_checkable_reason" in str(i.params) for i in info.value.issues)


def test_missing_catalog_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_catalog(tmp_path / "nope", tmp_path / "nope2")
    assert info.value.issues[0].key == "io.not_found"
