"""Turn pydantic validation errors into located, translatable :class:`InputIssue` objects."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from safeguard_check.data.vocabulary import suggest
from safeguard_check.errors import InputIssue
from safeguard_check.load.tree import Path, SourceMap
from safeguard_check.messages import Msg

_TYPE_KEYS = {
    "string_type": "type.string",
    "int_type": "type.int",
    "int_parsing": "type.int",
    "int_from_float": "type.int",
    "bool_type": "type.bool",
    "bool_parsing": "type.bool",
    "list_type": "type.list",
    "model_type": "type.mapping",
    "model_attributes_type": "type.mapping",
    "dict_type": "type.mapping",
    "date_type": "type.date",
    "date_parsing": "type.date",
    "date_from_datetime_parsing": "type.date",
}


def validation_issues(
    exc: ValidationError,
    tree: Any,
    smap: SourceMap,
    root: type[BaseModel],
    key_aliases: dict[str, str] | None = None,
) -> list[InputIssue]:
    """One located issue per distinct (place, problem) in ``exc``.

    ``root`` is the model that was validated (to suggest known keys for an unknown one) and
    ``key_aliases`` the alternative spellings accepted for its keys.
    """
    issues: list[InputIssue] = []
    seen: set[tuple[Path, str]] = set()
    for err in exc.errors():
        loc: Path = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # pydantic reports a failed union member per branch; one message per place is enough.
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
        kind = err["type"]
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        ctx = err.get("ctx") or {}
        found = _found(tree, loc)
        key: str = "schema.other"
        params: dict[str, object] = {"detail": err["msg"]}
        expected: str | None = None
        suggestions: tuple[str, ...] = ()
        if kind == "missing":
            key, params, found = "schema.missing", {"field": loc[-1] if loc else "?"}, None
        elif kind == "extra_forbidden":
            key, params = "schema.unknown_key", {"key": loc[-1] if loc else "?"}
            suggestions = tuple(suggest(str(loc[-1]), sorted(_known_keys(root, loc[:-1], key_aliases or {}))))
            found = None
        elif kind == "literal_error":
            key, params = "schema.literal", {"expected": ctx.get("expected", "")}
        elif kind == "unknown_code":
            kind_key = f"kind.{ctx.get('kind', 'measures')}"
            params = {"value": ctx.get("value", ""), "kind_label": Msg(kind_key)}
            key = "schema.unknown_code"
            suggestions = tuple(ctx.get("suggestions") or ())
        elif kind == "date_form":
            key = "schema.date"
            params = {"value": ctx.get("value", ""), "reason": Msg(str(ctx.get("reason", "date.format")))}
        elif kind == "string_pattern_mismatch":
            key, params = "schema.pattern", {}
        elif kind in ("too_short",):
            key, params = "schema.too_short", {"min": ctx.get("min_length", 1)}
        elif kind in _TYPE_KEYS:
            key, params = "schema.type", {"expected": Msg(_TYPE_KEYS[kind])}
        pos = smap.locate(loc)
        issues.append(
            InputIssue(
                smap.file,
                pos.line if pos else None,
                pos.column if pos else None,
                key,
                params,
                loc,
                expected,
                found,
                suggestions,
            )
        )
    return issues


def _found(tree: Any, loc: Path) -> str | None:
    node = tree
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    text = repr(node) if not isinstance(node, str) else node
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(root: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next(
            (f for n, f in current.model_fields.items() if part in (n, f.alias)),
            None,
        )
        if field is None:
            return None
        current = _unwrap_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap_model(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap_model(typing.get_args(annotation)[0])
    if origin in (list, tuple) or origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(annotation):
            found = _unwrap_model(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    return annotation


def _known_keys(root: type[BaseModel], loc: Path, key_aliases: dict[str, str]) -> set[str]:
    model = _model_at(root, loc)
    if model is None:
        return set()
    names = {f.alias or n for n, f in model.model_fields.items()}
    names |= {alias for alias, name in key_aliases.items() if name in names}
    return names
