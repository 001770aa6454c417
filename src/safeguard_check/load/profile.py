"""Load a profile (``--profile law|standard|PATH.yaml``) and check it against the catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import ValidationError

from safeguard_check.data.vocabulary import suggest
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.catalog import Catalog, bundled_dir
from safeguard_check.load.declaration import DEFAULT_MAX_BYTES, max_bytes_limit, read_text
from safeguard_check.load.tree import SourceMap, read_tree
from safeguard_check.model.profile import Profile
from safeguard_check.model.rule import Severity
from safeguard_check.validate.schema_errors import validation_issues

DEFAULT_PROFILE = "standard"
PROFILES_DIR = "profiles"


def _named(directory: FsPath) -> dict[str, FsPath]:
    if not directory.is_dir():
        return {}
    return {p.stem: p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()}


def named_profiles(rules_dir: FsPath | None = None) -> dict[str, FsPath]:
    """The named profiles available: ``profiles/`` under the rules directory in use, then the bundled
    ones (a custom rules directory need not copy ``standard`` and ``law`` to keep working)."""
    found = _named(bundled_dir("rules") / PROFILES_DIR)
    if rules_dir is not None:
        found.update(_named(rules_dir / PROFILES_DIR))
    return dict(sorted(found.items()))


def _is_path(value: str) -> bool:
    return value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value


def load_profile(value: str, catalog: Catalog, rules_dir: FsPath | None = None) -> Profile:
    """The profile named ``value`` (or read from the file ``value``), checked against ``catalog``.

    :class:`InputError` when it is unknown, unreadable, not a valid profile, or names a rule the
    catalogue does not have (a typo there would silently run everything).
    """
    if _is_path(value):
        path = FsPath(value)
    else:
        available = named_profiles(rules_dir)
        names = tuple(available)
        if value not in available:
            raise InputError(
                [
                    InputIssue(
                        "--profile",
                        None,
                        None,
                        "profile.unknown",
                        {"name": value, "known": ", ".join(names) or "-"},
                        suggestions=tuple(suggest(value, names)),
                    )
                ]
            )
        path = available[value]
    # A profile the tool ships keeps the default limit; one the user gives or adds takes --max-bytes.
    bundled = path.parent.resolve() == (bundled_dir("rules") / PROFILES_DIR).resolve()
    text, _ = read_text(path, DEFAULT_MAX_BYTES if bundled else max_bytes_limit(str(path)))
    tree, smap = read_tree(text, str(path), "yaml")
    try:
        profile = Profile.model_validate(tree)
    except ValidationError as exc:
        raise InputError(validation_issues(exc, tree, smap, Profile)) from None
    known = {rule.id for rule in catalog.rules}
    issues = []
    for key in ("select", "ignore", "severity"):
        named = getattr(profile, key) or ()
        for index, rule_id in enumerate(named):
            if rule_id in known:
                continue
            pos = smap.locate((key, rule_id) if key == "severity" else (key, index))
            issues.append(
                InputIssue(
                    str(path),
                    pos.line if pos else None,
                    None,
                    "profile.unknown_rule",
                    {"ref": rule_id, "suggestions": ", ".join(suggest(rule_id, tuple(known))) or "-"},
                )
            )
    issues.extend(_unsuppressible_issues(profile, catalog, str(path), smap))
    if issues:
        raise InputError(issues)
    return profile


def _unsuppressible_issues(profile: Profile, catalog: Catalog, where: str, smap: SourceMap) -> list[InputIssue]:
    # A profile file must not ignore or downgrade the leak rule either (Profile.runs keeps it running
    # whatever the file says; saying otherwise in the file is an error, not silently overridden).
    from safeguard_check.findings.model import UNSUPPRESSIBLE_RULES

    own = {rule.id: rule.severity for rule in catalog.rules}
    issues = []
    for rule_id in sorted(UNSUPPRESSIBLE_RULES):
        located = None
        if rule_id in profile.ignore:
            located = smap.locate(("ignore", profile.ignore.index(rule_id)))
        elif rule_id in profile.severity and profile.severity[rule_id] != own.get(rule_id, profile.severity[rule_id]):
            located = smap.locate(("severity", rule_id))
        else:
            continue
        issues.append(
            InputIssue(where, located.line if located else None, None, "selection.unsuppressible", {"ref": rule_id})
        )
    return issues


# --------------------------------------------------------------------------- selection (--select, config)


@dataclass(frozen=True)
class Selection:
    """Rule selection on top of a profile, from ``--select``/``--ignore``/``--severity`` or a config file.

    Entries are rule ids or prefixes of rule ids (``SGC-CONTRACT`` selects every ``SGC-CONTRACT-…``),
    case-insensitive. ``sources`` names where each of ``select``, ``ignore`` and ``severity`` came from
    (an option such as ``--select``, or a config file), so an error points there.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        """Whether the selection changes nothing."""
        return self.select is None and not self.ignore and not self.severity


