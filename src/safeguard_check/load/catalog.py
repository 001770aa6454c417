"""Load the legal baselines and the rules (both data) and check they fit together.

The bundled copies ship inside the wheel (``safeguard_check/_bundled``); in a source checkout the
top-level ``baselines/`` and ``rules/`` folders are used. A custom directory can be given for either
(legal staff trying a change). Every file is read with the same safe, position-keeping reader as
declarations, so a mistake in a catalogue is reported with its file and line.

A successful load is kept in a cross-process cache (:mod:`safeguard_check.load.catalog_cache`) keyed on
the exact bytes of every file; a later run that finds the same bytes only reads them and skips parsing,
validation and cross-checks.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from safeguard_check.data.vocabulary import suggest, vocabulary
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load import catalog_cache
from safeguard_check.load.catalog_cache import CachedCatalog, Kind, SourceFile
from safeguard_check.load.declaration import DEFAULT_MAX_BYTES, max_bytes_limit
from safeguard_check.load.encoding import DecodeError, decode_bytes
from safeguard_check.load.files import read_input_bytes
from safeguard_check.load.tree import SourceMap, read_tree
from safeguard_check.model.baseline import BaselineFile, BasisKind, Instrument, Requirement
from safeguard_check.model.rule import DOCUMENT_CONTENTS, LEGAL_STATUSES, Rule, RuleFile
from safeguard_check.model.weights import WeightsFile
from safeguard_check.validate.schema_errors import validation_issues

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Located:
    """Where a catalogue entry is defined."""

    file: str
    line: int | None


@dataclass(frozen=True)
class Catalog:
    """All instruments, requirements and rules, cross-checked."""

    instruments: dict[str, Instrument]
    requirements: dict[str, Requirement]
    instrument_of: dict[str, str]
    rules: tuple[Rule, ...]
    where: dict[str, Located] = field(default_factory=dict)
    digest: str = ""
    weights: WeightsFile | None = None
    """Severity caps (``baselines/weights.yaml``); ``None`` only for catalogues built by hand in tests."""

    def citation_label(self, requirement_id: str, lang: str) -> str:
        """e.g. 番号法第10条第1項 / My Number Act, art. 10(1)."""
        return self.requirements[requirement_id].citation.label.get(lang)

    def basis_kind(self, requirement_id: str) -> BasisKind:
        """The requirement's basis kind: its own override, else its instrument's."""
        req = self.requirements[requirement_id]
        return req.basis_kind or self.instruments[self.instrument_of[requirement_id]].basis


def bundled_dir(name: str) -> FsPath:
    """The bundled ``baselines`` or ``rules`` directory (wheel first, then source checkout)."""
    packaged = FsPath(__file__).resolve().parents[1] / "_bundled" / name  # installed as files, never zipped
    if packaged.is_dir():
        return packaged
    return FsPath(__file__).resolve().parents[3] / name


@lru_cache(maxsize=1)
def _bundled_dirs() -> tuple[FsPath, ...]:
    return (bundled_dir("baselines").resolve(), bundled_dir("rules").resolve())


def _limit(path: FsPath) -> int:
    """The size limit for a catalogue file: the user's (``--max-bytes``) unless the tool ships it."""
    if path.parent.resolve() in _bundled_dirs():
        return DEFAULT_MAX_BYTES
    return max_bytes_limit(str(path))


def _load_file(path: FsPath, model: type[M]) -> tuple[M, SourceMap, bytes]:
    # One read gives both the text parsed and the bytes the digest and the cache key are made of.
    raw = read_input_bytes(path, _limit(path))
    try:
        text = decode_bytes(raw).text
    except DecodeError as exc:
        raise InputError([InputIssue(str(path), exc.line, exc.column, exc.key, {"detail": exc.detail})]) from None
    tree, smap = read_tree(text, str(path), "yaml")
    try:
        return model.model_validate(tree), smap, raw
    except ValidationError as exc:
        raise InputError(validation_issues(exc, tree, smap, model)) from None


WEIGHTS_FILE = "weights.yaml"
"""The severity-cap table inside a baselines directory (not a baseline file itself)."""


def _files(directory: FsPath, kind: Kind = "rules") -> list[FsPath]:
    if not directory.is_dir():
        raise InputError([InputIssue(str(directory), None, None, "io.not_found", {"path": str(directory)})])
    return sorted(
        p
        for p in directory.iterdir()
        # Not only regular files: a device, FIFO or dangling symlink named like a catalogue file is
        # meant as one, and the reader refuses it by name instead of leaving its rules out unseen.
        if p.suffix in (".yaml", ".yml") and not p.is_dir() and not (kind == "baselines" and p.name == WEIGHTS_FILE)
    )


