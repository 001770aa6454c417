"""Fuzzing the command line: whatever the input, ``check`` exits 0, 1 or 2, quickly, without a traceback.

Most inputs go through the in-process entry point (typer's ``CliRunner`` on ``safeguard_check.cli.app``),
which is what makes a few hundred examples affordable; a handful run as real subprocesses at the end.
``cli.main`` turns unexpected exceptions into exit code 3 — here, an exception escaping the app is a
failure of the test, exactly like an exit 3 would be.

Inputs: random YAML/JSON documents whose keys are mostly the declaration's own field names; mutations
of the minimal and Shinjuku plans (deleted keys and items, values of the wrong type, swapped values,
deleted/duplicated/swapped lines of text); and raw bytes (random, and byte-level mutations of a plan).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from safeguard_check.cli import app
from safeguard_check.load import catalog as catalog_module
from safeguard_check.load.catalog import load_catalog
from safeguard_check.model.declaration import JA_KEY_ALIASES, Declaration

REPO = Path(__file__).resolve().parent.parent
BASES = {
    "minimal": (REPO / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8"),
    "shinjuku": (REPO / "cases" / "shinjuku-2020-mynumber-card" / "declaration.yaml").read_text(encoding="utf-8"),
}
TREES = {name: yaml.safe_load(text) for name, text in BASES.items()}
MAX_SECONDS = 10.0  # per input; typical runs take 0.02–0.6 s
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _field_names() -> list[str]:
    names: set[str] = set(JA_KEY_ALIASES)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(Declaration.model_json_schema(by_alias=True))
    return sorted(names)


FIELDS = _field_names()
RUNNER = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _catalog_once() -> Iterator[None]:
    """Load the rule catalogue once: it is not what is fuzzed, and reloading it per input took most of the time."""
    catalog = load_catalog()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog_module, "load_catalog", lambda baselines=None, rules=None: catalog)
        yield


def invoke(data: bytes, suffix: str, *options: str) -> None:
    """Run ``check`` on ``data`` written to a file and assert the invariants of the command line."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan{suffix}"
        path.write_bytes(data)
        start = time.monotonic()
        result = RUNNER.invoke(app, ["check", str(path), *options])
        elapsed = time.monotonic() - start
    output = result.output + result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI (exit 3 under cli.main): {result.exception!r}") from (
            result.exception
        )
    assert result.exit_code in (0, 1, 2), (result.exit_code, output[-3000:])
    event(f"exit {result.exit_code}")  # pytest --hypothesis-show-statistics shows how far inputs got
    assert "Traceback" not in output
    assert elapsed < MAX_SECONDS, elapsed
    if result.exit_code in (0, 1) and "--format" in options:
        fmt = options[options.index("--format") + 1]
        if fmt in ("json", "sarif"):
            json.loads(result.stdout)  # a machine format on stdout stays parseable


_OPTIONS = st.tuples(
    st.sampled_from(["terminal", "json", "sarif", "junit", "markdown", "html"]),
    st.sampled_from(["ja", "en"]),
    st.sampled_from(["durable", "reference"]),
).map(lambda o: ("--format", o[0], "--lang", o[1], "--engine", o[2]))
# The terminal report of a big plan is the slow one; machine formats are favoured for mutated plans.
_FAST_OPTIONS = st.tuples(
    st.sampled_from(["json", "json", "sarif", "markdown", "terminal"]),
    st.sampled_from(["ja", "en"]),
    st.sampled_from(["durable", "reference"]),
).map(lambda o: ("--format", o[0], "--lang", o[1], "--engine", o[2]))

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["令和2年5月25日", "R2.5.25", "2020-02-30", "principal", "jukinet", "ward", "123456789018", ""]),
)
_KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=8))
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(_KEYS, children, max_size=6),
    ),
    max_leaves=30,
)


def _serialise(value: Any, fmt: str, flow: bool) -> tuple[bytes, str]:
    if fmt == "json":
        return json.dumps(value, ensure_ascii=flow, default=str).encode("utf-8"), ".json"
    text = yaml.safe_dump(value, allow_unicode=not flow, default_flow_style=flow, sort_keys=False)
    return text.encode("utf-8"), ".yaml"


