"""Load a profile (``--profile law|standard|PATH.yaml``) and check it against the catalogue."""

from __future__ import annotations

from pathlib import Path as FsPath

from pydantic import ValidationError

from safeguard_check.data.vocabulary import suggest
from safeguard_check.errors import InputError, InputIssue
from safeguard_check.load.catalog import Catalog, bundled_dir
from safeguard_check.load.declaration import DEFAULT_MAX_BYTES, max_bytes_limit, read_text
from safeguard_check.load.tree import read_tree
from safeguard_check.model.profile import Profile
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
    if issues:
        raise InputError(issues)
    return profile
