"""The catalogue cache returns exactly what the full load returns, or steps aside.

Every test points ``SAFEGUARD_CHECK_CACHE_DIR`` at its own temporary directory, so the real cache in the
home directory is never read or written.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import safeguard_check
from safeguard_check.errors import InputError
from safeguard_check.load import catalog as catalog_module
from safeguard_check.load import catalog_cache
from safeguard_check.load.catalog import Catalog, bundled_dir, load_catalog
from safeguard_check.load.catalog_cache import CACHE_DIR_ENV, MAX_ENTRIES, NO_CACHE_ENV, CachedCatalog


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return directory


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files the full load parsed (none on a cache hit)."""
    seen: list[str] = []
    real = catalog_module.read_tree

    def spy(text: str, file: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(Path(file).name)
        return real(text, file, *args, **kwargs)

    monkeypatch.setattr(catalog_module, "read_tree", spy)
    return seen


def _copy_catalog(root: Path) -> tuple[Path, Path]:
    baselines, rules = root / "baselines", root / "rules"
    shutil.copytree(bundled_dir("baselines"), baselines)
    shutil.copytree(bundled_dir("rules"), rules)
    return baselines, rules


def _uncached(monkeypatch: pytest.MonkeyPatch, *dirs: Path) -> Catalog:
    with monkeypatch.context() as m:
        m.setenv(NO_CACHE_ENV, "1")
        return load_catalog(*dirs)


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("catalog-*.json")) if directory.is_dir() else []


def _assert_same(got: Catalog, want: Catalog) -> None:
    assert list(got.instruments) == list(want.instruments)
    assert list(got.requirements) == list(want.requirements)
    assert {k: v.model_dump() for k, v in got.instruments.items()} == {
        k: v.model_dump() for k, v in want.instruments.items()
    }
    assert {k: v.model_dump() for k, v in got.requirements.items()} == {
        k: v.model_dump() for k, v in want.requirements.items()
    }
    assert [r.model_dump() for r in got.rules] == [r.model_dump() for r in want.rules]
    # The same fields count as "given in the file", so exclude_unset dumps agree too.
    assert [r.model_fields_set for r in got.rules] == [r.model_fields_set for r in want.rules]
    assert [r.model_dump(exclude_unset=True) for r in got.rules] == [
        r.model_dump(exclude_unset=True) for r in want.rules
    ]
    assert got.instrument_of == want.instrument_of
    assert list(got.where.items()) == list(want.where.items())
    assert got.digest == want.digest
    assert isinstance(got.rules, tuple)
    assert got == want


