"""Outputs never destroy what the user owns (issue #15, items 1–3).

1. A character device or FIFO given as an output is written through, never replaced by a regular
   file; a FIFO nobody reads is refused (exit 2) rather than waited on; other non-regular targets
   are refused.
2. No output may be an input (plan, document, waivers, baseline, rules/baselines files), through
   symlinks and hard links, and no two outputs may be one file: exit 2, both named, nothing written.
3. ``FORMAT=-`` is standard output; an unknown format name before ``=`` is a usage error; a failed
   write in ``schema -o`` / ``init`` says it cannot *write*.

Device files are reached only through symlinks in ``tmp_path`` (``null.json -> /dev/null``): the
writer follows a link exactly as it takes ``/dev/null`` itself, and a regression then replaces the
link, never the system's device (run as root, the old code replaced ``/dev/null`` itself). Only
``/dev/null`` and ``/dev/full`` (which refuses every byte) are written to; FIFOs live in ``tmp_path``
with a reader thread.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cli_process import run_cli
from safeguard_check.errors import InputError
from safeguard_check.report.output import check_targets, parse_output, write_atomic

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "data" / "minimal.yaml"
DOCUMENT = (
    "個人番号カード関連事務の委託について\n\n"
    "委任先　地方公共団体情報システム機構\n\n"
    "暗号化した磁気ディスクで送付する。\n"
)

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev need a POSIX system")


run = run_cli


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    shutil.copy(MINIMAL, plan)
    return plan


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file() and not p.is_symlink()}


@contextmanager
def _fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A FIFO at ``path`` with a thread reading it to the end; the bytes land in the yielded list."""
    os.mkfifo(path)
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as handle:  # blocks until the writer opens, ends when it closes
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        if thread.is_alive():
            # The writer never came: open the write end once so the reader's open returns.
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        thread.join(timeout=10)


# --- 1. device files and FIFOs ---------------------------------------------------------------


@posix_only
@pytest.mark.parametrize(
    "args",
    [
        ("check", "plan.yaml", "--fail-on", "never", "-o", "json=null.json"),
        ("check", "plan.yaml", "--fail-on", "never", "--write-baseline", "null.json"),
        ("schema", "-o", "null.json"),
        ("ingest", "doc.txt", "-o", "null.json", "--force"),
    ],
    ids=["check-o", "write-baseline", "schema", "ingest-force"],
)
def test_dev_null_stays_a_character_device(tmp_path: Path, args: tuple[str, ...]) -> None:
    _plan(tmp_path)
    (tmp_path / "null.json").symlink_to("/dev/null")
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    before = os.stat("/dev/null")
    result = run(*args, cwd=tmp_path)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode), "the system's /dev/null was replaced"
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert (tmp_path / "null.json").is_symlink(), "the link to /dev/null was replaced by a regular file"
    assert result.returncode == 0, result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_dev_null_is_never_renamed_over_in_process(tmp_path: Path) -> None:
    """The writer itself, with a symlink to /dev/null: written through, the link and the device stay."""
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    link = tmp_path / "report.json"
    link.symlink_to("/dev/null")
    write_atomic(link, iter(["{", "}\n"]))
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


