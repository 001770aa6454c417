"""A cross-process cache of the validated catalogue, so a cold start does not parse 18 YAML files again.

What is stored is the *result* of :func:`safeguard_check.load.catalog.load_catalog` (instruments,
requirements, rules, where each is defined, digest) as JSON, never pickle: rules and baselines are data,
and a pickle in a user-writable directory would let whoever can write there run code. Entries are read
back through the same pydantic models (``model_validate_json``), so their content is validated again.

**Key.** sha256 over

* every catalogue file's kind (``baselines``/``rules``), name and exact bytes, in load order — the only
  per-run work on a hit is reading those bytes;
* :data:`CACHE_FORMAT` (bump it when the entry layout changes), the package version, and the versions
  of what turns bytes into values: Python (minor), its Unicode database (NFKC), PyYAML/libyaml,
  pydantic and pydantic-core;
* the bytes of our own code that shapes the result (``load/``, ``model/``, ``data/``): the package is
  routinely installed editable, where ``__version__`` does not move when a validator, the YAML reader
  or the vocabulary changes. Reading ~90 kB costs about 0.1 ms; a JSON Schema fingerprint of the models
  would cost several milliseconds and still miss changes in validators or in the reader.

Directory paths are *not* in the key: ``where`` is stored as (kind, file name, line) and rebuilt against
the directories being loaded, so a copy of the catalogue elsewhere (another checkout, a CI workspace)
shares the entry and still reports its own paths.

**Safety.** Any failure (no home, read-only or full disk, corrupt or foreign file, a newer format) means
"no entry" or "not written": the caller falls back to the full load, whose results and errors are the
only ones ever reported. Entries are written to a temporary file in the same directory and renamed
into place (readers see the old or the new file, never half of one). Only files owned by the current
user and writable by no one else are read, so a shared cache directory cannot be used to plant rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Literal

import pydantic
import pydantic_core
import yaml
from pydantic import BaseModel, ConfigDict

import safeguard_check
from safeguard_check.model.baseline import Instrument, Requirement
from safeguard_check.model.rule import Rule
from safeguard_check.model.weights import WeightsFile

CACHE_FORMAT = 2
"""Layout of an entry; bump when :class:`CachedCatalog` or the key's ingredients change meaning."""
CACHE_DIR_ENV = "SAFEGUARD_CHECK_CACHE_DIR"
"""Directory for cache entries; else ``$XDG_CACHE_HOME/safeguard-check``, else ``~/.cache/safeguard-check``."""
NO_CACHE_ENV = "SAFEGUARD_CHECK_NO_CACHE"
"""Any value but empty or ``0`` turns the cache off (nothing read, nothing written)."""
MAX_ENTRIES = 8
"""Entries kept; the least recently used beyond this are deleted when a new one is written."""

_PREFIX = "catalog-"
_SUFFIX = ".json"
_TEMP_PREFIX = ".catalog-"
_MAX_ENTRY_BYTES = 32 * 1024 * 1024
# A writer that died between creating and renaming its temporary file leaves it behind; younger ones may
# belong to a process writing right now.
_STALE_TEMP_SECONDS = 3600.0
# Package sub-directories whose code or data decides what a catalogue file loads to.
_CODE_DIRS = ("load", "model", "data")

Kind = Literal["baselines", "rules"]


@dataclass(frozen=True)
class SourceFile:
    """One catalogue file as read for this load: its kind, name within its directory, and bytes."""

    kind: Kind
    name: str
    data: bytes


class CachedCatalog(BaseModel):
    """One cache entry: a validated catalogue with ``where`` relative to its directories."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int
    key: str
    instruments: dict[str, Instrument]
    requirements: dict[str, Requirement]
    instrument_of: dict[str, str]
    rules: tuple[Rule, ...]
    where: dict[str, tuple[Kind, str, int | None]]
    digest: str
    weights: WeightsFile


def cache_dir() -> FsPath | None:
    """Where entries live, or ``None`` when the cache is turned off or no location can be found."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_DIR_ENV, "")
    if explicit:
        return FsPath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says relative values are invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return FsPath(xdg) / "safeguard-check"
    try:
        return FsPath.home() / ".cache" / "safeguard-check"
    except (RuntimeError, KeyError, OSError):
        return None


