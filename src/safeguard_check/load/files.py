"""Read the bytes of a user's file without hanging or reading without end.

Every file a user names or points a directory at (declarations, council documents, waivers, baseline
files, custom rules and baselines, profiles) goes through :func:`read_input_bytes`:

* Only a regular file is read, judged on the *opened* file (``fstat``), so a symlink is followed and
  what it points to decides; a device (``/dev/zero``, ``/dev/urandom``), a FIFO or a socket is
  refused with ``io.not_regular``. Opening uses ``O_NONBLOCK`` where the system has it: opening a
  FIFO for reading would otherwise wait for a writer that never comes, before ``fstat`` could look.
* The limit is enforced on the bytes actually read, not on ``st_size``: a file that grows while it is
  read, or one whose size the system reports as 0 (``/proc`` files), is still cut off after
  ``max_bytes + 1`` bytes and refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from safeguard_check.errors import InputError, InputIssue

_FIRST_READ_MIN = 64 * 1024
_NEXT_READ = 1024 * 1024


def _issue(name: str, key: str, **params: object) -> InputError:
    return InputError([InputIssue(name, None, None, key, dict(params))])


def read_input_bytes(path: Path, max_bytes: int, *, name: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    :class:`InputError` (``io.not_found``, ``io.is_directory``, ``io.not_regular``, ``io.too_large``,
    ``io.too_large_read``, ``io.unreadable``) naming ``name`` (default: the path) on any failure.
    """
    label = name if name is not None else str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _issue(label, "io.not_found", path=label) from None
    except IsADirectoryError:
        raise _issue(label, "io.is_directory", path=label) from None
    except OSError as exc:
        raise _issue(label, "io.unreadable", path=label, detail=exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _issue(label, "io.is_directory", path=label)
        if not stat.S_ISREG(info.st_mode):
            raise _issue(label, "io.not_regular", path=label)
        if info.st_size > max_bytes:
            raise _issue(label, "io.too_large", size=info.st_size, limit=max_bytes)
        return _read_capped(fd, info.st_size, max_bytes, label)
    except OSError as exc:
        raise _issue(label, "io.unreadable", path=label, detail=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _read_capped(fd: int, size_hint: int, max_bytes: int, label: str) -> bytes:
    # One read of the reported size (plus one byte, to see the end) is the usual case; a file that
    # grows is read on in bounded chunks. Never ask for max_bytes at once: os.read allocates what it
    # is asked for, and --max-bytes may be large.
    want = max_bytes + 1
    parts: list[bytes] = []
    total = 0
    chunk = min(want, max(size_hint + 1, _FIRST_READ_MIN))
    while total < want:
        data = os.read(fd, min(chunk, want - total))
        if not data:
            break
        parts.append(data)
        total += len(data)
        chunk = _NEXT_READ
    if total > max_bytes:
        raise _issue(label, "io.too_large_read", limit=max_bytes)
    return b"".join(parts)
