"""`explain`, `baselines list` and `rules list`: both languages, JSON, custom directories, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from safeguard_check.commands.law import register
from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.load.catalog import Catalog, bundled_dir, load_catalog

ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SAFEGUARD_CHECK_LANG": ""}


def make_app() -> typer.Typer:
    """An app registered the way cli.py does it."""
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    register(app)
    return app


APP = make_app()
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(APP, list(args), env={**ENV, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_explain_requirement_in_japanese(catalog: Catalog) -> None:
    code, out, _ = run("explain", "bango-11")
    assert code == 0
    req = catalog.requirements["BANGO-11"]
    assert "BANGO-11" in out and req.title.ja in out
    assert "番号法" in out and "平成25年法律第27号" in out  # instrument short and number
    assert req.citation.label.ja in out
    assert "必要かつ適切な監督" in out  # the quote
    assert "適用開始日" in out and "平成28年1月1日 (2016-01-01)" in out
    assert "定めなし" in out  # no end date
    assert "原文で確認" in out and "確認メモ" in out
    assert "実装する規則" in out and "SGC-CONTRACT-CONFIDENTIALITY" in out and "SGC-VENDOR-MONITORING" in out


def test_explain_requirement_in_english(catalog: Catalog) -> None:
    code, out, _ = run("explain", "BANGO-11", "--lang", "en")
    assert code == 0
    assert catalog.requirements["BANGO-11"].title.en in out
    assert "My Number Act, art. 11" in out and "In force from" in out and "2016-01-01" in out
    assert "Machine-checkable" in out and "Implemented by" in out and "official text" in out


def test_explain_not_checkable_requirement_gives_the_reason(catalog: Catalog) -> None:
    rid, req = next((rid, r) for rid, r in catalog.requirements.items() if not r.machine_checkable)
    assert req.not_checkable_reason is not None
    code, out, _ = run("explain", rid, "--lang", "en")
    assert code == 0 and req.not_checkable_reason.en.split()[0] in out and "no —" in out


def test_explain_rule_both_languages(catalog: Catalog) -> None:
    rule = next(r for r in catalog.rules if r.id == "SGC-TERMINAL-REMOVABLE-MEDIA-VENDOR")
    vocab = vocabulary()
    code, ja, _ = run("explain", "sgc-terminal-removable-media-vendor")
    assert code == 0
    assert rule.title.ja in ja and "端末 (terminal)" in ja
    assert "owner_role: 委任先 (delegate)、委託先 (contractor)、再委託先 (subcontractor)" in ja
    assert (
        f"{vocab.label('measures', 'endpoint.removable_media_blocked', 'ja')} [endpoint.removable_media_blocked]" in ja
    )
    assert "次のすべてが必要" in ja and "重大度" in ja and "低" in ja
    assert "修正案" in ja and rule.remediation.ja in ja and rule.message.ja in ja
    assert "[PPC-GYOSEI-PHYS-MEDIA-DEVICE-RESTRICTION]" in ja and "[PPC-GYOSEI-ITAKU-EQUIVALENT-MEASURES]" in ja
    code, en, _ = run("explain", "SGC-TERMINAL-REMOVABLE-MEDIA-VENDOR", "--lang", "en")
    assert code == 0
    assert rule.title.en in en and "Suggested wording" in en and rule.remediation.en in en
    assert vocab.label("measures", "endpoint.removable_media_blocked", "en") in en
    assert "Severity" in en and "low" in en and "Requirements implemented" in en


def test_explain_rule_without_require_and_any_of(catalog: Catalog) -> None:
    bare = next(r for r in catalog.rules if r.require is None)
    code, out, _ = run("explain", bare.id, "--lang", "en")
    assert code == 0 and "is itself the gap" in out
    any_of = next(r for r in catalog.rules if r.require is not None and r.require.any_of)
    code, out, _ = run("explain", any_of.id)
    assert code == 0 and "次のいずれか1つが必要" in out


@pytest.mark.parametrize(("lang", "text"), [("ja", "候補: SGC-TERMINAL-MFA"), ("en", "did you mean: SGC-TERMINAL-MFA")])
def test_explain_unknown_id_suggests_and_exits_2(lang: str, text: str) -> None:
    code, out, err = run("explain", "sgc-terminal-mfx", "--lang", lang)
    assert code == 2 and out == ""
    assert text in err
    assert ("規則・要件「sgc-terminal-mfx」はありません" if lang == "ja" else "no rule or requirement") in err


def test_explain_json(catalog: Catalog) -> None:
    code, out, _ = run("explain", "sgc-terminal-mfa", "--format", "json")
    assert code == 0
    data = json.loads(out)
    (item,) = data["items"]
    assert data["format_version"] == 1 and item["type"] == "rule" and item["id"] == "SGC-TERMINAL-MFA"
    assert {r["id"] for r in item["requirements"]} == set(item["implements"])
    assert all(m["label"]["ja"] and m["label"]["en"] for m in item["required_measures"])
    code, out, _ = run("explain", "BANGO-11", "--format", "json", "--lang", "en")
    (item,) = json.loads(out)["items"]
    assert item["type"] == "requirement" and item["instrument"]["id"] == "bango-ho"
    assert item["effective_from"] == "2016-01-01"
    assert "SGC-CONTRACT-CONFIDENTIALITY" in {r["id"] for r in item["implemented_by"]}


def test_baselines_list_text(catalog: Catalog) -> None:
    code, ja, _ = run("baselines", "list")
    assert code == 0 and "法令等（基準）" in ja and "要件数" in ja
    for inst in catalog.instruments.values():
        assert inst.id in ja
    assert "平成25年法律第27号" in ja and "ガイドライン" in ja
    code, en, _ = run("baselines", "list", "--lang", "en")
    assert code == 0 and "Legal baselines" in en and "guideline" in en and "My Number Act" in en


def test_baselines_list_all(catalog: Catalog) -> None:
    code, out, _ = run("baselines", "list", "--all", "--lang", "en")
    assert code == 0 and f"Requirements ({len(catalog.requirements)})" in out
    for rid in catalog.requirements:
        assert rid in out
    code, out, _ = run("baselines", "list", "--all")
    assert code == 0 and f"要件（{len(catalog.requirements)} 件）" in out and "機械判定" in out


def test_baselines_list_json(catalog: Catalog) -> None:
    code, out, _ = run("baselines", "list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [i["id"] for i in data["instruments"]] == sorted(catalog.instruments)
    assert sum(i["requirements"] for i in data["instruments"]) == len(catalog.requirements)
    assert "requirements" not in data
    code, out_all, _ = run("baselines", "list", "--all", "--format", "json", "--lang", "en")
    data_all = json.loads(out_all)
    assert {r["id"] for r in data_all["requirements"]} == set(catalog.requirements)
    bango11 = next(r for r in data_all["requirements"] if r["id"] == "BANGO-11")
    assert bango11["instrument"] == "bango-ho" and "SGC-CONTRACT-CONFIDENTIALITY" in bango11["implemented_by"]
    # deterministic, and the same whatever the language
    assert run("baselines", "list", "--all", "--format", "json")[1] == out_all


def test_rules_list_text_and_json(catalog: Catalog) -> None:
    code, ja, _ = run("rules", "list")
    assert code == 0 and f"規則（{len(catalog.rules)} 件）" in ja
    for rule in catalog.rules:
        assert rule.id in ja
    code, en, _ = run("rules", "list", "--lang", "en")
    assert code == 0 and "Severity" in en and "terminal" in en
    code, out, _ = run("rules", "list", "--format", "json")
    data = json.loads(out)
    assert [r["id"] for r in data["rules"]] == [r.id for r in catalog.rules]
    mfa = next(r for r in data["rules"] if r["id"] == "SGC-TERMINAL-MFA")
    assert mfa["severity"] == "medium" and mfa["subject"] == "terminal" and mfa["require"]["all_of"]
    assert run("rules", "list", "--format", "json", "--lang", "en")[1] == out


def test_custom_directories(tmp_path: Path, catalog: Catalog) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(bundled_dir("rules") / "network.yaml", rules / "network.yaml")
    code, out, _ = run("rules", "list", "--format", "json", "--rules", str(rules))
    ids = [r["id"] for r in json.loads(out)["rules"]]
    assert code == 0 and "SGC-TERMINAL-MFA" in ids and "SGC-CONTRACT-CONFIDENTIALITY" not in ids
    code, _, err = run("explain", "SGC-CONTRACT-CONFIDENTIALITY", "--rules", str(rules))
    assert code == 2 and "SGC-CONTRACT-CONFIDENTIALITY" in err
    baselines = tmp_path / "baselines"
    shutil.copytree(bundled_dir("baselines"), baselines)
    code, out, _ = run("baselines", "list", "--format", "json", "--baselines", str(baselines))
    assert code == 0 and len(json.loads(out)["instruments"]) == len(catalog.instruments)


def test_broken_catalogue_is_a_located_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text("schema_version: 1\nrules:\n  - id: bad id\n", encoding="utf-8")
    code, out, err = run("rules", "list", "--rules", str(rules), "--lang", "en")
    assert code == 2 and out == "" and f"{rules / 'x.yaml'}:3" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "BANGO-11", "--lang", "fr"),
        ("rules", "list", "--format", "xml"),
        ("baselines", "list", "--format", "yaml"),
        ("rules", "list", "--rules", "/nonexistent/rules"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    code, out, _ = run(*args)
    assert code == 2 and out == ""


def test_language_from_environment() -> None:
    code, out, _ = run("rules", "list", env={"SAFEGUARD_CHECK_LANG": "en"})
    assert code == 0 and "Severity" in out


def test_no_color_gives_plain_text_even_on_a_forced_terminal() -> None:
    _, styled, _ = run("explain", "SGC-TERMINAL-MFA", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in styled  # the check below is meaningful
    _, plain, _ = run("explain", "SGC-TERMINAL-MFA", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in plain and "SGC-TERMINAL-MFA" in plain
