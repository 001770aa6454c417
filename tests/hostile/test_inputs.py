"""Inputs that are not files, too big, or hold what Python cannot print (issue #15, items 9, 11, 12).

9. A device (``/dev/zero``, ``/dev/urandom``) or FIFO given as any input is refused by name with exit 2
   (it used to be read until MemoryError, or waited on for ever), and reads are capped by the bytes
   actually read, not by ``st_size``. A FIFO planted as a cache entry is not waited on.
11. ``--max-bytes`` applies to every file the user gives, not only plans and waivers.
12. An integer of more than 4,300 digits (any YAML form, JSON, a document line) and a lone surrogate
    escape in JSON are located input errors (exit 2), not a ValueError or a crashed report format.

Devices are reached only through symlinks in ``tmp_path``, and FIFOs are made there. Every command
runs in a subprocess under an address-space limit and a timeout, so the behaviour being fixed (read
until memory runs out, or wait for ever) fails a test quickly instead of exhausting the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from hostile.bounded import run_bounded as run
from safeguard_check.errors import InputError
from safeguard_check.load.declaration import load_declaration, read_text
from safeguard_check.load.tree import MAX_INT_DIGITS, read_tree

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "data" / "minimal.yaml"

posix_only = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="devices and FIFOs need a POSIX system"
)


def _refused(proc: subprocess.CompletedProcess[str], message: str, name: str) -> None:
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert message in proc.stderr, proc.stderr[-2000:]
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def _copy_dir(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


# --- 9: devices and FIFOs ---------------------------------------------------------------------------

INPUT_KINDS = ["plan", "document", "pdf", "waivers", "baseline", "profile", "rules", "baselines"]


def _args_for(kind: str, tmp_path: Path, target: Path) -> tuple[list[str], str]:
    """(command line, name that must be reported) for an input of ``kind`` that is ``target``."""
    suffix = {"document": ".txt", "pdf": ".pdf", "baseline": ".json"}.get(kind, ".yaml")
    link = tmp_path / f"input-{kind}{suffix}"
    if kind in ("rules", "baselines"):
        directory = _copy_dir(REPO / kind, tmp_path / kind)
        link = directory / f"zz-extra{suffix}"
    if target.is_fifo() and target.parent == tmp_path:
        target.rename(link)
    else:
        link.symlink_to(target)
    plan = str(MINIMAL)
    args = {
        "plan": [str(link)],
        "document": [str(link)],
        "pdf": [str(link)],
        "waivers": [plan, "--waivers", str(link)],
        "baseline": [plan, "--baseline", str(link)],
        "profile": [plan, "--profile", str(link)],
        "rules": [plan, "--rules", str(link.parent)],
        "baselines": [plan, "--baselines", str(link.parent)],
    }[kind]
    return ["check", *args], link.name


@posix_only
@pytest.mark.parametrize("kind", INPUT_KINDS)
def test_a_symlink_to_dev_zero_is_refused_by_name(kind: str, tmp_path: Path) -> None:
    args, name = _args_for(kind, tmp_path, Path("/dev/zero"))
    _refused(run(*args, cwd=tmp_path), "not a regular file", name)


@posix_only
@pytest.mark.parametrize("kind", ["plan", "pdf"])
def test_a_symlink_to_dev_urandom_is_refused_by_name(kind: str, tmp_path: Path) -> None:
    args, name = _args_for(kind, tmp_path, Path("/dev/urandom"))
    _refused(run(*args, cwd=tmp_path), "not a regular file", name)


@posix_only
@pytest.mark.parametrize("kind", ["plan", "document", "waivers", "baseline", "rules"])
def test_a_fifo_is_refused_not_waited_on(kind: str, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    args, name = _args_for(kind, tmp_path, fifo)
    # Nobody ever writes to the FIFO: before the fix the command waited for ever (the timeout fails it).
    _refused(run(*args, cwd=tmp_path, timeout=30), "not a regular file", name)


@posix_only
def test_a_fifo_as_cache_entry_is_not_waited_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from safeguard_check.load import catalog, catalog_cache

    monkeypatch.setenv(catalog_cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(catalog_cache.NO_CACHE_ENV, raising=False)
    dirs: dict[catalog_cache.Kind, Path] = {
        "baselines": catalog.bundled_dir("baselines"),
        "rules": catalog.bundled_dir("rules"),
    }
    sources = catalog._read_sources(dirs)
    assert sources is not None
    key = catalog_cache.cache_key(sources)
    assert key is not None
    entry = catalog_cache._entry_path(tmp_path, key)
    os.mkfifo(entry)
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(catalog_cache.lookup(key)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    hung = worker.is_alive()
    if hung:
        # Release the blocked open (a writer appears) so the thread ends; then fail.
        fd = os.open(entry, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(timeout=5)
    assert not hung, "opening the cache entry waited for a writer"
    assert found == [None]


def test_reads_are_capped_by_bytes_read_not_by_reported_size() -> None:
    # /proc files are regular files whose st_size is 0 whatever they hold: the size check alone lets
    # them through, so only counting the bytes read enforces the limit.
    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    with pytest.raises(InputError) as info:
        read_text(status, 64)
    assert [i.key for i in info.value.issues] == ["io.too_large_read"]
    assert info.value.issues[0].file == str(status)


# --- 11: --max-bytes applies to every user file ----------------------------------------------------

_LIMIT = 1500  # above minimal.yaml (1,268 bytes), below every padded input and every bundled rules file
_PADDING = "# " + "x" * 100 + "\n"


def _big_input(kind: str, tmp_path: Path) -> tuple[list[str], str]:
    plan = str(MINIMAL)
    if kind == "document":
        path = tmp_path / "document.txt"
        path.write_text(
            "個人番号カード関連事務の委託について\n" + "委任先　地方公共団体情報システム機構\n" * 60, encoding="utf-8"
        )
        return ["check", str(path)], path.name
    if kind == "baseline":
        path = tmp_path / "baseline.json"
        data = {"schema_version": 1, "kind": "safeguard-check-baseline", "findings": []}
        path.write_text(json.dumps(data) + " " * 2000 + "\n", encoding="utf-8")
        return ["check", plan, "--baseline", str(path)], path.name
    if kind == "profile":
        path = tmp_path / "profile.yaml"
        path.write_text(_PADDING * 20 + (REPO / "rules" / "profiles" / "standard.yaml").read_text(encoding="utf-8"))
        return ["check", plan, "--profile", str(path)], path.name
    directory = _copy_dir(REPO / "rules", tmp_path / "rules")
    return ["check", plan, "--rules", str(directory)], "rules"


@pytest.mark.parametrize("kind", ["document", "baseline", "profile", "rules"])
def test_max_bytes_applies_to_every_user_file(kind: str, tmp_path: Path) -> None:
    args, name = _big_input(kind, tmp_path)
    proc = run(*args, "--max-bytes", str(_LIMIT), cwd=tmp_path)
    _refused(proc, "file too large", name)
    assert f"limit {_LIMIT} bytes" in proc.stderr


def test_max_bytes_leaves_the_bundled_catalogue_alone(tmp_path: Path) -> None:
    # Only the user's files are bounded by --max-bytes: the tool's own rules are larger than this.
    proc = run("check", str(MINIMAL), "--max-bytes", str(_LIMIT), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]


# --- 12: numbers Python cannot print, strings no encoding can write -----------------------------------

_HUGE = {
    "decimal": "9" * (MAX_INT_DIGITS + 1),
    "negative": "-" + "1" * (MAX_INT_DIGITS + 1),
    "hex": "0x" + "f" * 3600,  # 4,335 decimal digits
    "octal": "0" + "7" * 4800,
    "binary": "0b" + "1" * 14_400,
    "sexagesimal": "1" + ":59" * 2500,  # 60**2500 has 4,446 digits
    "megabyte": "1" * 1_000_000,
}


@pytest.mark.parametrize("form", sorted(_HUGE))
def test_a_huge_yaml_integer_is_a_located_error(form: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL.read_text(encoding="utf-8").replace("count: 1000", f"count: {_HUGE[form]}"), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_declaration(plan)
    issue = info.value.issues[0]
    assert (issue.key, issue.line, issue.params["limit"]) == ("number.too_many_digits", 10, MAX_INT_DIGITS)


def test_integers_up_to_the_limit_are_read(tmp_path: Path) -> None:
    value, _ = read_tree(f"a: {'9' * MAX_INT_DIGITS}\nb: 0x{'f' * 100}\n", "x.yaml")
    assert value["a"] == 10**MAX_INT_DIGITS - 1 and value["b"] == 16**100 - 1
    value, _ = read_tree(f'{{"a": {"9" * MAX_INT_DIGITS}}}', "x.json", "json")
    assert value["a"] == 10**MAX_INT_DIGITS - 1


def _plan_json(tmp_path: Path, title: str = "t", count: str = "1000") -> Path:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["plan"]["title"] = "@TITLE@"
    data["plan"]["subjects"]["count"] = "@COUNT@"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    path = tmp_path / "plan.json"
    # ``title`` is written as JSON source (escapes and all), ``count`` as a bare number.
    path.write_text(text.replace('"@TITLE@"', f'"{title}"').replace('"@COUNT@"', count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_huge_json_integer_is_a_located_error(tmp_path: Path) -> None:
    plan = _plan_json(tmp_path, count="9" * 5000)
    proc = run("check", str(plan), cwd=tmp_path)
    _refused(proc, "integer too large", f"plan.json:{_line_of(plan, '99999')}:")


def _waivers_with(tmp_path: Path, field_text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        "  - id: W1\n"
        "    rule: SGC-TERMINAL-MFA\n"
        "    subject: ward-terminal\n"
        "    justification: 端末は施錠された部屋にある\n"
        "    approved_by: 課長\n"
        "    granted_on: 2020-04-01\n"
        "    expires: 2099-04-01\n"
        f"    {field_text}\n",
        encoding="utf-8",
    )
    return path


def test_a_huge_integer_in_waivers_baseline_rules_or_document_is_a_located_error(tmp_path: Path) -> None:
    huge = "9" * 5000
    waivers = _waivers_with(tmp_path, f"plan: {huge}")
    _refused(
        run("check", str(MINIMAL), "--waivers", str(waivers), cwd=tmp_path), "integer too large", "waivers.yaml:9:"
    )

    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"schema_version": 1,\n "kind": "safeguard-check-baseline",\n "findings": ' + huge + "}\n")
    _refused(
        run("check", str(MINIMAL), "--baseline", str(baseline), cwd=tmp_path), "integer too large", "baseline.json:3:"
    )

    rules = _copy_dir(REPO / "rules", tmp_path / "rules")
    (rules / "zz.yaml").write_text(f"schema_version: 1\nrules: {huge}\n", encoding="utf-8")
    _refused(run("check", str(MINIMAL), "--rules", str(rules), cwd=tmp_path), "integer too large", "zz.yaml:2:")

    document = tmp_path / "document.txt"
    document.write_text(
        "個人番号カード関連事務の委託について\n\n４ 対象者数 " + huge + "人\n\n委任先　地方公共団体情報システム機構\n",
        encoding="utf-8",
    )
    _refused(run("check", str(document), cwd=tmp_path), "run of digits too long", "document.txt:3:")


@pytest.mark.parametrize("fmt", ["terminal", "json", "sarif", "markdown", "html", "junit"])
def test_a_lone_surrogate_is_refused_before_any_format_sees_it(fmt: str, tmp_path: Path) -> None:
    plan = _plan_json(tmp_path, title="a\\ud800b")
    proc = subprocess.run(
        [sys.executable, "-m", "safeguard_check", "check", str(plan), "-f", fmt, "--lang", "en"],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        timeout=60,
    )
    stderr = proc.stderr.decode("utf-8")  # strict: no byte of invalid UTF-8 on either stream
    proc.stdout.decode("utf-8")
    assert proc.returncode == 2, stderr[-2000:]
    assert f"plan.json:{_line_of(plan, 'ud800')}:" in stderr
    assert "lone surrogate \\ud800" in stderr


def test_surrogate_pairs_and_escaped_backslashes_are_text() -> None:
    value, _ = read_tree('{"a": "\\ud83d\\ude00", "b": "\\\\ud800", "c": "\\u3042"}', "x.json", "json")
    assert value == {"a": "\U0001f600", "b": "\\ud800", "c": "あ"}
    for text, column in (('{"a": "x\\udc00"}', 9), ('{"a": "\\ud800\\ud800"}', 8), ('{"a": "\\\\\\ud800"}', 10)):
        with pytest.raises(InputError) as info:
            read_tree(text, "x.json", "json")
        issue = info.value.issues[0]
        assert (issue.key, issue.line, issue.column) == ("text.lone_surrogate", 1, column), text