@posix_only
def test_a_fifo_output_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    _plan(tmp_path)
    fifo = tmp_path / "report.json"
    with _fifo_reader(fifo) as got:
        result = run("check", "plan.yaml", "--fail-on", "never", "-o", "json=report.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0].decode("utf-8"))["results"]


@posix_only
def test_a_fifo_baseline_and_schema_are_written_through(tmp_path: Path) -> None:
    _plan(tmp_path)
    fifo = tmp_path / "baseline.json"
    with _fifo_reader(fifo) as got:
        result = run("check", "plan.yaml", "--fail-on", "never", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0].decode("utf-8"))["kind"]
    schema_fifo = tmp_path / "schema.json"
    with _fifo_reader(schema_fifo) as got:
        result = run("schema", "-o", "schema.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(schema_fifo).st_mode)
    assert "properties" in json.loads(got[0].decode("utf-8"))


@posix_only
def test_a_fifo_nobody_reads_is_refused_not_waited_on(tmp_path: Path) -> None:
    _plan(tmp_path)
    os.mkfifo(tmp_path / "r.json")
    result = run("check", "plan.yaml", "--fail-on", "never", "-o", "json=r.json", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "FIFO" in result.stderr
        and "no process is reading"
        in run("check", "plan.yaml", "--lang", "en", "--fail-on", "never", "-o", "json=r.json", cwd=tmp_path).stderr
    )
    assert stat.S_ISFIFO(os.stat(tmp_path / "r.json").st_mode)


@posix_only
def test_dev_full_is_a_write_error_not_a_replaced_device(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    _plan(tmp_path)
    (tmp_path / "full.json").symlink_to("/dev/full")
    result = run("check", "plan.yaml", "--lang", "en", "--fail-on", "never", "-o", "json=full.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot write report file full.json (No space left on device)" in result.stderr
    assert (tmp_path / "full.json").is_symlink()
    assert "Traceback" not in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_directory_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out.json").mkdir()
    with pytest.raises(InputError) as caught:
        write_atomic(tmp_path / "out.json", "{}\n")
    assert caught.value.issues[0].key == "output.not_regular"
    assert (tmp_path / "out.json").is_dir()


# --- 2. outputs that are inputs, outputs that share a file ---------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "markdown=plan.yaml"),
        ("--write-baseline", "plan.yaml"),
        ("-o", "json=waivers.yaml", "--waivers", "waivers.yaml"),
        ("-o", "json=known.json", "--baseline", "known.json"),
        ("--write-baseline", "known.json", "--baseline", "known.json"),
        ("-o", "json=link.json"),  # a symlink to the plan
        ("-o", "json=hard.json"),  # a hard link to the plan
        ("-o", "json=rules/profiles/law.yaml", "--rules", "rules"),
    ],
    ids=["o-plan", "baseline-plan", "o-waivers", "o-baseline", "write-over-baseline", "symlink", "hardlink", "rules"],
)
def test_an_output_that_is_an_input_is_refused_and_nothing_is_written(tmp_path: Path, args: tuple[str, ...]) -> None:
    _plan(tmp_path)
    (tmp_path / "waivers.yaml").write_text("schema_version: 1\nwaivers: []\n", encoding="utf-8")
    first = run("check", "plan.yaml", "--fail-on", "never", "--write-baseline", "known.json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (tmp_path / "link.json").symlink_to("plan.yaml")
    os.link(tmp_path / "plan.yaml", tmp_path / "hard.json")
    if "--rules" in args:
        shutil.copytree(REPO / "rules", tmp_path / "rules")
    profile = tmp_path / "rules" / "profiles" / "law.yaml"
    before = _snapshot(tmp_path) | ({"profile": profile.read_bytes()} if "--rules" in args else {})
    result = run("check", "plan.yaml", "--lang", "en", "--fail-on", "never", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "is the input file" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    after = _snapshot(tmp_path) | ({"profile": profile.read_bytes()} if "--rules" in args else {})
    assert after == before
    assert (tmp_path / "link.json").is_symlink()


def test_a_document_is_never_overwritten_by_check_or_ingest(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "alias.yaml").symlink_to("doc.txt")
    for args in (
        ("check", "doc.txt", "--fail-on", "never", "-o", "markdown=doc.txt"),
        ("ingest", "doc.txt", "-o", "alias.yaml", "--force"),
        ("ingest", "doc.txt", "-o", "doc.txt", "--force"),
    ):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "入力ファイル" in result.stderr, args
        assert doc.read_text(encoding="utf-8") == DOCUMENT, args


def test_two_outputs_in_one_file_are_refused_naming_both(tmp_path: Path) -> None:
    _plan(tmp_path)
    (tmp_path / "same.json").symlink_to("r.json")
    for args, named in (
        (("-o", "json=r.json", "-o", "sarif=r.json"), ("-o json=r.json", "-o sarif=r.json")),
        (("-o", "json=r.json", "--write-baseline", "same.json"), ("-o json=r.json", "--write-baseline")),
        (("-o", "json=-", "-o", "markdown=-"), ("-o json=-", "-o markdown=-")),
        (("-f", "json", "-o", "sarif=-"), ("--format json", "-o sarif=-")),
    ):
        result = run("check", "plan.yaml", "--lang", "en", "--fail-on", "never", *args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "name the same file" in result.stderr, args
        assert all(label in result.stderr for label in named), (args, result.stderr)
        assert not (tmp_path / "r.json").exists(), args


def test_check_targets_compares_files_not_spellings(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    (tmp_path / "sub").mkdir()
    check_targets([("-o a", tmp_path / "a.json"), ("-o b", tmp_path / "b.json")], [plan])  # distinct: fine
    with pytest.raises(InputError) as caught:
        check_targets([("-o x", tmp_path / "sub" / ".." / "plan.yaml")], [plan])
    assert caught.value.issues[0].key == "output.is_input"
    with pytest.raises(InputError) as caught:
        check_targets([("-o a", tmp_path / "new.json"), ("-o b", tmp_path / "sub" / ".." / "new.json")], [plan])
    assert caught.value.issues[0].key == "output.shared"


# --- 3. "-", format names, write errors --------------------------------------------------------


def test_json_dash_is_standard_output_not_a_file(tmp_path: Path) -> None:
    _plan(tmp_path)
    result = run("check", "plan.yaml", "--fail-on", "never", "-o", "json=-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "-").exists()
    assert json.loads(result.stdout)["results"]  # stdout holds only the JSON: the terminal report went to stderr
    assert "plan.yaml" in result.stderr


def test_ingest_dash_is_standard_output(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    result = run("ingest", "doc.txt", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "-").exists()
    assert "parties" in result.stdout


def test_an_unknown_format_name_is_a_usage_error_listing_the_formats(tmp_path: Path) -> None:
    _plan(tmp_path)
    result = run("check", "plan.yaml", "--lang", "en", "-o", "md=r.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown output format 'md'" in result.stderr
    assert "json, sarif, junit, markdown, html" in result.stderr
    assert "出力形式「md」はありません" in run("check", "plan.yaml", "-o", "md=r.md", cwd=tmp_path).stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]
    with pytest.raises(InputError) as caught:
        parse_output("md=r.md")
    assert caught.value.issues[0].key == "output.unknown_format_name"
    assert parse_output("json=a=b.json").path == Path("a=b.json")  # a path with "=" after a format name


@pytest.mark.parametrize("command", [("schema", "-o"), ("init",)], ids=["schema", "init"])
def test_a_write_failure_says_cannot_write(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run(*command, "missing-dir/out.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot write file" in result.stderr and "ファイルを書き込めません" in result.stderr
    assert "cannot read" not in result.stderr and "Traceback" not in result.stderr


@posix_only
def test_init_never_replaces_an_existing_device_or_fifo(tmp_path: Path) -> None:
    (tmp_path / "null.yaml").symlink_to("/dev/null")
    os.mkfifo(tmp_path / "fifo.yaml")
    for name in ("null.yaml", "fifo.yaml"):
        result = run("init", name, "--lang", "en", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "already exists" in result.stderr
    assert (tmp_path / "null.yaml").is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo.yaml").st_mode)


@posix_only
def test_dev_stdout_redirected_to_a_file_gets_the_report_in_that_file(tmp_path: Path) -> None:
    """``-o json=/dev/stdout > out``: the JSON goes into ``out`` through the open stream (the file is not
    renamed over, so the shell's redirection stays valid) and the terminal report moves to stderr.
    Reached through a link in tmp_path: a regression then replaces the link, not ``/dev/stdout``."""
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout")
    _plan(tmp_path)
    (tmp_path / "stdout.json").symlink_to("/dev/stdout")
    out = tmp_path / "out.txt"
    with out.open("wb") as sink:
        inode = os.fstat(sink.fileno()).st_ino
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "safeguard_check",
                "check",
                "plan.yaml",
                "--fail-on",
                "never",
                "-o",
                "json=stdout.json",
            ],
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1"},
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert os.stat(out).st_ino == inode and (tmp_path / "stdout.json").is_symlink()
    assert json.loads(out.read_text(encoding="utf-8"))["results"]
    assert "plan.yaml" in done.stderr
    both = run("check", "plan.yaml", "--lang", "en", "-f", "json", "-o", "sarif=stdout.json", cwd=tmp_path)
    assert both.returncode == 2 and "name the same file" in both.stderr
