"""Read a waivers file safely and check it against the catalogue, before any plan is evaluated.

The file goes through the same reader as declarations (:func:`~safeguard_check.load.declaration.read_text`
for size and encoding, :func:`~safeguard_check.load.tree.read_tree` for duplicate keys, tags, merge keys
…), then a strict pydantic model, then the checks a schema cannot make: unique ids, known rule and
requirement ids (with "did you mean"), a rule that implements the named requirement, ``*`` only with a
rule, no blank text, and an expiry after the grant. Every problem is collected and raised together as
one :class:`~safeguard_check.errors.InputError` with file and line.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from safeguard_check.data.vocabulary import suggest
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.catalog import Catalog
from safeguard_check.load.declaration import EXTENSIONS, max_bytes_limit, read_text
from safeguard_check.load.normalize import normalize_text
from safeguard_check.load.tree import Path, SourceMap, read_tree
from safeguard_check.load.wareki import to_wareki
from safeguard_check.validate.schema_errors import validation_issues
from safeguard_check.waivers.model import WILDCARD, Waiver, WaiverEntry, WaiverFile, WaiverSet

_SUBJECT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def load_waivers(path: str | FsPath, catalog: Catalog, *, max_bytes: int | None = None) -> WaiverSet:
    """Load and validate the waivers file ``path``; :class:`InputError` listing every problem.

    ``max_bytes`` defaults to :func:`~safeguard_check.load.declaration.max_bytes_limit` (``--max-bytes``).
    """
    fs_path = FsPath(path)
    name = str(path)
    fmt = EXTENSIONS.get(fs_path.suffix.lower())
    if fmt is None:
        raise InputError([InputIssue(name, None, None, "io.unsupported_extension", {"ext": fs_path.suffix or "-"})])
    text, _ = read_text(fs_path, max_bytes if max_bytes is not None else max_bytes_limit(name))
    return parse_waivers(text, name, catalog, fmt)


def parse_waivers(text: str, name: str, catalog: Catalog, fmt: str = "yaml") -> WaiverSet:
    """Validate waivers ``text`` (already decoded) that came from ``name``."""
    tree, smap = read_tree(text, name, "json" if fmt == "json" else "yaml")
    if not isinstance(tree, dict):
        raise InputError([InputIssue(name, 1, 1, "syntax.root_not_mapping")])
    issues: list[InputIssue] = []
    entries: list[tuple[int, WaiverEntry]] = []
    try:
        parsed = WaiverFile.model_validate(tree)
        entries = list(enumerate(parsed.waivers))
    except ValidationError as exc:
        issues.extend(validation_issues(exc, tree, smap, WaiverFile))
        # Check the entries that are well-formed on their own too, so one run reports everything.
        raw = tree.get("waivers")
        if isinstance(raw, list):
            for index, item in enumerate(raw):
                try:
                    entries.append((index, WaiverEntry.model_validate(item)))
                except ValidationError:
                    continue
    implements = {rule.id: tuple(rule.implements) for rule in catalog.rules}
    checker = _Checker(name, smap, catalog, implements)
    waivers = [checker.check(index, entry) for index, entry in entries]
    issues.extend(checker.issues)
    if issues:
        raise InputError(issues)
    return WaiverSet(name, tuple(waivers), implements)


class _Checker:
    def __init__(self, name: str, smap: SourceMap, catalog: Catalog, implements: dict[str, tuple[str, ...]]) -> None:
        self.name = name
        self.smap = smap
        self.catalog = catalog
        self.implements = implements
        self.issues: list[InputIssue] = []
        self.first_line: dict[str, int | None] = {}

    def line(self, path: Path) -> int | None:
        pos = self.smap.locate(path)
        return pos.line if pos else None

    def add(self, path: Path, key: str, suggestions: tuple[str, ...] = (), **params: Any) -> None:
        pos = self.smap.locate(path)
        self.issues.append(
            InputIssue(
                self.name,
                pos.line if pos else None,
                pos.column if pos else None,
                key,
                dict(params),
                path,
                suggestions=suggestions,
            )
        )

    def check(self, index: int, entry: WaiverEntry) -> Waiver:
        base: Path = ("waivers", index)
        if entry.id in self.first_line:
            self.add((*base, "id"), "waiver.duplicate_id", ref=entry.id, first_line=self.first_line[entry.id])
        else:
            self.first_line[entry.id] = self.line((*base, "id"))
        if entry.rule is None and entry.requirement is None:
            self.add(base, "waiver.no_target")
        rule_known = entry.rule is not None and entry.rule in self.implements
        if entry.rule is not None and not rule_known:
            self.add(
                (*base, "rule"),
                "waiver.unknown_rule",
                tuple(suggest(entry.rule.upper(), tuple(self.implements))),
                ref=entry.rule,
            )
        req_known = entry.requirement is not None and entry.requirement in self.catalog.requirements
        if entry.requirement is not None and not req_known:
            self.add(
                (*base, "requirement"),
                "waiver.unknown_requirement",
                tuple(suggest(entry.requirement.upper(), tuple(self.catalog.requirements))),
                ref=entry.requirement,
            )
        if rule_known and req_known and entry.rule is not None and entry.requirement not in self.implements[entry.rule]:
            self.add(
                (*base, "requirement"),
                "waiver.rule_requirement_mismatch",
                rule=entry.rule,
                requirement=entry.requirement,
                implements=", ".join(self.implements[entry.rule]),
            )
        subject = normalize_text(entry.subject)
        if subject == WILDCARD:
            if entry.rule is None:
                self.add((*base, "subject"), "waiver.wildcard_needs_rule")
        elif not _SUBJECT.match(subject):
            self.add((*base, "subject"), "waiver.bad_subject", found=entry.subject)
        # Identifiers and the municipality are compared, so NFKC-normalised; prose is kept as written.
        texts = {"justification": entry.justification.strip(), "approved_by": entry.approved_by.strip()}
        plan = normalize_text(entry.plan) if entry.plan is not None else None
        if plan is not None:
            texts["plan"] = plan
        for field_name, value in texts.items():
            if not value:
                self.add((*base, field_name), "waiver.blank", field=field_name)
        if entry.expires <= entry.granted_on:
            self.add(
                (*base, "expires"),
                "waiver.expires_not_after_granted",
                expires=entry.expires.isoformat(),
                expires_ja=_wareki(entry.expires),
                granted_on=entry.granted_on.isoformat(),
                granted_on_ja=_wareki(entry.granted_on),
            )
        return Waiver(
            id=entry.id,
            rule=entry.rule,
            requirement=entry.requirement,
            subject=subject,
            plan=plan,
            justification=texts["justification"],
            approved_by=texts["approved_by"],
            granted_on=entry.granted_on,
            expires=entry.expires,
            file=self.name,
            line=self.line(base),
        )


def _wareki(value: Any) -> str:
    try:
        return to_wareki(value)
    except ValueError:
        return str(value)
