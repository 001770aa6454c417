"""Project configuration: ``[tool.safeguard-check]`` in ``pyproject.toml``, or ``.safeguard-check.toml``.

Found upward from the plans checked (the first directory holding ``.safeguard-check.toml``, or a
``pyproject.toml`` with a ``[tool.safeguard-check]`` table — in that order within one directory, as
ruff does), or given with ``--config``. The command line overrides it key by key. Every key maps to a
field of :class:`safeguard_check.api.CheckOptions`; paths are relative to the configuration file.
An unknown key or a wrong value is an :class:`InputError` naming the file, line and key (exit 2).

Keys (kebab-case, as in ``pyproject.toml`` tools)::

    select = ["SGC-CONTRACT"]      # rule ids or prefixes; default: every rule the profile runs
    ignore = ["SGC-NOTICE-LETTER"]
    severity = { "SGC-TRANSFER-ENCRYPTION" = "high" }
    fail-on = "medium"
    profile = "law"
    waivers = "waivers.yaml"
    baselines = "my-baselines"     # directories of a custom catalogue
    rules = "my-rules"
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.model.rule import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport (a dependency there)
    import tomli as tomllib

DOT_FILE = ".safeguard-check.toml"
PYPROJECT = "pyproject.toml"
TABLE = "safeguard-check"


class ConfigValues(BaseModel):
    """The keys a configuration may set (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    severity: dict[str, Severity] | None = None
    fail_on: Literal["critical", "high", "medium", "low", "info", "never"] | None = Field(None, alias="fail-on")
    profile: str | None = None
    waivers: str | None = None
    baselines: str | None = None
    rules: str | None = None


KNOWN_KEYS = tuple(field.alias or name for name, field in ConfigValues.model_fields.items())


@dataclass(frozen=True)
class Config:
    """A configuration file read: where it is and what it sets."""

    path: Path
    values: ConfigValues

    def path_value(self, key: Literal["waivers", "baselines", "rules"]) -> Path | None:
        """A path setting, relative to the configuration file's directory."""
        raw = getattr(self.values, key)
        return None if raw is None else self.path.parent / raw


def _table(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The configuration table of ``path`` (``None``: a pyproject.toml without one) and the file text."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise InputError([InputIssue(name, None, None, "io.unreadable", {"path": name, "detail": detail})]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position in the message: "... (at line 3, column 7)".
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        raise InputError([InputIssue(name, line, column, "config.syntax", {"detail": str(exc)})]) from None
    if path.name != PYPROJECT:
        return data, text
    table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise InputError([InputIssue(name, None, None, "config.not_table", {})])
    return table, text


def _line_of(text: str, key: str) -> int | None:
    # tomllib keeps no positions: the first line assigning the key is where a person looks.
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def locate(issue: InputIssue) -> InputIssue:
    """``issue`` about a value read from a configuration file, with the line where the value is written
    (the first line quoting it) when the issue has none."""
    if issue.line is not None or not issue.file.endswith(".toml"):
        return issue
    ref = str(issue.params.get("ref", ""))
    try:
        text = Path(issue.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return issue
    for number, line in enumerate(text.splitlines(), 1):
        if ref and (f'"{ref}"' in line or f"'{ref}'" in line):
            return dataclasses.replace(issue, line=number)
    return issue


def read_config(path: Path) -> Config | None:
    """The configuration in ``path`` (``None``: a ``pyproject.toml`` without ``[tool.safeguard-check]``)."""
    table, text = _table(path)
    if table is None:
        return None
    name = str(path)
    issues = [
        InputIssue(name, _line_of(text, key), None, "config.unknown_key", {"key": key, "known": ", ".join(KNOWN_KEYS)})
        for key in table
        if key not in KNOWN_KEYS
    ]
    if issues:
        raise InputError(issues)
    try:
        values = ConfigValues.model_validate(table)
    except ValidationError as exc:
        raise InputError(
            [
                InputIssue(
                    name,
                    _line_of(text, str(error["loc"][0])) if error["loc"] else None,
                    None,
                    "config.invalid",
                    {"key": ".".join(str(part) for part in error["loc"]), "detail": error["msg"]},
                )
                for error in exc.errors()
            ]
        ) from None
    return Config(path, values)


def find_config(start: Path) -> Config | None:
    """The configuration governing ``start`` (a file or directory): the nearest one upward."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        dot = folder / DOT_FILE
        if dot.is_file():
            return read_config(dot)
        project = folder / PYPROJECT
        if project.is_file():
            found = read_config(project)
            if found is not None:
                return found
    return None


def config_for(paths: Iterable[Path]) -> Config | None:
    """The one configuration for a run over ``paths`` (standard input counts from the current
    directory). :class:`InputError` when different plans are governed by different files: which
    one's rules apply would otherwise depend on the order of the arguments."""
    found: dict[Path | None, Config | None] = {}
    for path in paths:
        config = find_config(Path.cwd() if str(path) == "-" else path)
        found[config.path if config else None] = config
    if len(found) > 1:
        files = ", ".join(str(p) if p is not None else "-" for p in found)
        raise InputError([InputIssue("--config", None, None, "config.conflict", {"files": files})])
    return next(iter(found.values()), None)
