"""Where reports go: parsing ``--output`` specs, guarding output paths, and writing them.

A report file is written to a temporary file in the same directory and renamed over the target, so
a failed or interrupted run never leaves half a report and an existing report stays untouched.

Targets that are not regular files are never renamed over (that would replace ``/dev/null`` with a
regular file, as root even the system's): a character device (``/dev/null``, ``/dev/stdout``, a
terminal) or a FIFO is written through, as ``tee`` or a shell redirection would; anything else
(a directory, a socket, a block device) is refused. A FIFO that no process reads is refused at once
rather than waited on. ``-`` names standard output.

No output may be one of the run's inputs, and no two outputs may be the same file
(:func:`check_targets`): files are compared by device and inode when they exist (symlinks and hard
links included) and by their resolved path when they do not.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.report.format_names import BY_SUFFIX, DIRECTORIES, SUFFIXES

STDOUT_FORMATS = ("terminal", *(name for name in SUFFIXES if name not in DIRECTORIES))
STDOUT = "-"
_BY_SUFFIX = BY_SUFFIX


@dataclass(frozen=True)
class OutputSpec:
    """One requested report: a file, or standard output when ``path`` is ``-``."""

    fmt: str
    path: Path

    @property
    def to_stdout(self) -> bool:
        """Whether this report goes to standard output: ``FORMAT=-``, or a path that is the file standard
        output already writes to (``/dev/stdout``, even when the shell redirected it to a file)."""
        return is_stdout(self.path) or _identity(self.path) == _identity(Path(STDOUT))


def is_stdout(path: Path) -> bool:
    """``-`` means standard output, as for most command-line tools."""
    return str(path) == STDOUT


def parse_output(spec: str) -> OutputSpec:
    """``sarif=out.sarif``, ``json=-`` (standard output) or ``out.sarif`` (format from the extension).

    Text before the first ``=`` is always a format name: an unknown one (``md=r.md``) is an error
    listing the known names, never part of a file name (a path containing ``=`` is written
    ``json=a=b.json``).
    """
    name, sep, rest = spec.partition("=")
    formats = ", ".join(SUFFIXES)
    if sep:
        if name not in SUFFIXES:
            raise InputError(
                [
                    InputIssue(
                        spec, None, None, "output.unknown_format_name", {"spec": spec, "name": name, "formats": formats}
                    )
                ]
            )
        path = Path(rest)
        fmt = name
        if not rest:
            raise InputError([InputIssue(spec, None, None, "output.no_path", {"spec": spec})])
    else:
        path = Path(spec)
        guessed = _BY_SUFFIX.get(path.suffix.lower())
        if guessed is None:
            raise InputError(
                [InputIssue(spec, None, None, "output.unknown_format", {"spec": spec, "formats": formats})]
            )
        fmt = guessed
    if is_stdout(path):
        return OutputSpec(fmt, path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError([InputIssue(str(path), None, None, "output.no_directory", {"dir": str(parent)})])
    return OutputSpec(fmt, path)


def _identity(path: Path) -> tuple[object, ...]:
    """What makes two paths the same file: device and inode if it exists, else the resolved path."""
    if is_stdout(path):
        try:
            info = os.fstat(1)
        except OSError:
            return ("stdout",)
        return ("inode", info.st_dev, info.st_ino)
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return ("path", os.path.realpath(path))
    return ("inode", info.st_dev, info.st_ino)


def check_targets(outputs: Sequence[tuple[str, Path]], inputs: Iterable[Path]) -> None:
    """Refuse outputs that are an input or that share a file: :class:`InputError`, nothing written.

    ``outputs`` pairs how the user named each output (``-o json=r.json``, ``--write-baseline``) with
    its path; ``inputs`` are every file the run reads (plans, documents, waivers, baselines, rules).
    """
    issues: list[InputIssue] = []
    seen: dict[tuple[object, ...], str] = {}
    for label, path in outputs:
        key = _identity(path)
        if key in seen:
            issues.append(InputIssue(str(path), None, None, "output.shared", {"first": seen[key], "second": label}))
        else:
            seen[key] = label
    by_identity = {key: label for key, label in seen.items() if key[0] != "stdout"}
    # Standard output redirected onto an input (`> plan.yaml`) is refused like any other output.
    if by_identity:
        for source in inputs:
            named = by_identity.get(_identity(source))
            if named is not None:
                issues.append(
                    InputIssue(str(source), None, None, "output.is_input", {"output": named, "input": str(source)})
                )
    if issues:
        raise InputError(issues)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fail(path: Path, key: str, exc: OSError) -> InputError:
    return InputError([InputIssue(str(path), None, None, key, {"path": str(path), "detail": exc.strerror or str(exc)})])


def write_output(path: Path, text: str | Iterable[str], *, error_key: str = "output.unwritable") -> None:
    """Write a report to ``path``, or to standard output when ``path`` is ``-`` or the file standard output
    already writes to (``/dev/stdout`` redirected to a file is then written, not renamed over)."""
    if is_stdout(path) or _identity(path) == _identity(Path(STDOUT)):
        if isinstance(text, str):
            sys.stdout.write(text)
        else:
            sys.stdout.writelines(text)
        sys.stdout.flush()
        return
    write_atomic(path, text, error_key=error_key)


def write_atomic(
    path: Path, text: str | Iterable[str], *, error_key: str = "output.unwritable", fsync: bool = False
) -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` via a temporary file in the same directory
    and a rename; through to a character device or FIFO; :class:`InputError` (``error_key``, or
    ``output.not_regular`` / ``output.no_reader``) when that cannot be done."""
    try:
        info: os.stat_result | None = os.stat(path)  # follows symlinks: /dev/stdout → the real stream
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _fail(path, error_key, exc) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            _write_through(path, text, error_key)
            return
        raise InputError([InputIssue(str(path), None, None, "output.not_regular", {"path": str(path)})])
    if path.is_symlink():
        # Rename over the file the link names, not over the link: the user's link stays a link.
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        import tempfile  # only when a report is written to a file: its imports cost ≈ 6 ms at start

        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _fail(path, error_key, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp creates the file private (0600); a report gets the mode a plain write would give.
        os.chmod(tmp, info.st_mode & 0o777 if info is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _fail(path, error_key, exc) from None
    except BaseException:
        # Pieces are produced while writing: a failure there (or Ctrl-C) must not leave the temporary
        # file beside the user's report.
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_through(path: Path, text: str | Iterable[str], error_key: str) -> None:
    """Write into an existing character device or FIFO without creating, truncating or renaming."""
    # O_NONBLOCK on open only: a FIFO with no reader then fails with ENXIO instead of hanging.
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise InputError([InputIssue(str(path), None, None, "output.no_reader", {"path": str(path)})]) from None
        raise _fail(path, error_key, exc) from None
    try:
        os.set_blocking(fd, True)  # writes then wait for a slow reader rather than fail with EAGAIN
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
    except OSError as exc:
        raise _fail(path, error_key, exc) from None