def _frame(digest: hashlib._Hash, data: bytes) -> None:
    # Length-prefixed, so that no two different sequences of parts hash the same bytes.
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes | None:
    package = FsPath(safeguard_check.__file__).parent
    digest = hashlib.sha256()
    try:
        for sub in _CODE_DIRS:
            for path in sorted((package / sub).iterdir()):
                if path.suffix in (".py", ".yaml") and path.is_file():
                    _frame(digest, f"{sub}/{path.name}".encode())
                    _frame(digest, path.read_bytes())
    except OSError:
        # Without the sources (a zip or bytecode-only install) a change of code could go unnoticed.
        return None
    return digest.digest()


def _environment() -> Iterable[bytes]:
    yield b"safeguard-check catalog cache"
    yield str(CACHE_FORMAT).encode()
    yield safeguard_check.__version__.encode()
    yield f"{sys.version_info[0]}.{sys.version_info[1]}".encode()
    yield unicodedata.unidata_version.encode()
    yield f"{yaml.__version__} libyaml={getattr(yaml, '__with_libyaml__', False)}".encode()
    yield pydantic.VERSION.encode()
    yield pydantic_core.__version__.encode()


def cache_key(sources: Sequence[SourceFile]) -> str | None:
    """The entry key for these exact files (and this code), or ``None`` when no safe key can be made."""
    code = _code_fingerprint()
    if code is None:
        return None
    digest = hashlib.sha256()
    for part in _environment():
        _frame(digest, part)
    _frame(digest, code)
    _frame(digest, str(len(sources)).encode())
    for source in sources:
        _frame(digest, source.kind.encode())
        _frame(digest, os.fsencode(source.name))
        _frame(digest, source.data)
    return digest.hexdigest()


def _entry_path(directory: FsPath, key: str) -> FsPath:
    return directory / f"{_PREFIX}{key}{_SUFFIX}"


def _open_nofollow(path: str, flags: int) -> int:
    # A symlink planted under the entry's name is refused instead of followed. O_NONBLOCK: a FIFO
    # planted there would otherwise block the open until someone writes to it (the run would hang);
    # opened at once, it is then refused as not a regular file.
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _read_entry(path: FsPath) -> bytes | None:
    with open(path, "rb", opener=_open_nofollow) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY_BYTES:
            return None
        # Checked on the open file, not the name, so the file cannot be swapped between check and read.
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
            return None
        # Sized by the file, not the limit: read(n) allocates n bytes up front.
        return handle.read(info.st_size + 1)


def lookup(key: str) -> CachedCatalog | None:
    """The entry stored under ``key``, validated again by the models; ``None`` on any problem."""
    directory = cache_dir()
    if directory is None:
        return None
    path = _entry_path(directory, key)
    # Deliberately broad: a cache must never turn into an error (corrupt JSON, a schema from another
    # version, permissions, a file the size of the disk); the caller then does the full load.
    try:
        raw = _read_entry(path)
        if raw is None:
            return None
        entry = CachedCatalog.model_validate_json(raw)
    except Exception:
        return None
    if entry.format != CACHE_FORMAT or entry.key != key:
        return None
    with contextlib.suppress(OSError):
        # Recently used entries survive pruning.
        os.utime(path)
    return entry


def store(entry: CachedCatalog) -> bool:
    """Write ``entry`` atomically and prune old entries; ``False`` (never an exception) when it fails."""
    directory = cache_dir()
    if directory is None:
        return False
    temp: str | None = None
    try:
        data = entry.model_dump_json(exclude_unset=True).encode()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = str(directory / f"{_TEMP_PREFIX}{os.getpid()}-{os.urandom(8).hex()}.tmp")
        # O_EXCL: a fresh file of our own, never someone else's file or symlink (tempfile costs ms to import).
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        temp = name
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # No fsync: after a crash a truncated entry is merely invalid, read as a miss and replaced.
        os.replace(temp, _entry_path(directory, entry.key))
        temp = None
    except Exception:
        return False
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    _prune(directory, keep=entry.key)
    return True


def _prune(directory: FsPath, keep: str) -> None:
    try:
        names = os.listdir(directory)
    except OSError:
        return
    now = time.time()
    entries: list[tuple[float, str]] = []
    for name in names:
        try:
            mtime = os.stat(directory / name, follow_symlinks=False).st_mtime
        except OSError:
            continue  # another process pruned it first
        if name.startswith(_PREFIX) and name.endswith(_SUFFIX):
            if name != f"{_PREFIX}{keep}{_SUFFIX}":
                entries.append((mtime, name))
        elif name.startswith(_TEMP_PREFIX) and name.endswith(".tmp") and now - mtime > _STALE_TEMP_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(directory / name)
    entries.sort()
    for _, name in entries[: max(0, len(entries) - (MAX_ENTRIES - 1))]:
        with contextlib.suppress(OSError):
            os.unlink(directory / name)
