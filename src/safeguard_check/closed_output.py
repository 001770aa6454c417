"""A reader that stops reading early (``check DIR --format sarif | head``) ends the run clearly.

Reports are written as they are made, so standard output can close while a batch is still being
written. click then exits with code 1 and says nothing, which a CI script cannot tell from "findings
at or above --fail-on". Instead the CLI says that the output was closed, in Japanese and English,
and exits with code 2 (the code of every other input or output problem); later writes, and the
interpreter's final flush, go nowhere instead of failing again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import IO, Any, NoReturn

from safeguard_check.messages import t

EXIT_OUTPUT_CLOSED = 2


def message() -> str:
    """The one-line message, Japanese then English."""
    return f"{t('output.closed', 'ja')} / {t('output.closed', 'en')}"


class OutputClosed(Exception):
    """Standard output was closed by its reader. Not an ``OSError``, so that click lets it through
    to ``cli.main`` (click would exit 1 on a broken pipe without a word)."""


class GuardedStdout:
    """Standard output whose writes turn a closed pipe into :class:`OutputClosed` (other attributes are
    the stream's own)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text``; a closed reader raises :class:`OutputClosed`."""
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            closed()

    def writelines(self, lines: Iterable[str]) -> None:
        """Write each piece in turn (pieces of a report are produced while it is written)."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush; a closed reader raises :class:`OutputClosed`."""
        try:
            self._stream.flush()
        except BrokenPipeError:
            closed()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def closed() -> NoReturn:
    """Send what is still to be written nowhere, and raise :class:`OutputClosed`."""
    silence()
    raise OutputClosed


def silence() -> None:
    """Point file descriptor 1 at the null device, so that pending and later writes cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
    finally:
        os.close(devnull)


def flushed() -> bool:
    """Flush standard output at the end of a run; False when its reader had already gone."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OutputClosed):
        silence()
        return False
    return True


def end_closed() -> NoReturn:
    """Say that the output was closed and end the process with exit code 2."""
    sys.stderr.write(f"{message()}\n")
    sys.exit(EXIT_OUTPUT_CLOSED)