def test_hit_returns_the_catalog_of_the_full_load(
    cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _uncached(monkeypatch)
    assert not cache_dir.exists()
    parses.clear()

    first = load_catalog()
    assert parses, "the first load must parse"
    assert len(_entries(cache_dir)) == 1
    parses.clear()

    second = load_catalog()
    assert parses == [], "a hit must not parse any catalogue file"
    _assert_same(first, reference)
    _assert_same(second, reference)


def test_entry_is_plain_json_owned_by_the_user(cache_dir: Path) -> None:
    load_catalog()
    (entry,) = _entries(cache_dir)
    data = json.loads(entry.read_bytes())
    assert data["format"] == catalog_cache.CACHE_FORMAT
    assert entry.name == f"catalog-{data['key']}.json"
    assert {kind for kind, _, _ in data["where"].values()} == {"baselines", "rules"}
    if hasattr(os, "geteuid"):
        assert entry.stat().st_mode & 0o077 == 0


def test_a_copy_elsewhere_shares_the_entry_and_reports_its_own_paths(
    cache_dir: Path, parses: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dirs_a = _copy_catalog(tmp_path / "a")
    dirs_b = _copy_catalog(tmp_path / "b")
    load_catalog(*dirs_a)
    parses.clear()

    got = load_catalog(*dirs_b)
    assert parses == []
    assert len(_entries(cache_dir)) == 1
    _assert_same(got, _uncached(monkeypatch, *dirs_b))
    assert all(loc.file.startswith(str(tmp_path / "b")) for loc in got.where.values())


def test_one_changed_byte_in_a_rule_file_misses_and_is_picked_up(
    cache_dir: Path, parses: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baselines, rules = _copy_catalog(tmp_path)
    before = load_catalog(baselines, rules)
    leak = rules / "leak.yaml"
    data = leak.read_bytes()
    old = b"what appears to be"
    assert data.count(old) == 1
    leak.write_bytes(data.replace(old, b"what appeaRs to be"))
    parses.clear()

    after = load_catalog(baselines, rules)
    assert "leak.yaml" in parses
    assert after.digest != before.digest
    rule = next(r for r in after.rules if r.id == "SGC-LEAK-MYNUMBER")
    assert "appeaRs" in rule.title.en
    _assert_same(after, _uncached(monkeypatch, baselines, rules))
    assert len(_entries(cache_dir)) == 2

    parses.clear()
    _assert_same(load_catalog(baselines, rules), after)
    assert parses == []


def test_a_renamed_file_misses(
    cache_dir: Path, parses: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baselines, rules = _copy_catalog(tmp_path)
    load_catalog(baselines, rules)
    (rules / "leak.yaml").rename(rules / "zz-leak.yaml")
    parses.clear()

    got = load_catalog(baselines, rules)
    assert parses
    assert got.where["rule:SGC-LEAK-MYNUMBER"].file == str(rules / "zz-leak.yaml")
    _assert_same(got, _uncached(monkeypatch, baselines, rules))


def _valid_entry(cache_dir: Path) -> tuple[Path, bytes]:
    load_catalog()
    (entry,) = _entries(cache_dir)
    return entry, entry.read_bytes()


def _edit_json(raw: bytes, **changes: object) -> bytes:
    data = json.loads(raw)
    data.update(changes)
    return json.dumps(data, ensure_ascii=False).encode()


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda raw: b"\x00\xffnot json at all",
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "empty object": lambda raw: b"{}",
    "wrong key": lambda raw: _edit_json(raw, key="0" * 64),
    "future format": lambda raw: _edit_json(raw, format=catalog_cache.CACHE_FORMAT + 1),
    "unknown field": lambda raw: _edit_json(raw, written_by="safeguard-check 9.0"),
    "invalid rule": lambda raw: _edit_json(raw, rules=[{"id": "lower-case"}]),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_a_corrupt_entry_falls_back_and_is_replaced(
    case: str, cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry, good = _valid_entry(cache_dir)
    entry.write_bytes(CORRUPTIONS[case](good))
    parses.clear()

    got = load_catalog()
    assert parses, "a corrupt entry must not be used"
    _assert_same(got, _uncached(monkeypatch))
    assert entry.read_bytes() == good
    parses.clear()
    load_catalog()
    assert parses == []


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX ownership and modes")
def test_an_entry_others_can_write_is_ignored_and_replaced(cache_dir: Path, parses: list[str]) -> None:
    entry, good = _valid_entry(cache_dir)
    entry.chmod(0o666)
    parses.clear()
    load_catalog()
    assert parses
    assert entry.stat().st_mode & 0o777 == 0o600
    assert entry.read_bytes() == good


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_symlink_in_place_of_an_entry_is_not_followed(cache_dir: Path, parses: list[str], tmp_path: Path) -> None:
    entry, good = _valid_entry(cache_dir)
    elsewhere = tmp_path / "planted.json"
    elsewhere.write_bytes(good)
    entry.unlink()
    entry.symlink_to(elsewhere)
    parses.clear()
    load_catalog()
    assert parses
    assert not entry.is_symlink()
    assert elsewhere.read_bytes() == good


def test_an_unusable_cache_directory_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Running as root ignores permission bits, so the directory is made impossible instead: its parent
    # is a regular file.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    reference = _uncached(monkeypatch)
    _assert_same(load_catalog(), reference)
    _assert_same(load_catalog(), reference)
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("failing", ["os.replace", "os.open"])
def test_a_failed_write_leaves_nothing_behind(failing: str, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = _uncached(monkeypatch)

    name = failing.split(".")[1]
    real = getattr(os, name)

    def disk_full(*args: object, **kwargs: object) -> object:
        # Only in the cache: the catalogue files themselves are read with os.open too.
        if str(args[0]).startswith(str(cache_dir)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    cache_dir.mkdir()
    with monkeypatch.context() as m:
        m.setattr(catalog_cache.os, name, disk_full)
        _assert_same(load_catalog(), reference)
    assert list(cache_dir.iterdir()) == []


def test_no_cache_turns_it_off(cache_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    load_catalog()
    assert not cache_dir.exists()

    monkeypatch.setenv(NO_CACHE_ENV, "0")
    load_catalog()
    assert len(_entries(cache_dir)) == 1

    monkeypatch.setenv(NO_CACHE_ENV, "1")
    parses.clear()
    load_catalog()
    assert parses, "a valid entry must not be read when the cache is off"


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (CACHE_DIR_ENV, NO_CACHE_ENV, "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert catalog_cache.cache_dir() == tmp_path / "home" / ".cache" / "safeguard-check"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert catalog_cache.cache_dir() == tmp_path / "home" / ".cache" / "safeguard-check"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert catalog_cache.cache_dir() == tmp_path / "xdg" / "safeguard-check"
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "explicit"))
    assert catalog_cache.cache_dir() == tmp_path / "explicit"
    monkeypatch.setenv(NO_CACHE_ENV, "yes")
    assert catalog_cache.cache_dir() is None


BAD_RULE = (
    "schema_version: 1\nrules:\n"
    "  - id: SGC-X\n    title: {ja: x, en: x}\n    implements: [BANGO-99]\n"
    "    subject: party\n    severity: high\n    message: {ja: m, en: m}\n"
    "    remediation: {ja: r, en: r}\n"
)


def _issues(exc: InputError) -> list[tuple[object, ...]]:
    return [(i.file, i.line, i.column, i.key, sorted(i.params.items())) for i in exc.issues]


def test_a_catalog_with_an_error_is_reported_as_before_and_never_cached(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baselines, rules = _copy_catalog(tmp_path)
    load_catalog(baselines, rules)
    assert len(_entries(cache_dir)) == 1
    (rules / "zz-bad.yaml").write_text(BAD_RULE, encoding="utf-8")

    with monkeypatch.context() as m:
        m.setenv(NO_CACHE_ENV, "1")
        with pytest.raises(InputError) as without_cache:
            load_catalog(baselines, rules)
    for _ in range(2):
        with pytest.raises(InputError) as with_cache:
            load_catalog(baselines, rules)
        assert _issues(with_cache.value) == _issues(without_cache.value)
    assert "catalog.unknown_requirement" in {i.key for i in with_cache.value.issues}
    assert len(_entries(cache_dir)) == 1


def test_a_missing_directory_is_reported_as_before(cache_dir: Path, tmp_path: Path) -> None:
    baselines, _ = _copy_catalog(tmp_path)
    with pytest.raises(InputError) as info:
        load_catalog(baselines, tmp_path / "no-rules")
    assert [i.key for i in info.value.issues] == ["io.not_found"]
    assert _entries(cache_dir) == []


def test_each_file_is_read_once_so_the_key_describes_what_was_parsed(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key is made of the bytes that were parsed (one read per file), so a file edited during the
    # load cannot leave an entry that describes other bytes than those it was built from.
    baselines, rules = _copy_catalog(tmp_path)
    real = catalog_module.read_input_bytes
    reads: list[str] = []

    def counting(path: Path, *args: Any, **kwargs: Any) -> bytes:
        reads.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(catalog_module, "read_input_bytes", counting)
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    load_catalog(baselines, rules)
    assert reads and len(reads) == len(set(reads))
    monkeypatch.delenv(NO_CACHE_ENV)
    reads.clear()
    load_catalog(baselines, rules)  # the cache's own read of every file, then the full load's
    assert _entries(cache_dir) and all(reads.count(path) == 2 for path in reads)


def test_the_key_covers_code_versions_and_names(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [catalog_cache.SourceFile("rules", "a.yaml", b"x: 1\n")]
    key = catalog_cache.cache_key(sources)
    assert key is not None
    assert catalog_cache.cache_key([catalog_cache.SourceFile("rules", "b.yaml", b"x: 1\n")]) != key
    assert catalog_cache.cache_key([catalog_cache.SourceFile("baselines", "a.yaml", b"x: 1\n")]) != key
    assert catalog_cache.cache_key([catalog_cache.SourceFile("rules", "a.yaml", b"x: 2\n")]) != key
    with monkeypatch.context() as m:
        m.setattr(safeguard_check, "__version__", "999.0")
        assert catalog_cache.cache_key(sources) != key
    with monkeypatch.context() as m:
        m.setattr(catalog_cache, "CACHE_FORMAT", catalog_cache.CACHE_FORMAT + 1)
        assert catalog_cache.cache_key(sources) != key
    with monkeypatch.context() as m:
        m.setattr(catalog_cache, "_code_fingerprint", lambda: b"edited validator")
        assert catalog_cache.cache_key(sources) != key
    assert catalog_cache.cache_key(sources) == key


def test_without_its_code_to_fingerprint_the_cache_stays_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_cache, "_code_fingerprint", lambda: None)
    _assert_same(load_catalog(), _uncached(monkeypatch))
    assert _entries(cache_dir) == []


def test_old_entries_are_pruned(cache_dir: Path) -> None:
    cache_dir.mkdir()
    now = time.time()
    fakes = []
    for index in range(MAX_ENTRIES + 3):
        fake = cache_dir / f"catalog-{index:064x}.json"
        fake.write_text("{}")
        os.utime(fake, (now - 1000 + index, now - 1000 + index))
        fakes.append(fake)
    stale_temp = cache_dir / ".catalog-1-dead.tmp"
    stale_temp.write_text("{")
    os.utime(stale_temp, (now - 2 * 3600, now - 2 * 3600))
    fresh_temp = cache_dir / ".catalog-2-busy.tmp"
    fresh_temp.write_text("{")

    load_catalog()
    remaining = _entries(cache_dir)
    assert len(remaining) == MAX_ENTRIES
    assert set(fakes[-(MAX_ENTRIES - 1) :]) <= set(remaining)
    assert not stale_temp.exists()
    assert fresh_temp.exists()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from safeguard_check.load import catalog_cache

    entry = catalog_cache.CachedCatalog.model_validate_json(Path(sys.argv[1]).read_bytes())
    for _ in range(int(sys.argv[2])):
        assert catalog_cache.store(entry)
    """
)


def test_concurrent_writers_never_leave_a_partial_entry(cache_dir: Path, tmp_path: Path) -> None:
    entry, good = _valid_entry(cache_dir)
    source = tmp_path / "entry.json"
    source.write_bytes(good)
    env = {**os.environ, CACHE_DIR_ENV: str(cache_dir)}
    env.pop(NO_CACHE_ENV, None)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(source), "150"], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        # os.replace swaps whole files: a reader sees one complete entry or the other, never a mix.
        assert entry.read_bytes() == good
        reads += 1
    for writer in writers:
        _, err = writer.communicate()
        assert writer.returncode == 0, err.decode()
    assert reads > 0
    assert entry.read_bytes() == good
    assert _entries(cache_dir) == [entry]
    assert [p for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []
    key = json.loads(good)["key"]
    assert catalog_cache.lookup(key) == CachedCatalog.model_validate_json(good)
