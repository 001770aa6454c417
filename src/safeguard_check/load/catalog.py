"""Load the legal baselines and the rules (both data) and check they fit together.

The bundled copies ship inside the wheel (``safeguard_check/_bundled``); in a source checkout the
top-level ``baselines/`` and ``rules/`` folders are used. A custom directory can be given for either
(legal staff trying a change). Every file is read with the same safe, position-keeping reader as
declarations, so a mistake in a catalogue is reported with its file and line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FsPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from safeguard_check.data.vocabulary import suggest, vocabulary
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.declaration import read_text
from safeguard_check.load.tree import SourceMap, read_tree
from safeguard_check.model.baseline import BaselineFile, Instrument, Requirement
from safeguard_check.model.rule import DOCUMENT_CONTENTS, Rule, RuleFile
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

    def citation_label(self, requirement_id: str, lang: str) -> str:
        """e.g. 番号法第10条第1項 / My Number Act, art. 10(1)."""
        return self.requirements[requirement_id].citation.label.get(lang)


def bundled_dir(name: str) -> FsPath:
    """The bundled ``baselines`` or ``rules`` directory (wheel first, then source checkout)."""
    packaged = resources.files("safeguard_check").joinpath("_bundled", name)
    if packaged.is_dir():
        return FsPath(str(packaged))
    return FsPath(__file__).resolve().parents[3] / name


def _load_file(path: FsPath, model: type[M]) -> tuple[M, SourceMap]:
    text, _ = read_text(path)
    tree, smap = read_tree(text, str(path), "yaml")
    try:
        return model.model_validate(tree), smap
    except ValidationError as exc:
        raise InputError(validation_issues(exc, tree, smap, model)) from None


def _files(directory: FsPath) -> list[FsPath]:
    if not directory.is_dir():
        raise InputError([InputIssue(str(directory), None, None, "io.not_found", {"path": str(directory)})])
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_catalog(baselines_dir: FsPath | None = None, rules_dir: FsPath | None = None) -> Catalog:
    """Load and cross-check every baseline and rule file; :class:`InputError` on any problem."""
    baselines_dir = baselines_dir or bundled_dir("baselines")
    rules_dir = rules_dir or bundled_dir("rules")
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

    for path in _files(baselines_dir):
        try:
            data, smap = _load_file(path, BaselineFile)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        digest.update(path.read_bytes())
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
    }
    for path in _files(rules_dir):
        try:
            data_rules, smap = _load_file(path, RuleFile)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        digest.update(path.read_bytes())
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
    return Catalog(instruments, requirements, instrument_of, tuple(rules), where, digest.hexdigest()[:16])