def weights_path(baselines_dir: FsPath) -> tuple[FsPath, str]:
    """The weights file a baselines directory uses, and its name in the cache key.

    A custom baselines directory without its own ``weights.yaml`` uses the bundled table (legal staff
    trying a change to one baseline need not copy it); the key then says so, so the two never share
    an entry with a directory that has its own table.
    """
    own = baselines_dir / WEIGHTS_FILE
    if os.path.lexists(own) and not own.is_dir():
        return own, WEIGHTS_FILE
    return bundled_dir("baselines") / WEIGHTS_FILE, f"bundled:{WEIGHTS_FILE}"


def _read_sources(dirs: dict[Kind, FsPath]) -> list[SourceFile] | None:
    sources: list[SourceFile] = []
    try:
        for kind, directory in dirs.items():
            paths = [(p, p.name) for p in _files(directory, kind)]
            if kind == "baselines":
                paths.append(weights_path(directory))
            for path, name in paths:
                # Bounded and regular files only, as the full load reads them (which then reports).
                sources.append(SourceFile(kind, name, read_input_bytes(path, _limit(path))))
    except (InputError, OSError):
        # The full load reports the problem exactly as it does without a cache.
        return None
    return sources


def _from_cache(dirs: dict[Kind, FsPath]) -> Catalog | None:
    sources = _read_sources(dirs)
    key = catalog_cache.cache_key(sources) if sources is not None else None
    entry = catalog_cache.lookup(key) if key is not None else None
    if entry is None:
        return None
    # The cross-checks are not run again: the key covers the exact bytes of every file they checked, the
    # vocabulary and the code that checked them, and an entry is only ever written after they passed.
    where = {ref: Located(str(dirs[kind] / name), line) for ref, (kind, name, line) in entry.where.items()}
    return Catalog(
        dict(entry.instruments),
        dict(entry.requirements),
        dict(entry.instrument_of),
        entry.rules,
        where,
        entry.digest,
        entry.weights,
    )


def _to_cache(catalog: Catalog, sources: list[SourceFile], dirs: dict[Kind, FsPath]) -> None:
    key = catalog_cache.cache_key(sources)
    if key is None:
        return
    # ``where`` is stored relative to its directory and rebuilt on a hit, so the key needs no paths.
    relative = {str(dirs[s.kind] / s.name): (s.kind, s.name) for s in sources}
    if catalog.weights is None:
        return
    where: dict[str, tuple[Kind, str, int | None]] = {}
    for ref, loc in catalog.where.items():
        if loc.file not in relative:
            return
        kind, name = relative[loc.file]
        where[ref] = (kind, name, loc.line)
    # Deliberately broad: the catalogue is already loaded and must be returned whatever the cache does.
    try:
        entry = CachedCatalog(
            format=catalog_cache.CACHE_FORMAT,
            key=key,
            instruments=catalog.instruments,
            requirements=catalog.requirements,
            instrument_of=catalog.instrument_of,
            rules=catalog.rules,
            where=where,
            digest=catalog.digest,
            weights=catalog.weights,
        )
    except Exception:
        return
    catalog_cache.store(entry)


def catalog_files(baselines_dir: FsPath | None = None, rules_dir: FsPath | None = None) -> list[FsPath]:
    """Every file under the baselines and rules directories (profiles included): inputs of a run,
    which no output may overwrite."""
    dirs = (baselines_dir or bundled_dir("baselines"), rules_dir or bundled_dir("rules"))
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*") if p.is_file())


def load_catalog(baselines_dir: FsPath | None = None, rules_dir: FsPath | None = None) -> Catalog:
    """Load and cross-check every baseline and rule file; :class:`InputError` on any problem.

    A catalogue already loaded from the same bytes (by any process) comes from the cache; errors are
    always found and reported by the full load, which never writes the cache when it fails.
    """
    baselines_dir = baselines_dir or bundled_dir("baselines")
    rules_dir = rules_dir or bundled_dir("rules")
    dirs: dict[Kind, FsPath] = {"baselines": baselines_dir, "rules": rules_dir}
    use_cache = catalog_cache.cache_dir() is not None
    if use_cache:
        cached = _from_cache(dirs)
        if cached is not None:
            return cached
    catalog, sources = _load(baselines_dir, rules_dir)
    if use_cache:
        _to_cache(catalog, sources, dirs)
    return catalog


