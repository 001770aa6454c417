"""Plan identity and finding fingerprints (#16): distinct plans never share one, edits keep them."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastplans import random_plan
from safeguard_check.check import check_plan
from safeguard_check.findings.identity import identity_path, plan_identity
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import load_declaration
from safeguard_check.model.declaration import Declaration

CATALOG = load_catalog()
# A small budget: each example checks two plans.
SMALL = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def write(decl: Declaration | dict[str, object], path: Path) -> Path:
    data = decl.model_dump(mode="json", exclude_none=True) if isinstance(decl, Declaration) else decl
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def check(path: Path) -> CheckResult:
    return check_plan(load_declaration(path), CATALOG, engine="reference")


def keyed(result: CheckResult) -> dict[tuple[str, str, str], str]:
    return {(f.rule_id, f.subject_kind, f.subject_id): f.fingerprint for f in result.findings}


@SMALL
@given(st.randoms(use_true_random=False))
def test_two_files_never_share_a_fingerprint(tmp_path: Path, rnd: random.Random) -> None:
    decl = random_plan(rnd)
    # The same content, same municipality, in two files: two plans (before #16 they collided entirely).
    first = check(write(decl, tmp_path / "a" / "plan.json"))
    second = check(write(decl, tmp_path / "b" / "plan.json"))
    assert first.findings, "the generator always leaves gaps"
    assert set(keyed(first)) == set(keyed(second))
    assert set(keyed(first).values()).isdisjoint(keyed(second).values())


@SMALL
@given(st.randoms(use_true_random=False), st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != ""))
def test_edited_values_keep_fingerprints(tmp_path: Path, rnd: random.Random, word: str) -> None:
    decl = random_plan(rnd)
    path = write(decl, tmp_path / "plan.json")
    before = keyed(check(path))
    data = decl.model_dump(mode="json", exclude_none=True)
    data["plan"] = {**data["plan"], "title": f"{data['plan']['title']} {word}", "municipality": f"{word}市"}
    data["plan"]["department"] = word
    # Party names are not edited: a name can state a legal status (株式会社…), which changes the rules.
    write(data, path)  # the same file, edited: title, municipality, department
    after = keyed(check(path))
    assert set(after) == set(before)
    assert after == before


def test_declared_id_is_the_identity_and_survives_a_move(tmp_path: Path) -> None:
    decl = random_plan(random.Random(3))
    data = decl.model_dump(mode="json", exclude_none=True)
    data["plan"]["id"] = "ku-2020-card"
    here, there = check(write(data, tmp_path / "x.json")), check(write(data, tmp_path / "moved" / "y.json"))
    assert here.plan_id == there.plan_id == "id:ku-2020-card"
    assert keyed(here) == keyed(there)
    other = {**data, "plan": {**data["plan"], "id": "ku-2020-card-2"}}
    assert set(keyed(check(write(other, tmp_path / "z.json"))).values()).isdisjoint(keyed(here).values())


def test_path_identity_is_relative_to_the_git_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    plan = repo / "plans" / "shinjuku.yaml"
    plan.parent.mkdir()
    plan.write_text("", encoding="utf-8")
    for cwd in (repo, repo / "plans", tmp_path):
        monkeypatch.chdir(cwd)
        assert identity_path(os.path.relpath(plan)) == "plans/shinjuku.yaml"
    outside = tmp_path / "loose" / "p.yaml"
    outside.parent.mkdir()
    monkeypatch.chdir(tmp_path)
    assert identity_path("loose/p.yaml") == "loose/p.yaml"  # no work tree: the working directory
    assert plan_identity(None, "loose/p.yaml") == "path:loose/p.yaml"
    assert plan_identity("x", "loose/p.yaml") == "id:x"


def test_an_invalid_plan_id_is_a_located_error(tmp_path: Path) -> None:
    from safeguard_check.errors import InputError

    path = tmp_path / "p.yaml"
    data = random_plan(random.Random(1)).model_dump(mode="json", exclude_none=True)
    data["plan"]["id"] = "has space"
    write(data, path)
    with pytest.raises(InputError) as caught:
        load_declaration(path)
    assert any(i.line is not None for i in caught.value.issues)
