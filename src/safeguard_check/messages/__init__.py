"""User-facing text in Japanese and English, kept in ``catalog.yaml`` so it can be translated."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """The message catalogue: key → {"ja": …, "en": …}."""
    text = Path(__file__).with_name("catalog.yaml").read_text(encoding="utf-8")  # see data/vocabulary.py
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):  # pragma: no cover - the catalogue ships with the package
        raise RuntimeError("message catalogue is not a mapping")
    return data


@dataclass(frozen=True)
class Msg:
    """A message to translate later, usable as a parameter of another message."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def _translate(value: object, lang: Lang) -> object:
    if isinstance(value, Msg):
        return t(value.key, lang, **value.params)
    if isinstance(value, tuple) and value and all(isinstance(v, Msg) for v in value):
        return " / ".join(t(v.key, lang, **v.params) for v in value)
    return value


def t(key: str, lang: Lang = "ja", /, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    An unknown key is a programming error, but it must not hide the user's problem behind a crash,
    so it is shown as the key itself with its parameters.
    """
    entry = catalog().get(key)
    if entry is None:
        return f"{key} {params}" if params else key
    template = entry.get(lang) or entry["en"]
    params = {k: _translate(v, lang) for k, v in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"