def _load(baselines_dir: FsPath, rules_dir: FsPath) -> tuple[Catalog, list[SourceFile]]:
    """The full load; also the bytes it was built from."""
    # The bytes each file was parsed from (one read each), so the cache key describes what was loaded.
    sources: list[SourceFile] = []
    issues: list[InputIssue] = []
    instruments: dict[str, Instrument] = {}
    requirements: dict[str, Requirement] = {}
    instrument_of: dict[str, str] = {}
    where: dict[str, Located] = {}
    digest = hashlib.sha256()

    def located(smap: SourceMap, path: tuple[Any, ...]) -> Located:
        pos = smap.locate(path)
        return Located(smap.file, pos.line if pos else None)

    def issue(loc: Located, message_key: str, **params: object) -> InputIssue:
        return InputIssue(loc.file, loc.line, None, message_key, dict(params))

    for path in _files(baselines_dir, "baselines"):
        try:
            data, smap, raw = _load_file(path, BaselineFile)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        digest.update(raw)
        sources.append(SourceFile("baselines", path.name, raw))
        inst = data.instrument
        if inst.id in instruments:
            issues.append(issue(located(smap, ("instrument", "id")), "catalog.duplicate", ref=inst.id))
        instruments[inst.id] = inst
        for index, req in enumerate(data.requirements):
            loc = located(smap, ("requirements", index))
            if req.id in requirements:
                issues.append(issue(loc, "catalog.duplicate", ref=req.id))
            requirements[req.id] = req
            instrument_of[req.id] = inst.id
            where[req.id] = loc

    weights: WeightsFile | None = None
    weights_file, weights_name = weights_path(baselines_dir)
    try:
        weights, _, raw = _load_file(weights_file, WeightsFile)
    except InputError as exc:
        issues.extend(exc.issues)
    else:
        digest.update(raw)
        sources.append(SourceFile("baselines", weights_name, raw))

    rules: list[Rule] = []
    rule_ids: set[str] = set()
    vocab = vocabulary()
    when_vocab: dict[str, tuple[str, ...]] = {
        "role": ("principal", "delegate", "contractor", "subcontractor"),
        "upstream_role": ("principal", "delegate", "contractor", "subcontractor", "none"),
        "from_role": ("principal", "delegate", "contractor", "subcontractor"),
        "to_role": ("principal", "delegate", "contractor", "subcontractor"),
        "owner_role": ("principal", "delegate", "contractor", "subcontractor"),
        "client_role": ("principal", "delegate", "contractor", "subcontractor"),
        "contractor_role": ("principal", "delegate", "contractor", "subcontractor"),
        "task": tuple(vocab.tasks),
        "owner_task": tuple(vocab.tasks),
        "system": tuple(vocab.systems),
        "method": tuple(vocab.transfer_methods),
        "method_not": tuple(vocab.transfer_methods),
        "channel": ("network", "media", "postal", "other"),
        "report_type": ("report", "consultation"),
        "legal_basis_kind": ("ordinance", "act", "other", "none"),
        "content": DOCUMENT_CONTENTS,
        "legal_status": LEGAL_STATUSES,
        "upstream_legal_status": (*LEGAL_STATUSES, "none"),
        "client_legal_status": LEGAL_STATUSES,
    }
    for path in _files(rules_dir, "rules"):
        try:
            data_rules, smap, raw = _load_file(path, RuleFile)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        digest.update(raw)
        sources.append(SourceFile("rules", path.name, raw))
        for index, rule in enumerate(data_rules.rules):
            loc = located(smap, ("rules", index))
            if rule.id in rule_ids:
                issues.append(issue(loc, "catalog.duplicate", ref=rule.id))
            rule_ids.add(rule.id)
            where[f"rule:{rule.id}"] = loc
            for req_id in rule.implements:
                if req_id not in requirements:
                    issues.append(
                        issue(
                            loc,
                            "catalog.unknown_requirement",
                            rule=rule.id,
                            ref=req_id,
                            suggestions=", ".join(suggest(req_id, tuple(requirements))) or "-",
                        )
                    )
            for code in rule.require.codes if rule.require else []:
                if code not in vocab.measures:
                    issues.append(
                        issue(
                            loc,
                            "catalog.unknown_code",
                            rule=rule.id,
                            ref=code,
                            suggestions=", ".join(suggest(code, tuple(vocab.measures))) or "-",
                        )
                    )
            for key, wanted in rule.when.items():
                if isinstance(wanted, bool):
                    continue
                for value in wanted:
                    if value not in when_vocab[key]:
                        issues.append(
                            issue(
                                loc,
                                "catalog.unknown_value",
                                rule=rule.id,
                                key=key,
                                ref=value,
                                suggestions=", ".join(suggest(value, when_vocab[key])) or "-",
                            )
                        )
            rules.append(rule)
    if issues:
        raise InputError(issues)
    catalog = Catalog(instruments, requirements, instrument_of, tuple(rules), where, digest.hexdigest()[:16], weights)
    return catalog, sources