@settings(FUZZ, max_examples=250)
@given(
    st.one_of(_DOCUMENTS, st.dictionaries(st.sampled_from(FIELDS), _DOCUMENTS, max_size=8)),
    st.sampled_from(["yaml", "json"]),
    st.booleans(),
    _OPTIONS,
)
def test_generated_documents(document: Any, fmt: str, flow: bool, options: tuple[str, ...]) -> None:
    data, suffix = _serialise(document, fmt, flow)
    invoke(data, suffix, *options)


# --- mutations of real plans -----------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        out.append((*prefix, key))
        out.extend(_paths(child, (*prefix, key)))
    return out


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


@st.composite
def mutated_trees(draw: st.DrawFn) -> tuple[Any, str]:
    base = draw(st.sampled_from(sorted(TREES)))
    tree = copy.deepcopy(TREES[base])
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(tree)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(tree, path[:-1])
        op = draw(st.sampled_from(["delete", "retype", "swap", "empty"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "retype":
            parent[path[-1]] = draw(_DOCUMENTS)
        elif op == "empty":
            value = parent[path[-1]]
            parent[path[-1]] = type(value)() if isinstance(value, (dict, list, str)) else None
        else:
            other = draw(st.sampled_from(paths))
            if other[: len(path)] == path or path[: len(other)] == other:
                continue  # one contains the other
            a, b = copy.deepcopy(parent[path[-1]]), copy.deepcopy(_get(tree, other))
            parent[path[-1]] = b
            _get(tree, other[:-1])[other[-1]] = a
    return tree, base


@settings(FUZZ, max_examples=150)
@given(mutated_trees(), st.sampled_from(["yaml", "json"]), _FAST_OPTIONS)
def test_mutated_plans(case: tuple[Any, str], fmt: str, options: tuple[str, ...]) -> None:
    tree, _ = case
    data, suffix = _serialise(tree, fmt, False)
    invoke(data, suffix, *options)


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    lines = BASES[draw(st.sampled_from(sorted(BASES)))].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "dedent", "indent", "insert"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        else:
            at = draw(st.integers(0, len(lines[i])))
            junk = draw(
                st.sampled_from(
                    [
                        "- ",
                        ": ",
                        "&a ",
                        "*a",
                        "!!set ",
                        "<<: ",
                        "{",
                        "]",
                        "'",
                        '"',
                        "#",
                        "\t",
                        "１２３４ ５６７８ ９０１８",
                    ]
                )
            )
            lines[i] = lines[i][:at] + junk + lines[i][at:]
    return "".join(lines)


@settings(FUZZ, max_examples=150)
@given(mutated_texts(), _FAST_OPTIONS)
def test_mutated_plan_texts(text: str, options: tuple[str, ...]) -> None:
    invoke(text.encode("utf-8"), ".yaml", *options)


# --- bytes -----------------------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(BASES["minimal"].encode(draw(st.sampled_from(["utf-8", "cp932", "utf-16"]))))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=4))
        elif op == "delete" and data:
            del data[i]
        elif op == "truncate":
            del data[i:]
    return bytes(data)


@settings(FUZZ, max_examples=200)
@given(st.one_of(st.binary(max_size=400), mutated_bytes()), st.sampled_from([".yaml", ".json", ".yml"]))
def test_raw_bytes(data: bytes, suffix: str) -> None:
    invoke(data, suffix, "--format", "json")


# --- a handful of real processes -------------------------------------------------------------------

SUBPROCESS_INPUTS = {
    "random-bytes.yaml": bytes(range(256)) * 3,
    "utf16-mutated.yaml": BASES["minimal"].encode("utf-16")[:-7] + b"\xff\xfe\x00",
    "mutated.yaml": BASES["minimal"].replace("role: delegate", "role: [delegate]").encode("utf-8"),
    "deep.json": b"[" * 3000 + b"]" * 3000,
    "leak.yaml": (BASES["minimal"] + "# 住民 1234-5678-9018\n").encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(SUBPROCESS_INPUTS))
def test_subprocess(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(SUBPROCESS_INPUTS[name])
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", str(path)],
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert time.monotonic() - start < 30
    assert "123456789018" not in proc.stdout + proc.stderr
