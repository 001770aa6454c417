"""The command line as users run it: a subprocess started outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from safeguard_check import __version__
from safeguard_check.load.declaration import load_declaration

SHINJUKU = Path("cases") / "shinjuku-2020-mynumber-card" / "declaration.yaml"

# A plan with one mistake: an unknown measure code on line 18, column 13.
BAD_PLAN = """\
plan:
  title: テスト計画
  municipality: 新宿区
  department: 戸籍住民課
  report_type: report
  effective_date: 令和2年5月25日
parties:
  - {id: ward, name: 新宿区, role: principal}
  - {id: jlis, name: 機構, role: delegate, received_from: ward}
transfers:
  - id: t1
    from: ward
    to: jlis
    method: jukinet
    encrypted: true
measures:
  - id: m1
    codes: [transfer.encrypton]
    implemented_by: [ward]
    category: technical
    text: 暗号化する。
"""


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "SAFEGUARD_CHECK_LANG")}
    environ.update({"NO_COLOR": "1", **env})
    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert "internal error" not in result.stderr


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"safeguard-check {__version__}"


def test_no_arguments_shows_help(tmp_path: Path) -> None:
    result = run(cwd=tmp_path)
    assert result.returncode in (0, 2)
    assert "check" in result.stdout + result.stderr
    _no_traceback(result)


# --- schema ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    result = run("schema", cwd=tmp_path_factory.mktemp("schema"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, object]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert "plan" in schema["properties"] and "parties" in schema["properties"]  # type: ignore[operator]


def _errors(schema: dict[str, object], doc: object, *, formats: bool) -> list[str]:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER if formats else None
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


def test_schema_accepts_the_shinjuku_yaml(schema: dict[str, object], repo_root: Path) -> None:
    # Dates in the case are 和暦 strings (令和2年5月25日, H27.1.30), which yaml.safe_load keeps as str;
    # "format": "date" is an annotation under Draft 2020-12 unless format assertion is switched on.
    doc = yaml.safe_load((repo_root / SHINJUKU).read_text(encoding="utf-8"))
    assert isinstance(doc["plan"]["effective_date"], str)
    assert _errors(schema, doc, formats=False) == []


def test_schema_accepts_the_model_dump_with_format_assertion(schema: dict[str, object], repo_root: Path) -> None:
    decl = load_declaration(repo_root / SHINJUKU).declaration
    for exclude_none in (False, True):
        doc = decl.model_dump(mode="json", by_alias=True, exclude_none=exclude_none)
        assert _errors(schema, doc, formats=True) == []


def test_schema_rejects_what_the_loader_rejects(schema: dict[str, object], repo_root: Path) -> None:
    doc = yaml.safe_load((repo_root / SHINJUKU).read_text(encoding="utf-8"))
    doc["parties"][0]["role"] = "vendor"
    doc["plan"]["unknown"] = 1
    del doc["plan"]["title"]
    errors = _errors(schema, doc, formats=False)
    assert len(errors) == 3, errors


def test_schema_with_format_assertion_accepts_wareki_dates(schema: dict[str, object], repo_root: Path) -> None:
    template = repo_root / "src" / "safeguard_check" / "data" / "template.yaml"
    for path in (template, repo_root / SHINJUKU):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert _errors(schema, doc, formats=True) == []


def test_schema_output_file(tmp_path: Path, schema: dict[str, object]) -> None:
    result = run("schema", "-o", "declaration.schema.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "declaration.schema.json").read_text(encoding="utf-8")) == schema
    assert [p.name for p in tmp_path.iterdir()] == ["declaration.schema.json"]  # no temporary file left


# --- init ------------------------------------------------------------------------------------------


def test_init_writes_a_template_that_loads(tmp_path: Path) -> None:
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "declaration.yaml"
    assert path.is_file()
    assert "テンプレート" in result.stderr
    loaded = load_declaration(path)
    assert loaded.declaration.parties[0].role == "principal"
    assert [p.name for p in tmp_path.iterdir()] == ["declaration.yaml"]


def test_init_named_file_in_english(tmp_path: Path) -> None:
    result = run("init", "my-plan.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "template written: my-plan.yaml" in result.stderr
    load_declaration(tmp_path / "my-plan.yaml")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "declaration.yaml"
    path.write_text("# my own work\n", encoding="utf-8")
    before = path.stat().st_mtime_ns
    result = run("init", cwd=tmp_path)
    assert result.returncode == 2
    assert path.read_text(encoding="utf-8") == "# my own work\n"
    assert path.stat().st_mtime_ns == before
    assert "上書きしません" in result.stderr
    english = run("init", "declaration.yaml", "--lang", "en", cwd=tmp_path)
    assert english.returncode == 2 and "not overwritten" in english.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["declaration.yaml"]
    _no_traceback(result)


# --- check -----------------------------------------------------------------------------------------


def test_check_bad_file_in_japanese_by_default(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    result = run("check", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "bad.yaml:18:13: エラー: 不明な対策コード「transfer.encrypton」です" in result.stderr
    assert "候補: transfer.encryption" in result.stderr
    _no_traceback(result)


def test_check_bad_file_in_english(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    result = run("check", "bad.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yaml:18:13: error: unknown measure code 'transfer.encrypton'" in result.stderr
    assert "did you mean: transfer.encryption" in result.stderr
    assert "エラー" not in result.stderr
    _no_traceback(result)


def test_check_language_from_environment(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    result = run("check", "bad.yaml", cwd=tmp_path, SAFEGUARD_CHECK_LANG="en")
    assert result.returncode == 2
    assert "bad.yaml:18:13: error:" in result.stderr


def test_check_missing_file(tmp_path: Path) -> None:
    result = run("check", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr and "ファイルが見つかりません" in result.stderr
    _no_traceback(result)


def test_check_binary_file(tmp_path: Path, repo_root: Path) -> None:
    (tmp_path / "sheet.yaml").write_bytes((repo_root / "tests" / "data" / "binary.yaml").read_bytes())
    result = run("check", "sheet.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "sheet.yaml:1:6: error: looks like a binary file" in result.stderr
    _no_traceback(result)


def test_check_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN, encoding="utf-8")
    result = run("check", "missing.yaml", "bad.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr and "bad.yaml:18:13" in result.stderr


@pytest.mark.parametrize("command", [["check", "x.yaml"], ["init", "x.yaml"]])
def test_unknown_language(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--lang", "xx", cwd=tmp_path)
    assert result.returncode == 2
    assert "--lang" in result.stderr
    assert not (tmp_path / "x.yaml").exists()
    _no_traceback(result)


def test_check_valid_plans_do_not_crash(tmp_path: Path, repo_root: Path) -> None:
    # Exit 0 or 1 depends on the rules (finished elsewhere); here only: no internal error.
    assert run("init", cwd=tmp_path).returncode == 0
    for plan in ("declaration.yaml", str(repo_root / SHINJUKU)):
        result = run("check", plan, cwd=tmp_path)
        assert result.returncode != 3, result.stderr
        assert result.returncode in (0, 1), result.stderr
        _no_traceback(result)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  title: テスト計画\n", "  titel: テスト計画\n", "bad.yaml:2:3: error: unknown key 'titel'"),
        ("  title: テスト計画\n", "  title: テスト計画\n  title: 別\n", "bad.yaml:3:3: error: duplicate key 'title'"),
    ],
    ids=["unknown-key", "duplicate-key"],
)
def test_check_key_errors_exit_2(tmp_path: Path, old: str, new: str, where: str) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN.replace(old, new), encoding="utf-8")
    result = run("check", "bad.yaml", "--lang", "en", cwd=tmp_path)
    assert where in result.stderr
    assert result.returncode == 2
    _no_traceback(result)


def test_check_impossible_unquoted_date_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_PLAN.replace("令和2年5月25日", "2020-02-30"), encoding="utf-8")
    result = run("check", "bad.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.yaml:6:" in result.stderr
    _no_traceback(result)


def test_error_location_is_not_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / "a_rather_long_directory_name" / "for_the_municipal_declarations_2020"
    folder.mkdir(parents=True)
    (folder / "shinjuku_mynumber_card_delegation.yaml").write_text(BAD_PLAN, encoding="utf-8")
    relative = folder.relative_to(tmp_path) / "shinjuku_mynumber_card_delegation.yaml"
    result = run("check", str(relative), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert any(line.startswith(f"{relative}:18:13: error:") for line in result.stderr.splitlines())