def _matches(entry: str, rule_id: str) -> bool:
    return rule_id.casefold().startswith(entry.strip().casefold())


def _specificity(entries: Iterable[str], rule_id: str) -> int:
    """Length of the longest entry matching ``rule_id`` (-1: none): the more specific entry wins."""
    return max((len(e.strip()) for e in entries if _matches(e, rule_id)), default=-1)


def tailor(profile: Profile, catalog: Catalog, selection: Selection) -> Profile:
    """``profile`` narrowed by ``selection``: one mechanism, the profile's own select/ignore/severity.

    A rule runs when the profile runs it and the selection keeps it: kept when the most specific
    ``select`` entry matching it (any rule when ``select`` is not given) is more specific than the most
    specific ``ignore`` entry matching it, as in ruff. ``severity`` entries (ids or prefixes, the most
    specific wins) replace the profile's severity for the rules they match; caps still apply.

    Rules in :data:`~safeguard_check.findings.model.UNSUPPRESSIBLE_RULES` (a leaked 個人番号) always
    run at their own severity: a prefix leaves them in, and naming one in ``ignore`` or lowering its
    severity is an error. :class:`InputError` also for an entry that matches no rule (a typo would
    silently select nothing) and for an entry both selected and ignored.
    """
    from safeguard_check.findings.model import UNSUPPRESSIBLE_RULES

    if selection.empty():
        return profile
    ids = [rule.id for rule in catalog.rules]
    severity_of = {rule.id: rule.severity for rule in catalog.rules}
    issues: list[InputIssue] = []

    def problem(key: str, entry: str, message: str, **params: object) -> None:
        where = selection.sources.get(key, f"--{key}")
        issues.append(InputIssue(where, None, None, message, {"ref": entry, "option": key, **params}))

    named = {"select": selection.select or (), "ignore": selection.ignore, "severity": tuple(selection.severity)}
    for key, entries in named.items():
        for entry in entries:
            if not any(_matches(entry, rid) for rid in ids):
                candidates = ", ".join(suggest(entry.strip().upper(), tuple(ids))) or "-"
                problem(key, entry, "selection.unknown_rule", suggestions=candidates)
    both = {e.strip().casefold() for e in selection.select or ()} & {e.strip().casefold() for e in selection.ignore}
    for entry in sorted(both):
        problem("ignore", entry, "selection.both")
    for rule_id in UNSUPPRESSIBLE_RULES:
        if any(e.strip().casefold() == rule_id.casefold() for e in selection.ignore):
            problem("ignore", rule_id, "selection.unsuppressible")
        for entry, level in selection.severity.items():
            if entry.strip().casefold() == rule_id.casefold() and level != severity_of.get(rule_id):
                problem("severity", rule_id, "selection.unsuppressible")
    if issues:
        raise InputError(issues)

    def kept(rule_id: str) -> bool:
        if rule_id in UNSUPPRESSIBLE_RULES:
            return True
        chosen = 0 if selection.select is None else _specificity(selection.select, rule_id)
        return chosen >= 0 and chosen > _specificity(selection.ignore, rule_id)

    severity = dict(profile.severity)
    for rule_id in ids:
        matching = [(len(e.strip()), level) for e, level in selection.severity.items() if _matches(e, rule_id)]
        if matching and rule_id not in UNSUPPRESSIBLE_RULES:
            severity[rule_id] = max(matching)[1]
    running = tuple(rid for rid in ids if profile.runs(rid) and kept(rid))
    return profile.model_copy(update={"select": running, "ignore": (), "severity": severity})
